// The generator's options as command-line options, shared by `tandem generate` and `tandem export`.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "generator/generator.h"

namespace tandem::cli {

// --counters all|cycles, --logic-multipliers N, --requant-product split|single -> GeneratorOptions.
inline void add_generator_options(CLI::App* cmd, GeneratorOptions& options) {
  cmd->add_option_function<std::string>(
         "--counters",
         [&options](const std::string& value) { options.activity_counters = value == "all"; },
         "activity counters in the RTL: all (co-simulation and energy need them) or cycles "
         "(smaller, e.g. for an FPGA; the other counter addresses read 0)")
      ->check(CLI::IsMember({"all", "cycles"}))
      ->default_str("all");
  cmd->add_option("--logic-multipliers", options.logic_multipliers,
                  "PEs whose multiplier is built in logic rather than a DSP block (for FPGAs with "
                  "fewer DSPs than the PEs plus 6 per vector lane)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option_function<std::string>(
         "--requant-product",
         [&options](const std::string& value) { options.split_requant_product = value == "split"; },
         "the requantizers' 32x32 product: split (two halves, meets 100 MHz on sky130 cells) or "
         "single (fewer LUTs on a small FPGA); same cycles")
      ->check(CLI::IsMember({"split", "single"}))
      ->default_str("split");
}

}  // namespace tandem::cli
