#!/usr/bin/env bash
# The sky130 route on single operators (operators.v): `tandem synth --target sky130` on a
# stand-in package, then OpenSTA's worst register-to-register path into each operator's
# result. Prints "operator  delay_ns": the period less the worst slack (clock-to-Q, logic and
# setup; the route's critical_path_ns), against a 10 ns clock.
#   bench/sky130_micro/run.sh [OUT_DIR]   (default out/sky130-micro; TANDEM: the binary)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."
out="${1:-out/sky130-micro}"
tandem="${TANDEM:-build/${TANDEM_PRESET:-release}/tandem}"
rm -rf "$out"
mkdir -p "$out/synth" "$out/rtl"
cp "$here/operators.v" "$out/rtl/"
echo "rtl/operators.v" > "$out/filelist_sram.f"
echo "# stand-in" > "$out/synth.ys"
printf 'create_clock -name clk -period 10.000 [get_ports clk]\n' > "$out/constraints.sdc"
printf '(* blackbox *)\nmodule tandem_sram_1r1w (input logic CLK);\nendmodule\n' > "$out/synth/sram_blackbox.v"
"$tandem" synth "$out" --target sky130 > "$out/synth.log"
cat > "$out/operators.tcl" <<TCL
foreach lib [glob $out/build/sky130/*.lib] { read_liberty \$lib }
read_verilog $out/build/sky130/netlist.v
link_design tandem_top
read_sdc $out/constraints.sdc
foreach op {add32 add48 mul32x16 mul16x16 mac8} {
  set worst 0.0
  foreach cell [get_cells *] {
    if {![string match "y_\${op}*" [get_full_name \$cell]]} continue
    foreach path [find_timing_paths -to [get_pins -of_objects \$cell -filter "direction == input"] -path_delay max] {
      set worst [expr max(\$worst, 10.0 - [get_property \$path slack])]
    }
  }
  puts [format "%-10s %6.2f ns" \$op \$worst]
}
TCL
sta -no_splash -exit "$out/operators.tcl" 2>/dev/null | grep " ns$"
