#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the dashboard's browser test
# (test/e2e/dashboard.browser.e2e.spec.ts drives it with playwright-core; nothing is downloaded
# by a test tool). Installs it with apt-get when it is missing and this user may; otherwise says
# so — with CI set that fails, locally the browser test then fails saying how to install it.
set -uo pipefail
say() { echo "[chromium] $*" >&2; }

[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  say "not installed: installing Debian's chromium"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq >&2 && apt-get install -y -qq chromium >&2; then exit 0; fi
fi
say "Chromium is not at /usr/bin/chromium and could not be installed here: run 'apt-get install chromium' as root"
[ -n "${CI:-}" ] && exit 1
exit 0
