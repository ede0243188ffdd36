// The YAML and JSON forms of the accelerator configuration and of its declared space.
#pragma once

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>
#include <string>

#include "core/accelerator_config.h"

namespace tandem {

// Reads an `accelerator:` mapping. Absent keys take their defaults. Throws InputError naming
// file:line:column and the field for unknown keys, wrong types, out-of-range values and broken
// cross-field constraints. `path` is the mapping's own dotted path, for messages.
AcceleratorConfig parse_accelerator(const YAML::Node& node, const std::string& file,
                                    const std::string& path = "accelerator");

// Reads a file whose top level is `accelerator: {...}`.
AcceleratorConfig load_accelerator_file(const std::string& file);

// Normalized YAML: every parameter, declaration order, with a top-level `accelerator:` key.
std::string accelerator_to_yaml(const AcceleratorConfig& config);
nlohmann::ordered_json accelerator_to_json(const AcceleratorConfig& config);
// The inverse of accelerator_to_json, exact and without constraint checks: for stored records
// (the study database), which hold whatever configuration was evaluated. Throws
// std::invalid_argument naming the parameter for a missing, unknown-choice or non-integer value.
AcceleratorConfig accelerator_from_json(const nlohmann::json& json);

// The declared space, for `tandem config space`.
std::string space_table();
nlohmann::ordered_json space_json();

}  // namespace tandem
