// The flow file: what a `tandem run` does. For now a flow names an output directory and an
// accelerator; the search issue extends it with the network side, objectives and strategy.
#pragma once

#include <string>

#include "core/accelerator_config.h"

namespace tandem {

struct FlowSpec {
  std::string file;        // where it was read from
  std::string name;        // a short identifier, used in output names
  std::string output_dir;  // default: out/<name>
  AcceleratorConfig accelerator;
};

// Throws InputError (file:line:column, field, what is valid) for any problem.
FlowSpec load_flow_file(const std::string& file);

}  // namespace tandem
