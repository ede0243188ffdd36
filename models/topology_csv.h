// SCALE-Sim topology files, read as SCALE-Sim v2 reads them. Two formats, told apart by the
// header line:
//   convolution: Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels,
//                Num Filter, Strides   (a ninth column headed "Stride..." is the width stride;
//                further columns are ignored, as SCALE-Sim ignores them)
//   GEMM:        Layer, M, N, K        (an M x K by K x N matrix product)
// Cells are separated by commas (or tabs in a line without commas); trailing commas, blank
// lines, rows of empty cells and a UTF-8 byte order mark occur in SCALE-Sim's own files and are
// ignored.
//
// SCALE-Sim's semantics (TopologyMode::independent, the default): every row is its own layer with
// its own input tensor: a conv2d with `Num Filter` output channels and SCALE-Sim's output size
// ceil((IFMAP - Filter + Stride) / Stride), no padding before the input; where that rounds up,
// the last window reaches past the input's end and the taps there are padding after it
// (explicit padding; SCALE-Sim fetches nothing for them and counts their MACs). Depthwise layers appear in SCALE-Sim's files as `Channels C, Num
// Filter 1` and are run as exactly that (a convolution with one filter, SCALE-Sim's MACs). A GEMM
// row becomes tandem's equivalent: a 1x1 conv2d over an M x 1 x K input with N filters (M*N*K
// MACs, as SCALE-Sim's own conversion to a 1 x K filter over an M x K IFMAP gives).
//
// TopologyMode::chained (explicit): the rows form one network, each row reading the previous
// row's output (the first reads the network input):
//   - IFMAP equal to the previous output: exactly SCALE-Sim's arithmetic, as above;
//   - IFMAP larger than the previous output by less than the filter (SCALE-Sim topologies list
//     padded inputs): `same` padding, accepted only if it gives SCALE-Sim's output size;
//   - anything else (pooling or flattening left out of the topology) is rejected with the line.
#pragma once

#include <string>
#include <vector>

#include "core/input_error.h"
#include "models/network.h"

namespace tandem {

enum class TopologyMode { independent, chained };
const char* topology_mode_name(TopologyMode mode);
const std::vector<std::string>& topology_mode_names();  // "independent", "chained"
bool parse_topology_mode(const std::string& name, TopologyMode* mode);

// One row, checked on its own (positive integers, the filter fits the IFMAP). GEMM rows are held
// in their convolution form (ifmap M x 1 x K, 1x1 filter, N filters, stride 1).
struct TopologyRow {
  SourceLocation where;  // file:line of the row
  std::string name;
  int ifmap_h = 0, ifmap_w = 0, filter_h = 0, filter_w = 0, channels = 0, filters = 0;
  int stride_h = 0, stride_w = 0;
  bool gemm = false;  // read from a GEMM (M, N, K) row

  // SCALE-Sim's MAC count: ofmap_h * ofmap_w * filter_h * filter_w * channels * filters, with
  // ofmap = ceil((ifmap - filter + stride) / stride).
  std::int64_t macs() const;
};

// Throws InputError naming file:line (and the column's header name) for malformed rows.
std::vector<TopologyRow> parse_topology_rows(const std::string& text, const std::string& name);

// One row as a network of one conv2d with its own input, in SCALE-Sim's semantics.
Network topology_row_network(const TopologyRow& row);

// The rows chained into one network (TopologyMode::chained above).
Network parse_topology_csv(const std::string& text, const std::string& name);

// A topology in either mode: one network per row (independent) or one chained network.
std::vector<Network> load_topology(const std::string& file, TopologyMode mode);

}  // namespace tandem
