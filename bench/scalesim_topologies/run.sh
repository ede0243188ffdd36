#!/usr/bin/env bash
# Every SCALE-Sim v2 topology (default: ../shared/scale-sim/topologies/conv_nets) simulated with the
# analytic evaluator on a SCALE-Sim configuration, rows as independent layers as SCALE-Sim runs
# them: rows, MACs, cycles, array utilization (MACs / (cycles x PEs)), host seconds and peak memory.
#   bench/scalesim_topologies/run.sh [CONFIG.cfg] [TOPOLOGY_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
cfg=${1:-../shared/scale-sim/configs/eyeriss.cfg}
dir=${2:-../shared/scale-sim/topologies/conv_nets}
tandem=build/release/tandem
[[ -x $tandem ]] || { echo "build first: cmake --build --preset release" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '%-26s %5s %14s %14s %7s %9s %9s\n' topology rows MACs cycles util host_s peak_MB
for topology in "$dir"/*.csv; do
  name=$(basename "$topology")
  if ! /usr/bin/time -f '%e %M' -o "$out/time" "$tandem" simulate --scalesim-config "$cfg" --topology "$topology" \
      --json "$out/metrics.json" 2>"$out/log"; then
    echo "$name: FAILED"; tail -3 "$out/log"; continue
  fi
  read -r seconds kb <"$out/time"
  /usr/bin/python3 - "$out/metrics.json" "$name" "$seconds" "$kb" "$cfg" <<'PY'
import configparser, json, sys
metrics_file, name, seconds, kb, cfg = sys.argv[1:]
m = json.load(open(metrics_file))
ini = configparser.ConfigParser()
ini.read(cfg)
pes = int(ini["architecture_presets"]["ArrayHeight"]) * int(ini["architecture_presets"]["ArrayWidth"])
macs = sum(layer["macs"] for layer in m["layers"])
cycles = m["total"]["cycles"]
print("%-26s %5d %14d %14d %6.1f%% %9.2f %9d" % (name, len(m["layers"]), macs, cycles,
      100.0 * macs / (cycles * pes), float(seconds), int(kb) // 1024))
PY
done
