// SCALE-Sim topology CSV import (semantics in topology_csv.h).
#include "models/topology_csv.h"

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "core/files.h"
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

struct Row {
  std::string name;
  int values[column_count - 1];  // IFMAP H, IFMAP W, filter H, filter W, channels, filters, stride
};

Row parse_row(const std::vector<std::string>& cells, const SourceLocation& where) {
  if (cells.size() != column_count) {
    throw InputError(where, "", "expected " + std::to_string(column_count) + " columns (Layer name, "
                     "IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, "
                     "Strides), got " + std::to_string(cells.size()));
  }
  Row row;
  row.name = cells[0];
  if (row.name.empty()) throw InputError(where, columns[0], "empty layer name");
  for (int c = 1; c < column_count; ++c) {
    const std::string& cell = cells[static_cast<std::size_t>(c)];
    char* end = nullptr;
    errno = 0;
    const long value = std::strtol(cell.c_str(), &end, 10);
    if (cell.empty() || *end != '\0' || errno != 0 || value < 1 || value > 1 << 20) {
      throw InputError(where, columns[c], "expected a positive integer, got '" + cell + "'");
    }
    row.values[c - 1] = static_cast<int>(value);
  }
  return row;
}

}  // namespace

Network parse_topology_csv(const std::string& text, const std::string& name) {
  Network network;
  network.name = std::filesystem::path(name).stem().string();
  std::stringstream stream(text);
  int line_number = 0;
  bool header_seen = false;
  for (std::string line; std::getline(stream, line);) {
    ++line_number;
    const std::vector<std::string> cells = split_row(line);
    if (cells.empty()) continue;
    if (!header_seen) {  // the one header line
      header_seen = true;
      continue;
    }
    const SourceLocation where{name, line_number, 0};
    const Row row = parse_row(cells, where);
    const auto [ifmap_h, ifmap_w, filter_h, filter_w, channels, filters, stride] = row.values;
    const TensorShape ifmap{ifmap_h, ifmap_w, channels};
    if (filter_h > ifmap_h || filter_w > ifmap_w) {
      throw InputError(where, columns[3], "the " + std::to_string(filter_h) + "x" +
                                              std::to_string(filter_w) + " filter does not fit the " +
                                              ifmap.to_string() + " IFMAP");
    }
    Layer layer;
    layer.name = row.name;
    layer.kind = LayerKind::conv2d;
    layer.kernel_h = filter_h;
    layer.kernel_w = filter_w;
    layer.stride_h = layer.stride_w = stride;
    layer.out_channels = filters;
    layer.padding = Padding::valid;
    const TensorShape scalesim_output{(ifmap_h - filter_h) / stride + 1,
                                      (ifmap_w - filter_w) / stride + 1, filters};
    if (network.layers.empty()) {
      network.input = ifmap;
      layer.inputs = {-1};
    } else {
      const TensorShape previous = network.layers.back().output;
      layer.inputs = {static_cast<int>(network.layers.size()) - 1};
      const bool padded = previous.channels == channels && ifmap_h >= previous.height &&
                          ifmap_w >= previous.width && ifmap_h - previous.height < filter_h &&
                          ifmap_w - previous.width < filter_w;
      if (ifmap != previous) {
        layer.padding = Padding::same;
        const TensorShape same_output{padded_output_size(previous.height, filter_h, stride, Padding::same),
                                      padded_output_size(previous.width, filter_w, stride, Padding::same),
                                      filters};
        if (!padded || same_output != scalesim_output) {
          throw InputError(where, columns[1],
                           "IFMAP " + ifmap.to_string() + " does not follow from the previous "
                           "layer's output " + previous.to_string() + " (tandem chains the rows; "
                           "a padded IFMAP is accepted where 'same' padding gives SCALE-Sim's "
                           "output " + scalesim_output.to_string() + ")");
        }
      }
    }
    for (int producer : layer.inputs) {
      layer.input_shapes.push_back(producer < 0 ? network.input : network.layers.back().output);
    }
    layer.output = scalesim_output;
    network.layers.push_back(layer);
  }
  if (network.layers.empty()) {
    throw InputError({name, line_number, 0}, "", "no layers: expected a header line and one row per layer");
  }
  network.num_classes = network.layers.back().output.channels;
  if (auto problem = network.validate()) throw InputError({name, 0, 0}, "", *problem);
  return network;
}

Network load_topology_csv(const std::string& file) {
  std::string text;
  try {
    text = read_file(file);
  } catch (const FileError& e) {
    throw InputError({file, 0, 0}, "", "cannot open file: " + e.reason());
  }
  return parse_topology_csv(text, file);
}

}  // namespace tandem
