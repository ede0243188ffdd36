// The flow file: what `tandem run` and `tandem search` do. A flow names an output directory, an
// accelerator (the one to run, or the search's baseline) and optionally a network; its `search:`
// section (mode, spaces, objective, constraints, accuracy meter, strategy, budget) belongs
// to the search stage, which parses it (search/search_flow.h). Schema: docs/search.md.
#pragma once

#include <cstdint>
#include <string>

#include <yaml-cpp/yaml.h>

#include "core/accelerator_config.h"

namespace tandem {

struct FlowSpec {
  std::string file;        // where it was read from
  std::string name;        // a short identifier, used in output names
  std::string output_dir;  // default: out/<name>
  AcceleratorConfig accelerator;
  std::string network;     // optional: a network to simulate (YAML file, topology CSV, zoo:NAME)
  std::uint64_t seed = 1;  // random weights (when the network has none) and inputs
  bool has_search = false;  // the flow has a `search:` section
  YAML::Node search;        // that section as written
};

// Throws InputError (file:line:column, field, what is valid) for any problem.
FlowSpec load_flow_file(const std::string& file);

}  // namespace tandem
