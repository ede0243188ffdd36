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

#include "models/network.h"

namespace tandem {

// Throws InputError naming file:line (and the column's header name) for malformed rows.
Network load_topology_csv(const std::string& file);
Network parse_topology_csv(const std::string& text, const std::string& name);

}  // namespace tandem
