#!/usr/bin/env bash
# Runs a command with KAFKA_BROKERS pointing at a Kafka broker: the one given, or a local one
# started with start.sh (stopped again afterwards, unless someone else still uses it).
#
#   deploy/kafka/with-kafka.sh npm run jest
#
# - KAFKA_BROKERS set: the command runs against it; nothing is started or stopped.
# - Otherwise start.sh starts a broker or finds the one it started earlier. The broker is stopped
#   when the command ends only if a with-kafka.sh session started it and no other session (another
#   engineer's `npm test` in this checkout) is still using it; a broker started by hand
#   (npm run kafka:start) is left running. The command's exit code is this script's.
# - If no broker can be started: with CI set this fails; locally the command runs anyway and the
#   Kafka tests fail saying KAFKA_BROKERS is missing (they never skip).
set -uo pipefail
. "$(dirname "$0")/common.sh"

[ $# -gt 0 ] || { echo "usage: $0 <command> [args…]" >&2; exit 64; }
[ -n "${KAFKA_BROKERS:-}" ] && exec "$@"

# One lease file per session (named by this script's PID) says who still uses the broker; the
# marker `ephemeral` says a session started it, so the last session out stops it.
leases=$RUN_DIR/leases
lease=$leases/$$

release() {
  lock_run_dir
  rm -f "$lease"
  for other in "$leases"/*; do
    [ -e "$other" ] && ! kill -0 "${other##*/}" 2>/dev/null && rm -f "$other"
  done
  if [ -f "$RUN_DIR/ephemeral" ] && [ -z "$(ls -A "$leases" 2>/dev/null)" ]; then
    KAFKA_LOCK_HELD=1 "$HERE/stop.sh" || true
  fi
  exec 9>&-
}

lock_run_dir
if pid=$(broker_pid) && broker_ready; then
  say "using the broker already running on $ADDRESS (pid $pid)"
  brokers=$ADDRESS
elif brokers=$(KAFKA_LOCK_HELD=1 "$HERE/start.sh"); then
  touch "$RUN_DIR/ephemeral"
else
  exec 9>&-
  if [ -n "${CI:-}" ]; then
    say "no Kafka broker could be started (see above); CI needs one: failing"
    exit 1
  fi
  say "no Kafka broker could be started (see above). Running the command anyway: the Kafka tests will fail saying KAFKA_BROKERS is missing. Set KAFKA_BROKERS=host:port to use a broker of your own."
  exec "$@"
fi
mkdir -p "$leases"
echo "$*" >"$lease"
exec 9>&-

export KAFKA_BROKERS=$brokers
trap release EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
"$@"
exit $?
