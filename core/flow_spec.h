// The flow file: what a `tandem run` does. For now a flow names an output directory, an
// accelerator and optionally a network to simulate on it; the search issue extends it with the
// network side, objectives and strategy.
#pragma once

#include <cstdint>
#include <string>

#include "core/accelerator_config.h"

namespace tandem {

struct FlowSpec {
  std::string file;        // where it was read from
  std::string name;        // a short identifier, used in output names
  std::string output_dir;  // default: out/<name>
  AcceleratorConfig accelerator;
  std::string network;     // optional: a network to simulate (YAML file, topology CSV, zoo:NAME)
  std::uint64_t seed = 1;  // random weights (when the network has none) and inputs
};

// Throws InputError (file:line:column, field, what is valid) for any problem.
FlowSpec load_flow_file(const std::string& file);

}  // namespace tandem
