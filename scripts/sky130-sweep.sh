#!/usr/bin/env bash
# The sky130 timing sweep of docs/results.md "Timing closure": exports every configuration of
# bench/sky130_sweep/ and synthesizes it with `tandem synth --target sky130` (Yosys + ABC +
# OpenSTA; minutes each, the 16x16 about 20), then prints bench_sky130's table.
#   scripts/sky130-sweep.sh [OUT_DIR]   (default out/sky130-sweep; JOBS=2 runs two at once)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/sky130-sweep}"
jobs="${JOBS:-2}"
tandem="${TANDEM:-build/${TANDEM_PRESET:-release}/tandem}"  # TANDEM: another tandem binary
mkdir -p "$out"
for config in bench/sky130_sweep/*.yaml; do
  name="$(basename "$config" .yaml)"
  echo "$name"
done | xargs -P "$jobs" -I{} sh -c "
  $tandem export --accel bench/sky130_sweep/{}.yaml -o '$out/{}' --no-measure > '$out/{}.log' 2>&1 &&
  $tandem synth '$out/{}' --target sky130 >> '$out/{}.log' 2>&1 && echo '{}: done' || echo '{}: FAILED (see $out/{}.log)'"
"build/${TANDEM_PRESET:-release}/bench/bench_sky130" "$out"/*/
