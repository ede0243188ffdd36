// The generator's options as command-line options, shared by `tandem generate` and `tandem export`.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "generator/generator.h"

namespace tandem::cli {

// --counters all|cycles -> GeneratorOptions::activity_counters.
inline void add_generator_options(CLI::App* cmd, GeneratorOptions& options) {
  cmd->add_option_function<std::string>(
         "--counters",
         [&options](const std::string& value) { options.activity_counters = value == "all"; },
         "activity counters in the RTL: all (co-simulation and energy need them) or cycles "
         "(smaller, e.g. for an FPGA; the other counter addresses read 0)")
      ->check(CLI::IsMember({"all", "cycles"}))
      ->default_str("all");
}

}  // namespace tandem::cli
