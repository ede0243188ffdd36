// SCALE-Sim topology CSVs: one convolution per row with the columns
//   Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter,
//   Strides
// after one header line; trailing commas and blank lines occur and are ignored. SCALE-Sim
// semantics: no padding, output = (input - filter) / stride + 1. Each row becomes a conv2d reading
// the previous row's output (the first row reads the network input):
//   - IFMAP equal to the previous output: valid padding, exactly SCALE-Sim's arithmetic;
//   - IFMAP larger than the previous output by less than the filter (SCALE-Sim topologies list
//     padded inputs): `same` padding, accepted only if it gives SCALE-Sim's output size;
//   - anything else (pooling or flattening left out of the topology) is rejected with the line.
// A row with IFMAP 1x1 and a 1x1 filter reading a 1x1 previous output is a fully connected
// layer in SCALE-Sim's convention and stays a 1x1 conv2d (same arithmetic).
#pragma once

#include <string>
#include <vector>

#include "core/input_error.h"
#include "models/network.h"

namespace tandem {

// Throws InputError naming file:line (and the column's header name) for malformed rows.
Network load_topology_csv(const std::string& file);
Network parse_topology_csv(const std::string& text, const std::string& name);

// The rows themselves, each checked on its own (positive integers, the filter fits the IFMAP),
// for callers that take every row as an independent layer, as SCALE-Sim does.
struct TopologyRow {
  SourceLocation where;  // file:line of the row
  std::string name;
  int ifmap_h = 0, ifmap_w = 0, filter_h = 0, filter_w = 0, channels = 0, filters = 0, stride = 0;
};
std::vector<TopologyRow> parse_topology_rows(const std::string& text, const std::string& name);

// One row as a network of one conv2d with its own input, in SCALE-Sim's semantics (no padding,
// output (IFMAP - filter) / stride + 1, `Num Filter` output channels).
Network topology_row_network(const TopologyRow& row);

}  // namespace tandem
