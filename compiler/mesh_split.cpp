// Splitting a layer across the cores of a mesh (docs/compiler.md, "Meshes"): each core computes
// a band of output rows and/or a group of output channels as a layer of its own, compiled for
// one core and moved to its own part of the shared DRAM.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "compiler/compiler.h"
#include "compiler/lowering.h"

namespace tandem {
namespace {

// The part of the output one core computes: rows [row_begin, row_end) and channels
// [channel_begin, channel_end) of every column.
struct MeshPart {
  int row_begin = 0, row_end = 0;
  int channel_begin = 0, channel_end = 0;
};

// Whether the layer's output rows can be split: not where every output reads every input row
// (fully connected, global average pooling).
bool splits_rows(const Layer& layer) {
  return layer.kind != LayerKind::fully_connected && layer.kind != LayerKind::global_avg_pool;
}

// [begin, end) of part `index` of `count` near-equal parts of `size` (the first ones larger).
std::pair<int, int> share(int size, int count, int index) {
  const int base = size / count, extra = size % count;
  const int begin = index * base + std::min(index, extra);
  return {begin, begin + base + (index < extra ? 1 : 0)};
}

std::vector<MeshPart> parts_of(const Layer& layer, const MeshSplit& split) {
  std::vector<MeshPart> parts;
  for (int band = 0; band < split.row_bands; ++band) {
    for (int group = 0; group < split.channel_groups; ++group) {
      MeshPart part;
      std::tie(part.row_begin, part.row_end) = share(layer.output.height, split.row_bands, band);
      std::tie(part.channel_begin, part.channel_end) =
          share(layer_out_channels(layer), split.channel_groups, group);
      parts.push_back(part);
    }
  }
  return parts;
}

// Input rows [begin, end) that output rows [row_begin, row_end) read, and the padding the part
// needs above and below them.
struct RowWindow {
  int begin = 0, end = 0, pad_top = 0, pad_bottom = 0;
};

RowWindow input_rows(const Layer& layer, const MeshPart& part) {
  const TensorShape& input = layer.input_shapes.front();
  if (!splits_rows(layer)) return {0, input.height, 0, 0};
  if (!is_window_layer(layer.kind)) return {part.row_begin, part.row_end, 0, 0};
  const WindowPads pads = window_pads(layer, input);
  const int first = part.row_begin * layer.stride_h - pads.top;  // may lie in the padding
  const int last = (part.row_end - 1) * layer.stride_h - pads.top + layer.kernel_h - 1;
  RowWindow window;
  window.begin = std::max(0, first);
  window.end = std::min(input.height, last + 1);
  window.pad_top = window.begin - first;
  window.pad_bottom = last + 1 - window.end;
  return window;
}

// Whether the part's input channels are a slice of the layer's (they are for every layer that
// keeps its channels; convolutions and fully connected layers read all of theirs).
bool slices_input_channels(const Layer& layer) {
  return layer.kind != LayerKind::conv2d && layer.kind != LayerKind::fully_connected;
}

// The layer's structure alone: parts of it are planned without copying its weights each time.
Layer without_quantization(const Layer& layer) {
  Layer structure = layer;
  structure.quant.reset();
  return structure;
}

template <class T>
std::vector<T> slice(const std::vector<T>& v, int begin, int end) {
  return std::vector<T>(v.begin() + begin, v.begin() + end);
}

// The part as a layer of its own (shapes, padding, weights and per-channel parameters).
Layer part_layer(const Layer& layer, const MeshPart& part) {
  Layer sub = layer;
  const RowWindow rows = input_rows(layer, part);
  const int channels = part.channel_end - part.channel_begin;
  for (TensorShape& shape : sub.input_shapes) {
    shape.height = rows.end - rows.begin;
    if (slices_input_channels(layer)) shape.channels = channels;
  }
  if (is_window_layer(layer.kind)) {
    const WindowPads pads = window_pads(layer, layer.input_shapes.front());
    sub.padding = Padding::explicit_pads;
    sub.pad_top = rows.pad_top;
    sub.pad_bottom = rows.pad_bottom;
    sub.pad_left = pads.left;
    sub.pad_right = pads.right;
  }
  if (layer.kind == LayerKind::conv2d || layer.kind == LayerKind::fully_connected) {
    sub.out_channels = channels;
  }
  sub.output.height = part.row_end - part.row_begin;
  sub.output.channels = channels;
  if (layer.quant && has_weights(layer)) {
    LayerQuant& q = *sub.quant;
    const LayerQuant& whole = *layer.quant;
    const int out_channels = layer_out_channels(layer);
    if (layer.kind == LayerKind::depthwise_conv2d) {  // HWC: every tap's channel slice
      q.weights.clear();
      for (std::size_t tap = 0; tap < whole.weights.size(); tap += static_cast<std::size_t>(out_channels)) {
        q.weights.insert(q.weights.end(), whole.weights.begin() + static_cast<std::ptrdiff_t>(tap) + part.channel_begin,
                         whole.weights.begin() + static_cast<std::ptrdiff_t>(tap) + part.channel_end);
      }
    } else {  // OHWI / [out][in]: a block of whole output channels
      const int per_channel = static_cast<int>(whole.weights.size()) / out_channels;
      q.weights = slice(whole.weights, part.channel_begin * per_channel, part.channel_end * per_channel);
    }
    q.bias = slice(whole.bias, part.channel_begin, part.channel_end);
    q.weight_scales = slice(whole.weight_scales, part.channel_begin, part.channel_end);
    q.output_multipliers = slice(whole.output_multipliers, part.channel_begin, part.channel_end);
    q.output_shifts = slice(whole.output_shifts, part.channel_begin, part.channel_end);
  }
  const ShapeResult inferred = infer_output_shape(sub, sub.input_shapes);
  if (!inferred.shape || *inferred.shape != sub.output) {
    throw std::logic_error(layer.name + ": the mesh part's output shape does not follow from its "
                           "input (" + (inferred.shape ? inferred.shape->to_string() : inferred.error) +
                           " vs " + sub.output.to_string() + ")");
  }
  return sub;
}

Tensor8 part_input(const Layer& layer, const MeshPart& part, const Tensor8& input) {
  const RowWindow rows = input_rows(layer, part);
  const bool by_channel = slices_input_channels(layer);
  const int c0 = by_channel ? part.channel_begin : 0;
  const int c1 = by_channel ? part.channel_end : input.shape.channels;
  Tensor8 out = Tensor8::zeros({rows.end - rows.begin, input.shape.width, c1 - c0});
  for (int h = rows.begin; h < rows.end; ++h) {
    for (int w = 0; w < input.shape.width; ++w) {
      for (int c = c0; c < c1; ++c) out.at(h - rows.begin, w, c - c0) = input.at(h, w, c);
    }
  }
  return out;
}

// A rough cycle count of one core's part, for choosing the split: its compute (the array's
// whole tiles in the core's dataflow, or the vector unit's words) plus its DRAM traffic over the
// core's channel (inputs, weights and outputs once; output-stationary convolutions read their
// im2col words once per block of output channels and their weights once per block of pixels).
// The sum, not the larger of the two: loads and stores overlap compute only in part, and the sum
// ranks splits closer to the measured best (bench_mesh --splits, docs/results.md).
double estimated_part_cycles(const Layer& sub, const AcceleratorConfig& core) {
  const double pixels = static_cast<double>(sub.output.height) * sub.output.width;
  const double taps = static_cast<double>(sub.kernel_h) * sub.kernel_w;
  const double out_channels = sub.output.channels;
  auto tiles = [](double n, int edge) { return std::ceil(n / edge); };
  const double outputs = static_cast<double>(output_bytes(sub));
  double inputs = 0;
  for (const TensorShape& shape : sub.input_shapes) inputs += static_cast<double>(shape.elements());
  const double weights = static_cast<double>(weight_count(sub));
  double compute = 0, bytes = inputs + weights + outputs;
  if (sub.kind == LayerKind::conv2d || sub.kind == LayerKind::fully_connected) {
    // The reduction: input channels x taps, or a fully connected layer's whole input.
    const double reduction = sub.kind == LayerKind::fully_connected ? inputs : sub.input_shapes.front().channels * taps;
    const double columns = tiles(out_channels, core.array.cols);
    if (core.array.dataflow == Dataflow::weight_stationary) {  // weight tiles, pixels stream through
      compute = tiles(reduction, core.array.rows) * columns * pixels;
    } else {  // R pixels x C channels held, the reduction streams: im2col words per channel block
      const double pixel_blocks = tiles(pixels, core.array.rows);
      compute = pixel_blocks * columns * reduction;
      bytes = columns * pixels * reduction + pixel_blocks * weights + outputs;
    }
  } else if (runs_on_array(sub, core)) {  // depthwise on the array: a channel per column
    compute = pixels * tiles(taps, core.array.rows) * tiles(out_channels, core.array.cols);
  } else {
    compute = pixels * tiles(out_channels, core.vector.lanes) * (is_window_layer(sub.kind) ? taps : 1.0);
  }
  return compute + bytes / core.dram.bytes_per_cycle;
}

}  // namespace

std::vector<MeshSplit> candidate_mesh_splits(const Layer& layer, const AcceleratorConfig& config) {
  const int cores = mesh_cores(config);
  const int rows = splits_rows(layer) ? layer.output.height : 1;
  const int channels = layer_out_channels(layer);
  std::vector<MeshSplit> candidates;
  auto add = [&](int bands, int groups) {
    const MeshSplit split{std::min(bands, rows), std::min(groups, channels)};
    for (const MeshSplit& c : candidates) {
      if (c.row_bands == split.row_bands && c.channel_groups == split.channel_groups) return;
    }
    candidates.push_back(split);
  };
  add(cores, 1);
  add(1, cores);
  add(config.mesh.y, config.mesh.x);
  return candidates;
}

MeshSplit choose_mesh_split(const Layer& whole, const AcceleratorConfig& config) {
  if (mesh_cores(config) == 1) return {1, 1};
  const Layer layer = without_quantization(whole);
  const AcceleratorConfig core = core_config(config);
  MeshSplit best{1, 1};
  double best_cycles = 0;
  for (const MeshSplit& split : candidate_mesh_splits(layer, config)) {
    double cycles = 0;
    for (const MeshPart& part : parts_of(layer, split)) {
      cycles = std::max(cycles, estimated_part_cycles(part_layer(layer, part), core));
    }
    if (best_cycles == 0 || cycles < best_cycles) {
      best = split;
      best_cycles = cycles;
    }
  }
  return best;
}

MeshProgram compile_layer_on_mesh(const Layer& layer, const std::vector<const Tensor8*>& inputs,
                                  const AcceleratorConfig& config, const std::optional<MeshSplit>& chosen) {
  if (mesh_cores(config) == 1) return single_core(compile_layer(layer, inputs, config));
  const AcceleratorConfig core = core_config(config);
  const MeshSplit split = chosen ? *chosen : choose_mesh_split(layer, config);
  const int rows = splits_rows(layer) ? layer.output.height : 1;
  if (split.row_bands * split.channel_groups > mesh_cores(config) || split.row_bands < 1 ||
      split.channel_groups < 1 || split.row_bands > rows || split.channel_groups > layer_out_channels(layer)) {
    throw std::invalid_argument(layer.name + ": a split into " + std::to_string(split.row_bands) +
                                " row bands x " + std::to_string(split.channel_groups) +
                                " channel groups does not fit " + std::to_string(mesh_cores(config)) +
                                " cores and an output of " + std::to_string(rows) + " splittable rows and " +
                                std::to_string(layer_out_channels(layer)) + " channels");
  }
  MeshProgram mesh;
  mesh.name = layer.name;
  mesh.config = config;
  std::uint64_t offset = 0;
  const std::vector<MeshPart> parts = parts_of(layer, split);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::vector<Tensor8> part_inputs;
    for (const Tensor8* input : inputs) part_inputs.push_back(part_input(layer, parts[i], *input));
    std::vector<const Tensor8*> pointers;
    for (const Tensor8& t : part_inputs) pointers.push_back(&t);
    Program program = compile_layer(part_layer(layer, parts[i]), pointers, core);
    program.name = layer.name + ".core" + std::to_string(i);
    const std::uint64_t bytes = program.dram_bytes;
    if (offset > 0xffffffffu) {
      throw MappingError(layer.name + ": the cores' data needs more than the 4 GiB of DRAM addresses");
    }
    mesh.cores.push_back(relocated(std::move(program), static_cast<std::uint32_t>(offset)));
    // Each core's data starts on a 4 KiB boundary (any alignment the compiler chose is kept).
    offset += (bytes + 4095u) & ~std::uint64_t{4095u};
  }
  // Cores the layer has no part for run an empty program.
  while (static_cast<int>(mesh.cores.size()) < mesh_cores(config)) {
    Program idle;
    idle.name = layer.name + ".core" + std::to_string(mesh.cores.size());
    idle.config = core;
    mesh.cores.push_back(std::move(idle));
  }
  return mesh;
}

std::optional<std::string> compiler::mesh_mapping_problem(const Layer& layer,
                                                          const AcceleratorConfig& config) {
  const AcceleratorConfig core = core_config(config);
  for (const MeshPart& part : parts_of(layer, choose_mesh_split(layer, config))) {
    // Lowering needs the quantization (it plans the parameters' placement too).
    if (auto problem = mapping_problem(part_layer(layer, part), core)) return problem;
  }
  return std::nullopt;
}

Tensor8 decode_mesh_output(const Layer& layer, const MeshProgram& program,
                           const std::vector<std::vector<std::uint8_t>>& regions,
                           const std::optional<MeshSplit>& split) {
  const AcceleratorConfig core = core_config(program.config);
  if (mesh_cores(program.config) == 1) return decode_layer_output(layer, core, regions.at(0));
  Tensor8 out = Tensor8::zeros(layer.output);
  const Layer structure = without_quantization(layer);  // decoding reads shapes only
  const std::vector<MeshPart> parts = parts_of(structure, split ? *split : choose_mesh_split(structure, program.config));
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const MeshPart& part = parts[i];
    const Tensor8 piece = decode_layer_output(part_layer(structure, part), core, regions.at(i));
    for (int h = 0; h < piece.shape.height; ++h) {
      for (int w = 0; w < piece.shape.width; ++w) {
        for (int c = 0; c < piece.shape.channels; ++c) {
          out.at(part.row_begin + h, w, part.channel_begin + c) = piece.at(h, w, c);
        }
      }
    }
  }
  return out;
}

}  // namespace tandem
