// Reading networks: the YAML network format (schema in docs/networks.md), SCALE-Sim topology
// CSVs (topology_csv.h) and zoo names, behind one loader. YAML errors read
// "file:line:col: error: field: message (what is valid)" like every tandem input.
#pragma once

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include <string>

#include "models/network.h"
#include "models/topology_csv.h"

namespace tandem {

// Reads a `network:` mapping. Relative weight file paths are resolved against `file`'s folder.
// Throws InputError for anything wrong, including shapes that do not chain.
Network parse_network(const YAML::Node& node, const std::string& file,
                      const std::string& path = "network");
// Reads a file whose top level is `network: {...}`.
Network load_network_file(const std::string& file);

// What a network source holds: one network, or several independent ones (a SCALE-Sim topology
// read as SCALE-Sim runs it: every row its own layer with its own input, topology_csv.h).
struct Workload {
  std::string name;
  std::vector<Network> networks;
};

// "zoo:NAME" -> the zoo model; "*.csv" -> a SCALE-Sim topology (one network per row, or one
// chained network); anything else -> a YAML file.
Workload load_workload(const std::string& source, TopologyMode topology = TopologyMode::independent);
// For commands that take one network: as load_workload, and a source holding several networks
// is an InputError naming the file and the way to chain its rows.
Network load_network(const std::string& source, TopologyMode topology = TopologyMode::independent);

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
// A workload of one network: its table and JSON as above; of several independent networks: one
// row per layer with its own input shape, and the totals.
std::string workload_table(const Workload& workload);
nlohmann::ordered_json workload_json(const Workload& workload);
std::int64_t total_macs(const Workload& workload);
// "300.8M", "25.6M", "1.81G": three significant digits for summaries.
std::string human_count(std::int64_t value);

}  // namespace tandem
