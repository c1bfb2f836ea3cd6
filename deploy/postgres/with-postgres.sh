#!/usr/bin/env bash
# Runs a command with DATABASE_URL pointing at a PostgreSQL server: the one given, or the local one
# found, started or installed by ensure-postgres.sh. If none can be had, the command still runs and
# the PostgreSQL tests fail saying DATABASE_URL is missing (they never skip).
set -uo pipefail
here=$(dirname "$0")
if [ -z "${DATABASE_URL:-}" ]; then
  if url=$("$here/ensure-postgres.sh"); then
    export DATABASE_URL=$url
  else
    echo "[postgres] no PostgreSQL could be reached or started; the PostgreSQL tests will fail and say why" >&2
  fi
fi
exec "$@"
