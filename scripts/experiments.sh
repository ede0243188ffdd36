#!/usr/bin/env bash
# Regenerates the experiments of docs/results.md (the paper's four comparisons on tandem's own
# runs). Every variant is flows/experiments/base.yaml with the changes listed here; the tables
# come from `tandem compare`. Trainings are cached by (network, recipe), so a rerun only
# recomputes what changed.
#
#   scripts/experiments.sh            all four experiments, 2 seeds, 16 trials each
#   SEEDS="1" TRIALS=12 scripts/experiments.sh    the budget of docs/results.md
set -euo pipefail
cd "$(dirname "$0")/.."
TANDEM="${TANDEM:-build/release/tandem}"
OUT="${OUT:-out/experiments}"
SEEDS="${SEEDS:-1 2}"
TRIALS="${TRIALS:-24}"
BASE=flows/experiments/base.yaml
mkdir -p "$OUT/flows"

# variant NAME [sed expressions...]: writes $OUT/flows/NAME.yaml and runs its search.
variant() {
  local name=$1; shift
  sed -e "s/^name: .*/name: $name/" -e "s#^output_dir: .*#output_dir: $OUT/$name#" \
      -e "s/^  trials: .*/  trials: $TRIALS/" "$@" "$BASE" > "$OUT/flows/$name.yaml"
  echo "== $name" >&2
  "$TANDEM" search --quiet "$OUT/flows/$name.yaml" > "$OUT/$name.log"
}
seed() { echo "s/^seed: .*/seed: $1/"; }
mode() { echo "s/^  mode: .*/  mode: $1/"; }
fixed_network=(-e 's#^search:#network: zoo:proxy_mobilenet_v1\nsearch:#')
mbconv_only=(-e 's#^  network_space: proxy#&\n  network_choices: { s1.block: [mbconv], s2.block: [mbconv], s3.block: [mbconv], s4.block: [mbconv] }#')
energy_objective=(-e 's#^  objective: .*#  objective: { kind: reward, cost: energy, target: 50, weight: -0.07 }#')
edge_tpu_like=(-e 's#^  array: .*#  array: { rows: 64, cols: 64, dataflow: weight_stationary }#'
               -e 's#^  buffers: .*#  buffers: { input_kib: 512, weight_kib: 512, output_kib: 512, banks: 4 }#'
               -e 's#^  vector: .*#  vector: { lanes: 64 }#'
               -e 's#^  dram: .*#  dram: { bytes_per_cycle: 32, latency_cycles: 100 }#'
               -e 's#^    area: .*#    area: { max: 20.0 }#')
compare() { "$TANDEM" compare --markdown "$@"; }

# 1. Joint vs hardware-only vs network-only vs phased, same budget and seeds.
modes=()
for s in $SEEDS; do
  variant "joint-s$s" -e "$(seed "$s")"
  variant "hardware_only-s$s" -e "$(seed "$s")" -e "$(mode hardware_only)" "${fixed_network[@]}"
  variant "network_only-s$s" -e "$(seed "$s")" -e "$(mode network_only)"
  variant "phased-s$s" -e "$(seed "$s")" -e "$(mode phased)"
  modes+=("$OUT/joint-s$s" "$OUT/hardware_only-s$s" "$OUT/network_only-s$s" "$OUT/phased-s$s")
done
compare "${modes[@]}" > "$OUT/1-modes.md"

# 2. Fused-MBConv next to MBConv against MBConv only, on the same accelerator space.
first_seed="${SEEDS%% *}"
variant "mbconv_only-s$first_seed" -e "$(seed "$first_seed")" "${mbconv_only[@]}"
compare "$OUT/joint-s$first_seed" "$OUT/mbconv_only-s$first_seed" > "$OUT/2-blocks.md"

# 3. Use cases: a tight and a loose latency target, and energy instead of latency.
variant "latency100-s$first_seed" -e "$(seed "$first_seed")" -e 's/target: 300/target: 100/'
variant "latency1000-s$first_seed" -e "$(seed "$first_seed")" -e 's/target: 300/target: 1000/'
variant "energy-s$first_seed" -e "$(seed "$first_seed")" "${energy_objective[@]}"
compare "$OUT/latency100-s$first_seed" "$OUT/joint-s$first_seed" "$OUT/latency1000-s$first_seed" \
        "$OUT/energy-s$first_seed" > "$OUT/3-use-cases.md"

# 4. Energy at equal accuracy: joint search against network-only search on a fixed
#    Edge-TPU-like accelerator (64x64, 512 KiB buffers), both optimizing energy.
variant "edge_tpu_network_only-s$first_seed" -e "$(seed "$first_seed")" -e "$(mode network_only)" \
        "${energy_objective[@]}" "${edge_tpu_like[@]}"
compare --equal-accuracy 0.75 "$OUT/energy-s$first_seed" "$OUT/edge_tpu_network_only-s$first_seed" \
        > "$OUT/4-energy.md"
echo "tables: $OUT/[1-4]-*.md" >&2
