#!/usr/bin/env bash
# Stops the broker start.sh started (SIGTERM: a controlled shutdown; SIGKILL after
# KAFKA_STOP_TIMEOUT seconds, default 30) and removes its PID file. Nothing to stop is not an error.
set -euo pipefail
. "$(dirname "$0")/common.sh"

lock_run_dir
rm -f "$RUN_DIR/ephemeral"
if ! pid=$(broker_pid); then
  rm -f "$PID_FILE"
  say "no broker running from $RUN_DIR"
  exit 0
fi

kill -TERM "$pid" 2>/dev/null || true
for _ in $(seq $((${KAFKA_STOP_TIMEOUT:-30} * 5))); do
  kill -0 "$pid" 2>/dev/null || { rm -f "$PID_FILE"; say "stopped (pid $pid)"; exit 0; }
  sleep 0.2
done
say "no exit ${KAFKA_STOP_TIMEOUT:-30} s after SIGTERM: sending SIGKILL to pid $pid"
kill -KILL "$pid" 2>/dev/null || true
while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
rm -f "$PID_FILE"
say "killed (pid $pid)"
