# Shared by start.sh, stop.sh and with-kafka.sh (sourced, not run). Settings, all optional:
#   KAFKA_PORT             client listener on 127.0.0.1 (default 9092)
#   KAFKA_CONTROLLER_PORT  KRaft controller listener on 127.0.0.1 (default 9093)
#   KAFKA_RUN_DIR          PID file, broker log, generated config and data (default <repo>/tmp/kafka);
#                          give each broker on one machine its own run directory and ports
#   KAFKA_START_TIMEOUT    seconds to wait for the broker to be ready (default 90)
#   KAFKA_STOP_TIMEOUT     seconds to wait after SIGTERM before SIGKILL (default 30)
#   KAFKA_HEAP_OPTS        JVM heap (default -Xms256m -Xmx512m)
#   KAFKA_KEEP_DATA        1: start.sh keeps a formatted data directory (a restart, not a new cluster)
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
LIB_DIR=$HERE/lib
PORT=${KAFKA_PORT:-9092}
CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
RUN_DIR=${KAFKA_RUN_DIR:-$REPO/tmp/kafka}
PID_FILE=$RUN_DIR/kafka.pid
LOG_FILE=$RUN_DIR/broker.log
CONFIG_FILE=$RUN_DIR/server.properties
ADDRESS=127.0.0.1:$PORT

say() { echo "[kafka] $*" >&2; }

# Holds $RUN_DIR/lock on fd 9 so that concurrent starts, stops and with-kafka.sh sessions (several
# engineers running `npm test` in one checkout) take turns. A script called by one that already
# holds it (KAFKA_LOCK_HELD=1) must not take it again: flock would wait for its own parent.
lock_run_dir() {
  mkdir -p "$RUN_DIR"
  [ -n "${KAFKA_LOCK_HELD:-}" ] && return 0
  exec 9>"$RUN_DIR/lock"
  flock 9
}

# Prints the PID of the broker this run directory started, if that process is still alive. The
# command line is checked too, so a PID reused by another process after a crash is not mistaken
# for the broker (and never signalled).
broker_pid() {
  local pid
  pid=$(cat "$PID_FILE" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "kafka.Kafka $CONFIG_FILE" || return 1
  echo "$pid"
}

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# Ready = the broker logged the end of its startup and its client port accepts connections.
broker_ready() { grep -q 'Kafka Server started' "$LOG_FILE" 2>/dev/null && port_open "$PORT"; }
