// Reading networks: the YAML network format (schema in docs/networks.md), SCALE-Sim topology
// CSVs (topology_csv.h) and zoo names, behind one loader. YAML errors read
// "file:line:col: error: field: message (what is valid)" like every tandem input.
#pragma once

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include <string>

#include "models/network.h"

namespace tandem {

// Reads a `network:` mapping. Relative weight file paths are resolved against `file`'s folder.
// Throws InputError for anything wrong, including shapes that do not chain.
Network parse_network(const YAML::Node& node, const std::string& file,
                      const std::string& path = "network");
// Reads a file whose top level is `network: {...}`.
Network load_network_file(const std::string& file);

// "zoo:NAME" -> the zoo model; "*.csv" -> a SCALE-Sim topology; anything else -> a YAML file.
Network load_network(const std::string& source);

// The network as a YAML network file (structure and quantization scalars; weight arrays are
// written inline). load_network_file of the text gives the same network back.
std::string network_to_yaml(const Network& network);
// The same network as a directory: DIR/network.yaml with each weighted layer's arrays in
// DIR/weights/<layer>.weights.npy (int8) and <layer>.bias.npy (int32), referenced by relative
// weights_file/bias_file (one-dimensional, in the layouts of LayerQuant). Creates DIR; returns
// the YAML's path. Throws std::runtime_error when a file cannot be written.
std::string write_network_directory(const Network& network, const std::string& dir);

// For people: one row per layer (kind, inputs, kernel/stride, output shape, activation, MACs,
// parameters, activation bytes) and the totals.
std::string network_table(const Network& network);
// For machines: the same per layer, plus totals.
nlohmann::ordered_json network_json(const Network& network);
// "300.8M", "25.6M", "1.81G": three significant digits for summaries.
std::string human_count(std::int64_t value);

}  // namespace tandem
