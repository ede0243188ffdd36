// The plain-text build files of an exported package: Makefile (testbench runs without tandem),
// FuseSoC CAPI2 core, Yosys scripts per target, the FPGA I/O wrapper and the SRAM-macro variant
// of the scratchpad.
#pragma once

#include <string>
#include <vector>

#include "core/accelerator_config.h"

namespace tandem {

// `rtl`: the accelerator's Verilog files (package-relative, dependency order).
std::string makefile_text(const std::vector<std::string>& rtl);
std::string fusesoc_core_text(const std::string& hash, const std::vector<std::string>& rtl);
// Yosys script of one target ("ice40", "xilinx", "sram"); the generic target is the RTL
// package's own synth.ys. ice40 and xilinx write under build/<target>/; "sram" synthesizes the
// SRAM-macro variant (`rtl`: its file list) to generic gates around black-box macros.
std::string yosys_target_script(const std::string& target, const std::vector<std::string>& rtl);

// tandem_fpga_top: tandem_top behind a five-pin scan chain (clk, rst_n, scan_in, scan_load,
// scan_out), so that place and route sees the core's logic rather than ~300 I/O pins that no
// small FPGA has. Every core input is driven from the chain and every output captured into it,
// so nothing is optimized away.
std::string fpga_top_text(const AcceleratorConfig& config);
inline constexpr const char* kFpgaTop = "rtl/fpga/tandem_fpga_top.v";

// SRAM macro variant: the scratchpad template compiled with TANDEM_SRAM_MACRO (its banks are
// `tandem_sram_wrapper` instances), and the wrapper that instantiates the user's macro `macro`
// (a black box here).
inline constexpr const char* kSramScratchpad = "rtl/sram/tandem_scratchpad_sram.v";
inline constexpr const char* kSramWrapper = "rtl/sram/tandem_sram_wrapper.v";
std::string sram_scratchpad_text();
std::string sram_wrapper_text(const std::string& macro);

}  // namespace tandem
