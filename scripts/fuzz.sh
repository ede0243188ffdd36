#!/usr/bin/env bash
# The long fuzz runs (docs/fuzzing.md): builds tandem_fuzz with the asan preset (AddressSanitizer
# + UndefinedBehaviorSanitizer) and runs every target for RUNS executions (default 10^6), JOBS
# targets at a time (default 2). Prints each target's figures; a finding's input is left in
# OUT/<target>/finding-*. Exit status 1 if any target found something.
#
#   scripts/fuzz.sh [OUT]            RUNS=1000000 JOBS=2 SEED=1
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-out/fuzz}"
RUNS="${RUNS:-1000000}"
JOBS="${JOBS:-2}"
SEED="${SEED:-1}"
cmake --preset asan >/dev/null
cmake --build --preset asan --target tandem_fuzz
FUZZ=build/asan/tests/fuzz/tandem_fuzz
mkdir -p "$OUT"
targets=$("$FUZZ" --list)
status=0
echo "$targets" | xargs -P "$JOBS" -I{} sh -c \
  "'$FUZZ' --target {} --runs $RUNS --seed $SEED --work '$OUT/{}' > '$OUT/{}.txt' 2>&1" || status=1
echo "target       executions   accepted   rejected  findings   exec/s  slowest (ms)"
for t in $targets; do
  tail -n +2 "$OUT/$t.txt"
done
exit $status
