#include "handoff/package_scripts.h"

#include <map>

#include "core/host_interface.h"
#include "core/text.h"
#include "handoff/testbench.h"

namespace tandem {

namespace {

// The bits of tandem_top's ports of one direction but the clock and reset, packed into one
// vector in port order: each port's slice of it, and the total width.
struct PortSlices {
  std::map<std::string, std::string> slice;  // port name -> "<vector>[hi:lo]"
  int bits = 0;
};

PortSlices port_slices(isa::Direction direction, const std::string& vector, int bytes_per_cycle) {
  PortSlices slices;
  for (const isa::Port& port : isa::host_ports()) {
    const std::string name = port.name;
    if (port.direction != direction || name == "clk" || name == "rst_n") continue;
    const int bits = port.bits(bytes_per_cycle);
    const int hi = slices.bits + bits - 1;
    slices.slice[name] = vector + "[" + std::to_string(hi) +
                         (bits > 1 ? ":" + std::to_string(slices.bits) : "") + "]";
    slices.bits += bits;
  }
  return slices;
}

}  // namespace

std::string makefile_text(const std::vector<std::string>& rtl) {
  return "# Runs the self-checking testbench with plain tools; tandem is not needed.\n"
         "#   make sim-icarus      Icarus Verilog (iverilog -g2012, vvp)\n"
         "#   make sim-verilator   Verilator 5 (--binary, timing)\n"
         "#   make lint            verilator --lint-only -Wall on RTL and testbench\n"
         "#   make sim-icarus PLUSARGS=+max_cycles=1000   a smaller watchdog cap\n"
         "# Each run prints PASS or FAIL: ...; a failure exits non-zero.\n"
         "RTL := " + join(rtl, " \\\n       ") + "\n"
         "TB := tb/tandem_tb.sv\n"
         "PLUSARGS ?=\n\n"
         ".PHONY: sim sim-icarus sim-verilator lint clean\n"
         "sim: sim-icarus sim-verilator\n\n"
         "build/icarus/tandem_tb.vvp: $(RTL) $(TB)\n"
         "\tmkdir -p build/icarus\n"
         "\tiverilog -g2012 -Irtl -s tandem_tb -o $@ $(RTL) $(TB)\n\n"
         "sim-icarus: build/icarus/tandem_tb.vvp\n"
         "\tvvp -n $< $(PLUSARGS)\n\n"
         "build/verilator/tandem_tb: $(RTL) $(TB)\n"
         "\tmkdir -p build/verilator\n"
         "\tverilator --binary --timing -j 2 -Irtl --top-module tandem_tb -Mdir build/verilator -o tandem_tb "
         "$(RTL) $(TB)\n\n"
         "sim-verilator: build/verilator/tandem_tb\n"
         "\t./build/verilator/tandem_tb $(PLUSARGS)\n\n"
         "lint:\n"
         "\tverilator --lint-only -Wall --timing -Irtl --top-module tandem_tb $(RTL) $(TB)\n\n"
         "clean:\n"
         "\trm -rf build\n";
}

std::string fusesoc_core_text(const std::string& hash, const std::vector<std::string>& rtl) {
  std::string text =
      "CAPI=2:\n"
      "# FuseSoC core of tandem accelerator " + hash + ". `fusesoc run --target sim` runs the\n"
      "# self-checking testbench (the hex vectors are read relative to the working directory:\n"
      "# run from this folder, or use the Makefile).\n"
      "name: tandem:accelerator:tandem_top_" + hash + ":0.1.0\n"
      "description: tandem edge NN accelerator " + hash + "\n\n"
      "filesets:\n"
      "  rtl:\n"
      "    files:\n"
      "      - rtl/tandem_isa.vh: {is_include_file: true}\n";
  for (const auto& file : rtl) text += "      - " + file + "\n";
  text +=
      "    file_type: systemVerilogSource\n"
      "  tb:\n"
      "    files:\n"
      "      - tb/tandem_tb.sv\n"
      "      - " + std::string(kProgramHex) + ": {file_type: user, copyto: " + kProgramHex + "}\n"
      "      - " + kDramHex + ": {file_type: user, copyto: " + kDramHex + "}\n"
      "      - " + kExpectedHex + ": {file_type: user, copyto: " + kExpectedHex + "}\n"
      "    file_type: systemVerilogSource\n\n"
      "targets:\n"
      "  default: &default\n"
      "    filesets: [rtl]\n"
      "    toplevel: tandem_top\n"
      "  sim:\n"
      "    <<: *default\n"
      "    filesets: [rtl, tb]\n"
      "    toplevel: tandem_tb\n"
      "    default_tool: icarus\n"
      "    tools:\n"
      "      icarus:\n"
      "        iverilog_options: [-g2012]\n"
      "      verilator:\n"
      "        mode: binary\n"
      "        verilator_options: [--timing]\n"
      "  synth:\n"
      "    <<: *default\n"
      "    default_tool: yosys\n"
      "    tools:\n"
      "      yosys:\n"
      "        arch: ice40\n";
  return text;
}

std::string yosys_target_script(const std::string& target, const std::vector<std::string>& rtl) {
  // -defer: elaborate only with the top's parameters (see synth.ys).
  const std::string read = "read_verilog -defer -sv -Irtl " + join(rtl, " ") + "\n";
  if (target == "ice40") {
    return "# iCE40: yosys -l build/ice40/yosys.log -s synth/ice40.ys, then nextpnr-ice40 on\n"
           "# build/ice40/tandem.json (tandem synth DIR --target ice40 runs both). The top is the\n"
           "# block-RAM I/O wrapper, so the design fits the FPGA's pins; scratchpads become SB_RAM40_4K.\n" +
           read + "read_verilog -defer -sv " + kFpgaTop + "\n" +
           "synth_ice40 -dsp -top tandem_fpga_top -json build/ice40/tandem.json\n"
           "tee -o build/ice40/stat.txt stat\n";
  }
  if (target == "sram") {
    return "# ASIC with SRAM macros: yosys -l synth_sram.log -s synth/sram.ys. Generic gates, with\n"
           "# every scratchpad bank a tandem_sram_wrapper around the macro, a black box here\n"
           "# (synth/sram_blackbox.v): synth_sram_stat.txt counts one macro instance per bank.\n"
           "read_verilog -sv -lib synth/sram_blackbox.v\n" +
           read + "synth -flatten -top tandem_top\n"
           "tee -o synth_sram_stat.txt stat\n";
  }
  return "# Xilinx 7-series estimate: yosys -l build/xilinx/yosys.log -s synth/xilinx.ys\n"
         "# (LUT/FF/DSP/BRAM from the final stat; no place and route).\n" +
         read + "synth_xilinx -flatten -top tandem_top\n"
         "tee -o build/xilinx/stat.txt stat\n";
}

std::string fpga_top_text(const AcceleratorConfig& config) {
  const int bpc = config.dram.bytes_per_cycle;
  const PortSlices in = port_slices(isa::Direction::input, "in_q", bpc);
  const PortSlices out = port_slices(isa::Direction::output, "out_d", bpc);
  const std::string connections = isa::instance_connections(
      [&](const isa::Port& port) {
        const auto& slices = port.direction == isa::Direction::input ? in.slice : out.slice;
        const auto it = slices.find(port.name);
        return it == slices.end() ? std::string(port.name) : it->second;  // clk, rst_n
      },
      "      ");
  return "// tandem_fpga_top: tandem_top with its hundreds of I/O pins fed from and into block RAMs,\n"
         "// for resource and Fmax figures on small FPGAs (4 pins). The core's inputs are the\n"
         "// registered read data of 16-bit block RAMs; the RAMs are written with the core's\n"
         "// outputs (folded onto the RAMs' width, scan_in mixed in), so every output stays observable\n"
         "// and every input varies, and synthesis removes nothing. The wrapper itself costs two 8-bit\n"
         "// address counters, the fold's XORs and one block RAM per 16 input bits, not a flip-flop per\n"
         "// input. Not a functional harness: the package's testbench drives tandem_top.\n"
         "module tandem_fpga_top (\n"
         "    input  logic clk,\n"
         "    input  logic rst_n,\n"
         "    input  logic scan_in,\n"
         "    output logic scan_out\n"
         ");\n"
         "  localparam int InBits = " + std::to_string(in.bits) + ";\n"
         "  localparam int OutBits = " + std::to_string(out.bits) + ";\n"
         "  localparam int Rams = (InBits + 15) / 16;\n"
         "  localparam int FoldBits = 16 * Rams;\n"
         "  /* verilator lint_off UNUSEDSIGNAL */  // the last RAM's bits past InBits\n"
         "  logic [FoldBits-1:0] in_q;\n"
         "  /* verilator lint_on UNUSEDSIGNAL */\n"
         "  logic [OutBits-1:0] out_d;\n"
         "  // Output bit j lands in fold bit j mod FoldBits; fold bits beyond the outputs repeat them.\n"
         "  function automatic logic fold_bit(input logic [OutBits-1:0] o, input int k);\n"
         "    logic b;\n"
         "    begin\n"
         "      b = k < OutBits ? 1'b0 : o[k % OutBits];\n"
         "      for (int j = k; j < OutBits; j += FoldBits) b = b ^ o[j];\n"
         "      fold_bit = b;\n"
         "    end\n"
         "  endfunction\n"
         "  logic [FoldBits-1:0] fold;\n"
         "  for (genvar k = 0; k < FoldBits; k++) begin : g_fold\n"
         "    if (k == 0) begin : g_scan_in\n"
         "      assign fold[k] = fold_bit(out_d, k) ^ scan_in;\n"
         "    end else begin : g_outputs\n"
         "      assign fold[k] = fold_bit(out_d, k);\n"
         "    end\n"
         "  end\n"
         "  logic [7:0] waddr_q, raddr_q;\n"
         "  logic [Rams-1:0] ram_bit0;\n"
         "  always_ff @(posedge clk) begin\n"
         "    waddr_q <= waddr_q + 8'd1;\n"
         "    raddr_q <= raddr_q + 8'd3;\n"
         "    scan_out <= ^ram_bit0;  // one bit of every RAM: each RAM, hence all logic, is used\n"
         "  end\n"
         "  for (genvar i = 0; i < Rams; i++) begin : g_ram\n"
         "    (* no_rw_check *) logic [15:0] words[0:255];\n"
         "    // Contents that differ per address, so that an output that happens to be constant\n"
         "    // (e.g. csr_rdata's upper word with --counters cycles) never makes a RAM's read\n"
         "    // data, hence a core input, constant for synthesis.\n"
         "    initial for (int a = 0; a < 256; a++) words[a] = 16'(a * 40503 + i * 9973 + 1);\n"
         "    always_ff @(posedge clk) begin\n"
         "      words[waddr_q] <= fold[16*i+:16];\n"
         "      in_q[16*i+:16] <= words[raddr_q];\n"
         "    end\n"
         "    assign ram_bit0[i] = in_q[16*i];\n"
         "  end\n"
         "  tandem_top core (\n" + connections +
         "  );\n"
         "endmodule\n";
}

std::string sram_scratchpad_text() {
  // One source for the scratchpad: the template itself, with each bank a tandem_sram_wrapper
  // instance under TANDEM_SRAM_MACRO (rtl_templates/tandem_scratchpad.v), not a copy of it.
  return "// tandem_scratchpad, SRAM-macro variant: rtl/tandem_scratchpad.v with every bank a\n"
         "// tandem_sram_wrapper instance instead of an inferred memory. Select it by listing this\n"
         "// file instead of rtl/tandem_scratchpad.v (filelist_sram.f does; +incdir+rtl finds the\n"
         "// template).\n"
         "`define TANDEM_SRAM_MACRO\n"
         "`include \"tandem_scratchpad.v\"\n"
         "`undef TANDEM_SRAM_MACRO\n";
}

std::string sram_wrapper_text(const std::string& macro) {
  return "// tandem_sram_wrapper: one scratchpad bank, WIDTH x DEPTH, one write port and one read\n"
         "// port whose data appears the cycle after `re` (what the accelerator expects, see\n"
         "// docs/isa.md \"Storage\"). It instantiates the SRAM macro `" + macro + "`, a black box\n"
         "// for simulation and synthesis here. Adapt THIS file to your memory compiler's macro:\n"
         "// rename ports, invert enables (many macros use active-low CEN/WEN), tile several fixed-size\n"
         "// macros for a larger bank, or tie off test pins. The rest of the RTL stays untouched.\n"
         "module tandem_sram_wrapper #(\n"
         "    parameter int WIDTH = 32,\n"
         "    parameter int DEPTH = 256,\n"
         "    parameter int AW = 8\n"
         ") (\n"
         "    input  logic             clk,\n"
         "    input  logic             we,\n"
         "    input  logic [   AW-1:0] waddr,\n"
         "    input  logic [WIDTH-1:0] wdata,\n"
         "    input  logic             re,\n"
         "    input  logic [   AW-1:0] raddr,\n"
         "    output logic [WIDTH-1:0] rdata\n"
         ");\n"
         "  " + macro + " #(\n"
         "      .WIDTH(WIDTH), .DEPTH(DEPTH), .AW(AW)\n"
         "  ) macro (\n"
         "      .CLK(clk), .WE(we), .WADDR(waddr), .WDATA(wdata), .RE(re), .RADDR(raddr), .RDATA(rdata)\n"
         "  );\n"
         "endmodule\n";
}

}  // namespace tandem
