// SCALE-Sim topology CSV import (semantics in topology_csv.h).
#include "models/topology_csv.h"

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <sstream>

#include "core/input_error.h"

namespace tandem {

namespace {

const char* const columns[] = {"Layer name",   "IFMAP Height", "IFMAP Width", "Filter Height",
                               "Filter Width", "Channels",     "Num Filter",  "Strides"};
constexpr int column_count = 8;

std::string trim(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  const auto end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

std::vector<std::string> split_row(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream stream(line);
  for (std::string cell; std::getline(stream, cell, ',');) cells.push_back(trim(cell));
  while (!cells.empty() && cells.back().empty()) cells.pop_back();  // trailing commas
  return cells;
}

TopologyRow parse_row(const std::vector<std::string>& cells, const SourceLocation& where) {
  if (cells.size() != column_count) {
    throw InputError(where, "", "expected " + std::to_string(column_count) + " columns (Layer name, "
                     "IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, "
                     "Strides), got " + std::to_string(cells.size()));
  }
  TopologyRow row;
  row.where = where;
  row.name = cells[0];
  if (row.name.empty()) throw InputError(where, columns[0], "empty layer name");
  int* const fields[] = {&row.ifmap_h, &row.ifmap_w,  &row.filter_h, &row.filter_w,
                         &row.channels, &row.filters, &row.stride};
  for (int c = 1; c < column_count; ++c) {
    const std::string& cell = cells[static_cast<std::size_t>(c)];
    char* end = nullptr;
    errno = 0;
    const long value = std::strtol(cell.c_str(), &end, 10);
    if (cell.empty() || *end != '\0' || errno != 0 || value < 1 || value > 1 << 20) {
      throw InputError(where, columns[c], "expected a positive integer, got '" + cell + "'");
    }
    *fields[c - 1] = static_cast<int>(value);
  }
  if (row.filter_h > row.ifmap_h || row.filter_w > row.ifmap_w) {
    throw InputError(where, columns[3], "the " + std::to_string(row.filter_h) + "x" + std::to_string(row.filter_w) +
                                            " filter does not fit the " +
                                            TensorShape{row.ifmap_h, row.ifmap_w, row.channels}.to_string() +
                                            " IFMAP");
  }
  return row;
}

// A row's conv2d, valid padding, SCALE-Sim's output size; its input is set by the caller.
Layer row_layer(const TopologyRow& row) {
  Layer layer;
  layer.name = row.name;
  layer.kind = LayerKind::conv2d;
  layer.kernel_h = row.filter_h;
  layer.kernel_w = row.filter_w;
  layer.stride_h = layer.stride_w = row.stride;
  layer.out_channels = row.filters;
  layer.padding = Padding::valid;
  layer.output = {(row.ifmap_h - row.filter_h) / row.stride + 1, (row.ifmap_w - row.filter_w) / row.stride + 1,
                  row.filters};
  return layer;
}

}  // namespace

namespace {

// Calls `visit` with each row in file order, checked as it is reached, so that the first error
// in the file is the one reported.
void for_each_row(const std::string& text, const std::string& name,
                  const std::function<void(const TopologyRow&)>& visit) {
  std::stringstream stream(text);
  int line_number = 0;
  bool header_seen = false, any = false;
  for (std::string line; std::getline(stream, line);) {
    ++line_number;
    const std::vector<std::string> cells = split_row(line);
    if (cells.empty()) continue;
    if (!header_seen) {  // the one header line
      header_seen = true;
      continue;
    }
    visit(parse_row(cells, {name, line_number, 0}));
    any = true;
  }
  if (!any) throw InputError({name, line_number, 0}, "", "no layers: expected a header line and one row per layer");
}

}  // namespace

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
        const TensorShape same_output{padded_output_size(previous.height, row.filter_h, row.stride, Padding::same),
                                      padded_output_size(previous.width, row.filter_w, row.stride, Padding::same),
                                      row.filters};
        if (!padded || same_output != layer.output) {
          throw InputError(row.where, columns[1],
                           "IFMAP " + ifmap.to_string() + " does not follow from the previous "
                           "layer's output " + previous.to_string() + " (tandem chains the rows; "
                           "a padded IFMAP is accepted where 'same' padding gives SCALE-Sim's "
                           "output " + layer.output.to_string() + ")");
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

Network load_topology_csv(const std::string& file) {
  const std::string text = read_input_file(file);
  return parse_topology_csv(text, file);
}

}  // namespace tandem
