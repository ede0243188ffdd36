#include "generator/eda_scripts.h"

#include <cstdio>

namespace tandem {

std::string filelist_text(const std::vector<std::string>& sources) {
  std::string text = "+incdir+rtl\n";
  for (const auto& source : sources) text += source + "\n";
  return text;
}

std::string yosys_script_text(const std::vector<std::string>& sources) {
  std::string text =
      "# Generic synthesis: yosys -l synth.log -s synth.ys (run from the package directory).\n"
      "# Scratchpads stay memory cells ($mem_v2): an SRAM macro (ASIC) or block RAM (FPGA)\n"
      "# takes their place, so they are not flattened into flip-flops here. -defer: modules are\n"
      "# elaborated once, with tandem_top's parameters (Yosys 0.23 fails re-elaborating defaults).\n"
      "read_verilog -defer -sv -I rtl";
  for (const auto& source : sources) text += " " + source;
  text +=
      "\n"
      "hierarchy -check -top tandem_top\n"
      "synth -top tandem_top -run begin:fine\n"
      "opt -fast -full\n"
      "techmap\n"
      "opt -fast\n"
      "abc -fast\n"
      "opt -fast\n"
      "hierarchy -check\n"
      "check -assert\n"
      "# No latches anywhere: every register is a flip-flop.\n"
      "select -assert-none t:$dlatch t:$adlatch t:$dlatchsr t:$_DLATCH_* t:$_DLATCHSR_*\n"
      "tee -o synth_stat.txt stat\n";
  return text;
}

std::string sdc_text(int clock_mhz) {
  char period[32];
  std::snprintf(period, sizeof period, "%.3f", 1000.0 / clock_mhz);
  return std::string("# Target clock from accelerator.clock_mhz = ") + std::to_string(clock_mhz) +
         " MHz.\n"
         "create_clock -name clk -period " + period + " [get_ports clk]\n"
         "set_clock_uncertainty 0.05 [get_clocks clk]\n"
         "# Host and memory interfaces are registered on the other side: budget 20% of the\n"
         "# period for external paths. (all_inputs includes clk, whose input delay tools ignore:\n"
         "# OpenSTA with a warning. remove_from_collection and all_inputs -no_clocks are not\n"
         "# portable to OpenSTA.)\n"
         "set_input_delay -clock clk [expr 0.2 * " + period + "] [all_inputs]\n"
         "set_output_delay -clock clk [expr 0.2 * " + period + "] [all_outputs]\n"
         "# The counter read is a two-cycle read (docs/isa.md \"Host interface\"): the host holds\n"
         "# csr_addr for two cycles before it samples csr_rdata.\n"
         "set_multicycle_path -setup 2 -from [get_ports csr_addr*] -to [get_ports csr_rdata*]\n"
         "set_multicycle_path -hold 1 -from [get_ports csr_addr*] -to [get_ports csr_rdata*]\n";
}

}  // namespace tandem
