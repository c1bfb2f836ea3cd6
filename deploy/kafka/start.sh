#!/usr/bin/env bash
# Starts a single-node Apache Kafka broker (KRaft, broker + controller) from Maven Central jars with
# the JDK — no Docker — and prints its address (127.0.0.1:9092) on stdout; everything else goes to
# stderr. Idempotent: if the broker this script started is running and ready, it only prints the
# address. Each start formats a fresh, empty data directory. Settings: see common.sh; README.md.
set -euo pipefail
. "$(dirname "$0")/common.sh"

fail() {
  say "$*"
  if [ -s "$LOG_FILE" ]; then
    say "last 50 lines of $LOG_FILE:"
    tail -n 50 "$LOG_FILE" >&2
  fi
  exit 1
}

# The jars: copied once into deploy/kafka/lib by Maven (a few minutes the first time, from
# ~/.m2 afterwards). The stamp records which pom.xml they came from, so editing the version there
# refetches them, and a copy interrupted half-way is not mistaken for a complete one.
ensure_lib() {
  local want stamp=$LIB_DIR/.pom-sha256
  want=$(sha256sum "$HERE/pom.xml" | cut -d' ' -f1)
  [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && return 0
  command -v mvn >/dev/null || fail "Maven (mvn) is needed once to fetch the Kafka jars into $LIB_DIR; install it (apt-get install maven)"
  # Several run directories may share lib/: one copy at a time.
  exec 8>"${TMPDIR:-/tmp}/kafka-lib-$(echo "$LIB_DIR" | sha256sum | cut -c1-12).lock"
  flock 8
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "fetching Apache Kafka jars from Maven Central into $LIB_DIR (first run only)"
    local started=$SECONDS
    rm -rf "$LIB_DIR"
    if ! mvn -B -q -f "$HERE/pom.xml" dependency:copy-dependencies >"$RUN_DIR/maven.log" 2>&1; then
      cat "$RUN_DIR/maven.log" >&2
      fail "Maven could not fetch the Kafka jars (its output is above)"
    fi
    echo "$want" >"$stamp"
    say "jars ready in $((SECONDS - started)) s"
  fi
  exec 8>&-
}

command -v java >/dev/null || fail "java not found: Kafka 3.9 needs a JDK (17 recommended; apt-get install openjdk-17-jdk-headless)"

lock_run_dir
# Called by hand (not by with-kafka.sh), start.sh adopts a broker that a with-kafka.sh session
# started: it is then kept running until stop.sh, however the sessions end.
[ -z "${KAFKA_LOCK_HELD:-}" ] && rm -f "$RUN_DIR/ephemeral"

if pid=$(broker_pid); then
  # Ours and alive. Normally ready; if a start was interrupted while waiting, wait for it here.
  for _ in $(seq $((${KAFKA_START_TIMEOUT:-90} * 5))); do
    broker_ready && { say "already running (pid $pid)"; echo "$ADDRESS"; exit 0; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  fail "the broker with pid $pid (from $PID_FILE) is not ready; stop it with deploy/kafka/stop.sh"
fi
rm -f "$PID_FILE"

for port in "$PORT" "$CONTROLLER_PORT"; do
  if port_open "$port"; then
    fail "127.0.0.1:$port is in use by a process this script did not start. If a Kafka broker is listening on $ADDRESS, use it: KAFKA_BROKERS=$ADDRESS. Otherwise choose free ports with KAFKA_PORT and KAFKA_CONTROLLER_PORT (and a KAFKA_RUN_DIR of their own)."
  fi
done

ensure_lib
began=$SECONDS

# A fresh single-node cluster each time: new data directory, new cluster id (base64url of 16
# random bytes, the form kafka-storage random-uuid prints, without starting a JVM for it) —
# unless KAFKA_KEEP_DATA=1 and a formatted data directory is there: then this is a restart of the
# same broker with its topics, messages and committed offsets (the fault tests restart it so).
keep=false
[ "${KAFKA_KEEP_DATA:-}" = 1 ] && [ -f "$RUN_DIR/data/meta.properties" ] && keep=true
if ! $keep; then
  rm -rf "$RUN_DIR/data"
  mkdir -p "$RUN_DIR/data"
fi
sed -e "s#@DATA@#$RUN_DIR/data#" -e "s#@PORT@#$PORT#g" -e "s#@CONTROLLER_PORT@#$CONTROLLER_PORT#g" \
  "$HERE/server.properties" >"$CONFIG_FILE"
cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')

read -r -a heap <<<"${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
common=(-Djava.awt.headless=true "-Dlog4j.configuration=file:$HERE/log4j.properties" -cp "$LIB_DIR/*")

: >"$LOG_FILE"
# Formatting was once seen to fail right after a previous broker stopped; it is idempotent
# (--ignore-formatted), so try it a few times before giving up, keeping every attempt in the log.
formatted=$keep
for attempt in 1 2 3; do
  $keep && break
  if java -Xmx256m -XX:TieredStopAtLevel=1 "${common[@]}" kafka.tools.StorageTool format \
    -t "$cluster_id" -c "$CONFIG_FILE" --ignore-formatted >>"$LOG_FILE" 2>&1; then
    formatted=true
    break
  fi
  say "formatting the data directory failed (attempt $attempt); retrying"
  sleep 2
done
$formatted || fail "formatting the data directory failed"

# setsid: its own session, so a Ctrl-C meant for the tests does not kill the broker underneath
# with-kafka.sh, which stops it properly instead. The wrapper writes the PID of the exec'd JVM.
# 9>&-: the broker must not inherit the run directory's lock, or it would hold it for its lifetime.
setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' kafka-start "$PID_FILE" \
  java "${heap[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
  -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError "${common[@]}" kafka.Kafka "$CONFIG_FILE" >>"$LOG_FILE" 2>&1 </dev/null 9>&- &

for _ in $(seq $((${KAFKA_START_TIMEOUT:-90} * 5))); do
  sleep 0.2
  pid=$(broker_pid) || {
    [ -s "$PID_FILE" ] && ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null && fail "the broker exited during startup"
    continue
  }
  if broker_ready; then
    say "broker ready on $ADDRESS in $((SECONDS - began)) s (pid $pid, log $LOG_FILE)"
    echo "$ADDRESS"
    exit 0
  fi
done

pid=$(broker_pid) && { kill -TERM "$pid"; sleep 2; kill -KILL "$pid" 2>/dev/null || true; }
rm -f "$PID_FILE"
fail "the broker was not ready on $ADDRESS after ${KAFKA_START_TIMEOUT:-90} s"
