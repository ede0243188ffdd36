// Standard EDA artefacts for a generated package: filelist, Yosys script, SDC constraints.
#pragma once

#include <string>
#include <vector>

namespace tandem {

// `sources` are package-relative Verilog paths in dependency order.
std::string filelist_text(const std::vector<std::string>& sources);
std::string yosys_script_text(const std::vector<std::string>& sources);
std::string sdc_text(int clock_mhz);

}  // namespace tandem
