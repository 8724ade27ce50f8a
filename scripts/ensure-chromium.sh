#!/usr/bin/env bash
# `npm test` runs this first (pretest), and so does .ci/run: the browser tests (tests/e2e) drive Debian's
# Chromium through playwright-core, never a downloaded browser build. A fresh machine of this kind has no
# Chromium, so install Debian's package when it is missing (needs root and Debian's package mirror).
set -u
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] && exit 0
echo "chromium missing at $CHROMIUM: installing Debian's package (browser tests need it)"
log=$(mktemp)
if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >"$log" 2>&1 && [ -x "$CHROMIUM" ]; then
  echo "chromium: $("$CHROMIUM" --version 2>/dev/null | head -1)"
  exit 0
fi
tail -20 "$log"
echo "FATAL: cannot install chromium (browser tests need $CHROMIUM): run 'apt-get install chromium' as root, or set CHROMIUM_PATH"
exit 1
