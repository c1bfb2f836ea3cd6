#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 and prints a DATABASE_URL for it.
# Order: already running → start the installed cluster → install Debian's postgresql and start it.
# Used by .ci/run (no Docker there); with Docker, docker-compose.yml runs PostgreSQL instead.
set -euo pipefail
HOST=127.0.0.1 PORT=5432 DB=${PGDATABASE_FOR_TESTS:-test}

say() { echo "[postgres] $*" >&2; }
ready() { command -v pg_isready >/dev/null && pg_isready -q -h "$HOST" -p "$PORT"; }
can_connect() { psql "$1" -Atqc 'select 1' >/dev/null 2>&1; }

if ! ready; then
  if ! command -v pg_ctlcluster >/dev/null; then
    say "not installed: installing Debian's postgresql"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
  fi
  version=$(ls /etc/postgresql | sort -V | tail -1)
  say "starting cluster $version/main"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
  for _ in $(seq 60); do ready && break; sleep 0.5; done
  ready || { say "PostgreSQL did not become ready on $HOST:$PORT"; exit 1; }
fi

url="postgres://postgres@$HOST:$PORT/$DB"
if ! can_connect "$url"; then
  # A fresh Debian install asks for a password on TCP: give the postgres role one for local tests.
  say "no trust access on TCP; setting a local password for the postgres role"
  su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\"" >&2
  url="postgres://postgres:postgres@$HOST:$PORT/$DB"
fi
base=${url%/*}/postgres
if ! psql "$base" -Atqc "select 1 from pg_database where datname='$DB'" | grep -q 1; then
  say "creating database $DB"
  psql "$base" -qc "create database \"$DB\"" >&2
fi
can_connect "$url" || { say "cannot connect to $url"; exit 1; }
echo "$url"
