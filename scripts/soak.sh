#!/usr/bin/env bash
# `npm run test:soak [N]`: run the whole jest suite N times in a row (default 5, or SOAK_RUNS) while a CPU hog
# keeps every core busy, so tests that only pass on an idle machine show up here instead of in CI.
# Prints one line per run (passed, failed, seconds, load average while it ran) and, at the end, every test
# that failed with its file:line and in how many runs. Exits non-zero when any run failed.
set -uo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-${SOAK_RUNS:-5}}
case "$RUNS" in '' | *[!0-9]* | 0) echo "usage: npm run test:soak [-- N]   (N >= 1, or SOAK_RUNS=N)"; exit 2 ;; esac
CORES=$(nproc)
OUT=$(mktemp -d /tmp/soak.XXXXXX)
HOG_PIDS=()
SAMPLER_PID=
JEST_PID=

cleanup() {
  # The hog must never outlive the soak, whatever ends it (failure, Ctrl-C, a killed npm); nor the
  # jest run it interrupted (jest's own teardown then stops the processes the tests started).
  [ -n "$JEST_PID" ] && kill "$JEST_PID" 2>/dev/null
  for pid in "${HOG_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null
  wait 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The browser tests need Chromium; npm test's pretest installs it, so do the same here.
bash scripts/ensure-chromium.sh || exit 1

if ! command -v stress-ng >/dev/null 2>&1; then
  echo "stress-ng missing: installing Debian's package"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq stress-ng) >"$OUT/apt.log" 2>&1 ||
    echo "could not install stress-ng (see $OUT/apt.log): using a Node busy loop instead"
fi

echo "== type-check (once)"
npx tsc --noEmit -p . || { echo "type errors: no soak run"; exit 1; }

if command -v stress-ng >/dev/null 2>&1; then
  stress-ng --cpu "$CORES" --timeout 0 --quiet &
  HOG_PIDS+=("$!")
  HOG="stress-ng --cpu $CORES"
else
  for _ in $(seq 1 "$CORES"); do
    node -e 'for (;;) {}' &
    HOG_PIDS+=("$!")
  done
  HOG="$CORES node busy loops"
fi
echo "== soak: $RUNS run(s) of the whole suite on $CORES cores with $HOG busy (reports in $OUT)"

# One sample of the 1-minute load average every 5 s, so each run can report its load.
(while :; do echo "$(date +%s) $(cut -d' ' -f1 /proc/loadavg)" >>"$OUT/load"; sleep 5; done) &
SAMPLER_PID=$!

failed_runs=0
for i in $(seq 1 "$RUNS"); do
  start=$(date +%s)
  # In the background and waited for, so that a signal reaches the trap at once, not after the run.
  node node_modules/.bin/jest --json --testLocationInResults --outputFile="$OUT/run-$i.json" >"$OUT/run-$i.log" 2>&1 &
  JEST_PID=$!
  wait "$JEST_PID"
  rc=$?
  JEST_PID=
  end=$(date +%s)
  [ "$rc" -ne 0 ] && failed_runs=$((failed_runs + 1))
  node scripts/soak-report.js line "$OUT/run-$i.json" "$i" "$rc" "$start" "$end" "$OUT/load"
done

echo
node scripts/soak-report.js summary "$OUT" "$RUNS"
echo "logs and jest reports: $OUT"
[ "$failed_runs" -eq 0 ]
