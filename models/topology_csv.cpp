// SCALE-Sim topology files (formats and semantics in topology_csv.h).
#include "models/topology_csv.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <optional>
#include <sstream>
#include <tuple>

#include "core/input_error.h"
#include "core/text.h"

namespace tandem {

namespace {

const char* const conv_columns[] = {"Layer name",   "IFMAP Height", "IFMAP Width", "Filter Height",
                                    "Filter Width", "Channels",     "Num Filter",  "Strides"};
const char* const gemm_columns[] = {"Layer", "M", "N", "K"};
constexpr int conv_column_count = 8;
constexpr int gemm_column_count = 4;

// Cells of one line: comma-separated, or tab-separated when the line has no comma (one of
// SCALE-Sim's own files uses tabs). Trailing empty cells go; a line of empty cells is empty.
std::vector<std::string> split_row(const std::string& line) {
  const char separator = line.find(',') == std::string::npos && line.find('\t') != std::string::npos ? '\t' : ',';
  std::vector<std::string> cells;
  std::stringstream stream(line);
  for (std::string cell; std::getline(stream, cell, separator);) cells.push_back(trim(cell));
  while (!cells.empty() && cells.back().empty()) cells.pop_back();
  return cells;
}

std::string column_list(const char* const* columns, int count) {
  std::string text;
  for (int c = 0; c < count; ++c) text += (c ? ", " : "") + std::string(columns[c]);
  return text;
}

// What the header line says about the rows that follow.
struct Format {
  bool gemm = false;
  bool width_stride = false;  // a ninth convolution column holds the width stride
};

Format read_header(const std::vector<std::string>& cells) {
  Format format;
  auto header = [&](std::size_t i) { return i < cells.size() ? lowercase(cells[i]) : std::string(); };
  format.gemm = header(1) == "m" && header(2) == "n" && header(3) == "k";
  format.width_stride = !format.gemm && header(8).find("stride") != std::string::npos;
  return format;
}

int positive_cell(const std::vector<std::string>& cells, int c, const char* column, const SourceLocation& where) {
  const std::string& cell = cells[static_cast<std::size_t>(c)];
  char* end = nullptr;
  errno = 0;
  const long value = std::strtol(cell.c_str(), &end, 10);
  if (cell.empty() || *end != '\0' || errno != 0 || value < 1 || value > 1 << 20) {
    throw InputError(where, column, "expected a positive integer up to 1048576, got '" + cell + "'");
  }
  return static_cast<int>(value);
}

// SCALE-Sim's output size along one axis: ceil((ifmap - filter + stride) / stride).
int scalesim_output_size(int ifmap, int filter, int stride) { return (ifmap - filter + stride - 1) / stride + 1; }

// The accelerator's programs address 4 GiB of DRAM (docs/isa.md): a row whose int8 IFMAP or
// weights alone exceed it could never run, and would only exhaust host memory on the way.
void check_dram_fit(const TopologyRow& row, const char* ifmap_column, const char* filter_column) {
  const std::int64_t limit = std::int64_t{1} << 32;
  const std::int64_t ifmap = std::int64_t{row.ifmap_h} * row.ifmap_w * row.channels;
  const std::int64_t filters = std::int64_t{row.filter_h} * row.filter_w * row.channels * row.filters;
  const std::int64_t ofmap = std::int64_t{scalesim_output_size(row.ifmap_h, row.filter_h, row.stride_h)} *
                             scalesim_output_size(row.ifmap_w, row.filter_w, row.stride_w) * row.filters;
  for (const auto& [bytes, what, column] : {std::tuple{ifmap, "IFMAP", ifmap_column},
                                            std::tuple{filters, "filters", filter_column},
                                            std::tuple{ofmap, "OFMAP", filter_column}}) {
    if (bytes > limit) {
      throw InputError(row.where, column, std::string("the ") + what + " would take " + std::to_string(bytes) +
                                              " bytes at int8; tandem's accelerators address at most 4 GiB of DRAM");
    }
  }
}

TopologyRow parse_row(const std::vector<std::string>& cells, const Format& format, const SourceLocation& where) {
  const char* const* columns = format.gemm ? gemm_columns : conv_columns;
  const int count = format.gemm ? gemm_column_count : conv_column_count;
  if (static_cast<int>(cells.size()) < count) {
    throw InputError(where, "", "expected " + std::to_string(count) + " columns (" + column_list(columns, count) +
                                    "), got " + std::to_string(cells.size()));
  }
  TopologyRow row;
  row.where = where;
  row.name = cells[0];
  if (row.name.empty()) throw InputError(where, columns[0], "empty layer name");
  if (format.gemm) {
    row.gemm = true;
    row.ifmap_h = positive_cell(cells, 1, "M", where);
    row.filters = positive_cell(cells, 2, "N", where);
    row.channels = positive_cell(cells, 3, "K", where);
    row.ifmap_w = row.filter_h = row.filter_w = row.stride_h = row.stride_w = 1;
    check_dram_fit(row, "M", "N");
    return row;
  }
  int* const fields[] = {&row.ifmap_h, &row.ifmap_w,  &row.filter_h, &row.filter_w,
                         &row.channels, &row.filters, &row.stride_h};
  for (int c = 1; c < count; ++c) *fields[c - 1] = positive_cell(cells, c, columns[c], where);
  row.stride_w = row.stride_h;
  if (format.width_stride && cells.size() > 8 && !cells[8].empty()) {
    row.stride_w = positive_cell(cells, 8, "Stride width", where);
  }
  if (row.filter_h > row.ifmap_h || row.filter_w > row.ifmap_w) {
    throw InputError(where, columns[3], "the " + std::to_string(row.filter_h) + "x" + std::to_string(row.filter_w) +
                                            " filter does not fit the " +
                                            TensorShape{row.ifmap_h, row.ifmap_w, row.channels}.to_string() +
                                            " IFMAP");
  }
  check_dram_fit(row, columns[1], columns[6]);
  return row;
}

// A row's conv2d with SCALE-Sim's output size; its input is set by the caller. Where SCALE-Sim's
// rounding up puts the last window past the input's end, the taps outside are padding after the
// input (SCALE-Sim fetches nothing for them, and counts their MACs): explicit padding at the
// bottom/right; otherwise valid padding.
Layer row_layer(const TopologyRow& row) {
  Layer layer;
  layer.name = row.name;
  layer.kind = LayerKind::conv2d;
  layer.kernel_h = row.filter_h;
  layer.kernel_w = row.filter_w;
  layer.stride_h = row.stride_h;
  layer.stride_w = row.stride_w;
  layer.out_channels = row.filters;
  layer.output = {scalesim_output_size(row.ifmap_h, row.filter_h, row.stride_h),
                  scalesim_output_size(row.ifmap_w, row.filter_w, row.stride_w), row.filters};
  layer.pad_bottom = (layer.output.height - 1) * row.stride_h + row.filter_h - row.ifmap_h;
  layer.pad_right = (layer.output.width - 1) * row.stride_w + row.filter_w - row.ifmap_w;
  layer.padding = layer.pad_bottom > 0 || layer.pad_right > 0 ? Padding::explicit_pads : Padding::valid;
  return layer;
}

// Calls `visit` with each row in file order, checked as it is reached, so that the first error
// in the file is the one reported.
void for_each_row(std::string text, const std::string& name, const std::function<void(const TopologyRow&)>& visit) {
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);  // UTF-8 byte order mark
  std::stringstream stream(text);
  int line_number = 0;
  std::optional<Format> format;
  bool any = false;
  for (std::string line; std::getline(stream, line);) {
    ++line_number;
    const std::vector<std::string> cells = split_row(line);
    if (cells.empty()) continue;
    if (!format) {  // the one header line
      format = read_header(cells);
      continue;
    }
    visit(parse_row(cells, *format, {name, line_number, 0}));
    any = true;
  }
  if (!any) {
    throw InputError({name, line_number, 0}, "", "no layers: expected a header line (" +
                                                     column_list(conv_columns, conv_column_count) + ", or " +
                                                     column_list(gemm_columns, gemm_column_count) +
                                                     ") and one row per layer");
  }
}

}  // namespace

const char* topology_mode_name(TopologyMode mode) {
  return mode == TopologyMode::chained ? "chained" : "independent";
}

const std::vector<std::string>& topology_mode_names() {
  static const std::vector<std::string> names = {topology_mode_name(TopologyMode::independent),
                                                 topology_mode_name(TopologyMode::chained)};
  return names;
}

bool parse_topology_mode(const std::string& name, TopologyMode* mode) {
  for (TopologyMode m : {TopologyMode::independent, TopologyMode::chained}) {
    if (name == topology_mode_name(m)) {
      *mode = m;
      return true;
    }
  }
  return false;
}

std::int64_t TopologyRow::macs() const {
  const std::int64_t ofmap_h = scalesim_output_size(ifmap_h, filter_h, stride_h),
                     ofmap_w = scalesim_output_size(ifmap_w, filter_w, stride_w);
  return ofmap_h * ofmap_w * filter_h * filter_w * channels * static_cast<std::int64_t>(filters);
}

std::vector<TopologyRow> parse_topology_rows(const std::string& text, const std::string& name) {
  std::vector<TopologyRow> rows;
  for_each_row(text, name, [&](const TopologyRow& row) { rows.push_back(row); });
  return rows;
}

Network topology_row_network(const TopologyRow& row) {
  Network network;
  network.name = row.name;
  network.input = {row.ifmap_h, row.ifmap_w, row.channels};
  Layer layer = row_layer(row);
  layer.inputs = {-1};
  layer.input_shapes = {network.input};
  network.layers.push_back(layer);
  network.num_classes = row.filters;
  if (auto problem = network.validate()) throw InputError(row.where, "", *problem);
  return network;
}

Network parse_topology_csv(const std::string& text, const std::string& name) {
  Network network;
  network.name = std::filesystem::path(name).stem().string();
  for_each_row(text, name, [&](const TopologyRow& row) {
    const TensorShape ifmap{row.ifmap_h, row.ifmap_w, row.channels};
    Layer layer = row_layer(row);
    if (network.layers.empty()) {
      network.input = ifmap;
      layer.inputs = {-1};
    } else {
      const TensorShape previous = network.layers.back().output;
      layer.inputs = {static_cast<int>(network.layers.size()) - 1};
      const bool padded = previous.channels == row.channels && row.ifmap_h >= previous.height &&
                          row.ifmap_w >= previous.width && row.ifmap_h - previous.height < row.filter_h &&
                          row.ifmap_w - previous.width < row.filter_w;
      if (ifmap != previous) {
        layer.padding = Padding::same;
        const TensorShape same_output{
            padded_output_size(previous.height, row.filter_h, row.stride_h, Padding::same),
            padded_output_size(previous.width, row.filter_w, row.stride_w, Padding::same), row.filters};
        if (!padded || same_output != layer.output) {
          throw InputError(row.where, conv_columns[1],
                           "IFMAP " + ifmap.to_string() + " does not follow from the previous "
                           "layer's output " + previous.to_string() + " (the rows are chained; "
                           "a padded IFMAP is accepted where 'same' padding gives SCALE-Sim's "
                           "output " + layer.output.to_string() + "; SCALE-Sim itself runs every "
                           "row as an independent layer: topology mode 'independent')");
        }
      }
    }
    for (int producer : layer.inputs) {
      layer.input_shapes.push_back(producer < 0 ? network.input : network.layers.back().output);
    }
    network.layers.push_back(layer);
  });
  network.num_classes = network.layers.back().output.channels;
  if (auto problem = network.validate()) throw InputError({name, 0, 0}, "", *problem);
  return network;
}

std::vector<Network> load_topology(const std::string& file, TopologyMode mode) {
  const std::string text = read_input_file(file);
  if (mode == TopologyMode::chained) return {parse_topology_csv(text, file)};
  std::vector<Network> networks;
  for_each_row(text, file, [&](const TopologyRow& row) { networks.push_back(topology_row_network(row)); });
  return networks;
}

}  // namespace tandem
