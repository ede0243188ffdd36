#!/usr/bin/env bash
# Cluster execution against local workers: the same small study (the stand-in accuracy command
# of the tests, DELAY seconds per evaluation, TRIALS trials, WORKERS per batch) run by
# `tandem search` locally and with execution: {kind: slurm} on a private single-node Slurm
# cluster (tests/slurm/cluster.sh), each from a cold accuracy cache. Prints wall seconds, and
# the per-job overhead of the cluster: (slurm - local) / batches. Needs root (the cluster's
# daemons) and the packages of scripts/install-deps.sh.
#   bench/cluster/run.sh [OUT_DIR]   (default out/bench-cluster; TRIALS=16 WORKERS=2 DELAY="0 3")
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."
out="$(mkdir -p "${1:-out/bench-cluster}" && cd "${1:-out/bench-cluster}" && pwd)"
tandem="$(pwd)/${TANDEM:-build/${TANDEM_PRESET:-release}/tandem}"
trials="${TRIALS:-16}"
workers="${WORKERS:-2}"
delays="${DELAY:-0 3}"

cluster="$(mktemp -d /tmp/tandem-bench-cluster-XXXXXX)"
trap 'bash tests/slurm/cluster.sh stop "$cluster" >/dev/null 2>&1 || true; rm -rf "$cluster"' EXIT
bash tests/slurm/cluster.sh start "$cluster" >/dev/null
export SLURM_CONF="$cluster/slurm.conf"

# flow NAME DELAY EXECUTION: a network_only study whose every trial measures its accuracy.
flow() {
  mkdir -p "$out/$1"
  cat > "$out/$1/flow.yaml" <<YAML
name: $1
output_dir: $out/$1/out
seed: 3
accelerator: { array: { rows: 8, cols: 8 } }
search:
  mode: network_only
  objective: { kind: reward, cost: latency, target: 500 }
  constraints: { area: { max: 1.5 } }
  accuracy: { kind: command, command: '$(pwd)/tests/data/search/fake_accuracy.sh {network} {hash} $2' }
  strategy: { name: random }
  trials: $trials
  workers: $workers
  validate_top: 0
$3
YAML
  echo "$out/$1/flow.yaml"
}

seconds() {  # seconds FLOW: wall time of a fresh search from a cold cache
  rm -rf "$(dirname "$1")/cache"
  local start end
  start=$(date +%s.%N)
  "$tandem" search --quiet --fresh --cache-dir "$(dirname "$1")/cache" "$1" >/dev/null 2>&1
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { print b - a }' 
}

printf '%-8s %-8s %-8s %-10s %-10s %s\n' trials workers delay_s local_s slurm_s overhead_s_per_batch
for delay in $delays; do
  local_s=$(seconds "$(flow "local-$delay" "$delay" "")")
  slurm_s=$(seconds "$(flow "slurm-$delay" "$delay" "  execution: { kind: slurm, poll_seconds: 0.5 }")")
  batches=$(( (trials + workers - 1) / workers ))
  printf '%-8s %-8s %-8s %-10.1f %-10.1f %.2f\n' "$trials" "$workers" "$delay" "$local_s" "$slurm_s" \
    "$(awk -v s="$slurm_s" -v l="$local_s" -v n="$batches" 'BEGIN { print (s - l) / n }')"
done
