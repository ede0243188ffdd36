#!/usr/bin/env bash
# Regenerates the experiments of docs/results.md (the paper's comparisons on tandem's own runs).
# Every variant is flows/experiments/base.yaml with the changes listed here; the tables come from
# `tandem compare --by-seed` (mean ± spread over the seeds). Accuracies come from the
# weight-sharing supernet (trained once, cached), hardware from the analytic model, so a study of
# 300 trials takes minutes; every study is resumable (rerun the script after an interruption).
#
#   scripts/experiments.sh                          every stage, 3 seeds, 300 trials per study
#   STAGES="modes strategies" SEEDS="1 2" TRIALS=100 scripts/experiments.sh
#
# Stages: modes (joint vs hardware-only vs network-only vs phased), blocks (HW-aware space vs
# MBConv only), usecases (latency limits as soft targets vs hard constraints, and energy),
# energy (energy at equal accuracy against network-only search on an Edge-TPU-like
# accelerator), strategies (evolution vs bayesian vs ppo vs random on the joint space).
set -euo pipefail
cd "$(dirname "$0")/.."
TANDEM="${TANDEM:-build/release/tandem}"
OUT="${OUT:-out/experiments}"
SEEDS="${SEEDS:-1 2 3}"
TRIALS="${TRIALS:-300}"
STAGES="${STAGES:-modes blocks usecases energy strategies}"
TARGET="${TARGET:-0.66}"          # reward for "trials to reach" (docs/results.md)
BASE=${BASE:-flows/experiments/base.yaml}
mkdir -p "$OUT/flows"

# variant NAME [sed expressions...]: writes $OUT/flows/NAME.yaml and runs (or resumes) its search.
variant() {
  local name=$1; shift
  sed -e "s/^name: .*/name: $name/" -e "s#^output_dir: .*#output_dir: $OUT/$name#" \
      -e "s/^  trials: .*/  trials: $TRIALS/" "$@" "$BASE" > "$OUT/flows/$name.yaml"
  echo "== $name ($(date +%H:%M:%S))" >&2
  "$TANDEM" search --quiet "$OUT/flows/$name.yaml" > "$OUT/$name.log"
}
seed() { echo "s/^seed: .*/seed: $1/"; }
mode() { echo "s/^  mode: .*/  mode: $1/"; }
strategy() { echo "s/^  strategy: .*/  strategy: { name: $1 }/"; }
# hardware_only's fixed network: a member of the proxy space, so that the supernet can rate it.
fixed_network=(-e 's#^search:#network: zoo:proxy_mobilenet_v2\nsearch:#')
mbconv_only=(-e 's#^  network_space: proxy#&\n  network_choices: { s1.block: [mbconv], s2.block: [mbconv], s3.block: [mbconv], s4.block: [mbconv] }#')
energy_objective=(-e 's#^  objective: .*#  objective: { kind: reward, cost: energy, target: 50, weight: -0.07 }#')
hard_latency() { echo "s#^    latency: { max: .*#    latency: { max: $1 }#"; }
soft_target() { echo "s#target: 300,#target: $1,#"; }
edge_tpu_like=(-e 's#^  array: .*#  array: { rows: 64, cols: 64, dataflow: weight_stationary }#'
               -e 's#^  buffers: .*#  buffers: { input_kib: 512, weight_kib: 512, output_kib: 512, banks: 4 }#'
               -e 's#^  vector: .*#  vector: { lanes: 64 }#'
               -e 's#^  dram: .*#  dram: { bytes_per_cycle: 32, latency_cycles: 100 }#'
               -e 's#^    area: .*#    area: { max: 20.0 }#')
compare() { "$TANDEM" compare --markdown --by-seed --target-reward "$TARGET" "$@"; }
studies() { local prefix=$1; for s in $SEEDS; do echo "$OUT/$prefix-s$s"; done; }
has_stage() { [[ " $STAGES " == *" $1 "* ]]; }

# 1. Joint vs hardware-only vs network-only vs phased, same budget and seeds.
if has_stage modes; then
  for s in $SEEDS; do
    variant "joint-s$s" -e "$(seed "$s")"
    variant "hardware_only-s$s" -e "$(seed "$s")" -e "$(mode hardware_only)" "${fixed_network[@]}"
    variant "network_only-s$s" -e "$(seed "$s")" -e "$(mode network_only)"
    variant "phased-s$s" -e "$(seed "$s")" -e "$(mode phased)"
  done
  compare $(studies joint) $(studies hardware_only) $(studies network_only) $(studies phased) > "$OUT/1-modes.md"
fi

# 2. Fused-MBConv and plain convolutions next to MBConv (the HW-aware space) against MBConv only.
if has_stage blocks; then
  for s in $SEEDS; do variant "mbconv_only-s$s" -e "$(seed "$s")" "${mbconv_only[@]}"; done
  compare $(studies joint) $(studies mbconv_only) > "$OUT/2-blocks.md"
fi

# 3. Use cases: a latency limit as the soft reward's target only, or as a hard constraint, at two
#    limits; and energy instead of latency. The tables count winners over the limit.
if has_stage usecases; then
  for limit in 150 600; do
    for s in $SEEDS; do
      variant "soft$limit-s$s" -e "$(seed "$s")" -e "$(soft_target $limit)"
      variant "hard$limit-s$s" -e "$(seed "$s")" -e "$(soft_target $limit)" -e "$(hard_latency $limit)"
    done
    compare --latency-limit "$limit" $(studies "soft$limit") $(studies "hard$limit") > "$OUT/3-latency$limit.md"
  done
  for s in $SEEDS; do variant "energy-s$s" -e "$(seed "$s")" "${energy_objective[@]}"; done
fi

# 4. Energy at equal accuracy: joint search against network-only search on a fixed
#    Edge-TPU-like accelerator (64x64, 512 KiB buffers), both optimizing energy.
if has_stage energy; then
  for s in $SEEDS; do
    [[ -e "$OUT/energy-s$s/study.db" ]] || variant "energy-s$s" -e "$(seed "$s")" "${energy_objective[@]}"
    variant "edge_tpu_network_only-s$s" -e "$(seed "$s")" -e "$(mode network_only)" "${energy_objective[@]}" \
            "${edge_tpu_like[@]}"
  done
  "$TANDEM" compare --markdown --by-seed --equal-accuracy 0.8 $(studies energy) $(studies edge_tpu_network_only) \
      > "$OUT/4-energy.md"
fi

# 5. Strategies on the joint space: the same budget for each.
if has_stage strategies; then
  for name in bayesian ppo random; do
    for s in $SEEDS; do variant "joint_$name-s$s" -e "$(seed "$s")" -e "$(strategy $name)"; done
  done
  compare $(studies joint) $(studies joint_bayesian) $(studies joint_ppo) $(studies joint_random) > "$OUT/5-strategies.md"
fi
echo "tables: $OUT/[1-5]-*.md" >&2
