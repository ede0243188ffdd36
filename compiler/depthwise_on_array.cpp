// Depthwise convolution on a weight-stationary array (docs/compiler.md): each group of
// g = min(R, C) channels is a convolution of g input and g output channels whose weights are
// zero off the diagonal, lowered by the ordinary weight-stationary lowering into the layer's
// output region. A slice then does g useful MACs per row of the array (g/(R*C) of its peak)
// but streams one output pixel per cycle, where the vector unit spends T*(ceil(R/L)+3) cycles
// per pixel and block, or about kh*stride on its sliding-window datapath (which then wins).
#include <algorithm>

#include "compiler/compiler.h"
#include "compiler/lowering.h"
#include "core/isa.h"

namespace tandem::compiler {

namespace {

int group_channels(const AcceleratorConfig& config) { return std::min(config.array.rows, config.array.cols); }

// Entries [first, first + count) of a per-channel vector (empty if it has fewer).
template <typename T>
std::vector<T> slice(const std::vector<T>& values, int first, int count) {
  if (values.size() < static_cast<std::size_t>(first + count)) return {};
  return std::vector<T>(values.begin() + first, values.begin() + first + count);
}

// Channels [first, first + count) of a depthwise layer as a convolution.
Layer group_convolution(const Layer& depthwise, int first, int count) {
  Layer conv = depthwise;  // kernel, stride, padding, activation, zero points, scales, clamp
  conv.name = depthwise.name + ".channels" + std::to_string(first);
  conv.kind = LayerKind::conv2d;
  const TensorShape& in = depthwise.input_shapes.at(0);
  conv.input_shapes = {TensorShape{in.height, in.width, count}};
  conv.output = TensorShape{depthwise.output.height, depthwise.output.width, count};
  conv.out_channels = count;
  const LayerQuant& d = *depthwise.quant;
  LayerQuant& q = *conv.quant;
  const int kh = depthwise.kernel_h, kw = depthwise.kernel_w, channels = in.channels;
  // OHWI; depthwise weights are HWC.
  q.weights.assign(static_cast<std::size_t>(count) * kh * kw * count, 0);
  for (int o = 0; o < count; ++o) {
    for (int i = 0; i < kh; ++i) {
      for (int j = 0; j < kw; ++j) {
        q.weights[((static_cast<std::size_t>(o) * kh + i) * kw + j) * count + o] =
            d.weights[(static_cast<std::size_t>(i) * kw + j) * channels + first + o];
      }
    }
  }
  q.bias = slice(d.bias, first, count);
  q.weight_scales = slice(d.weight_scales, first, count);
  q.output_multipliers = slice(d.output_multipliers, first, count);
  q.output_shifts = slice(d.output_shifts, first, count);
  return conv;
}

Tensor8 channel_group(const Tensor8& input, int first, int count) {
  Tensor8 group = Tensor8::zeros({input.shape.height, input.shape.width, count});
  for (int h = 0; h < input.shape.height; ++h) {
    for (int w = 0; w < input.shape.width; ++w) {
      for (int c = 0; c < count; ++c) group.at(h, w, c) = input.at(h, w, first + c);
    }
  }
  return group;
}

}  // namespace

bool depthwise_on_array(const Layer& layer, const AcceleratorConfig& config) {
  if (config.array.dataflow != Dataflow::weight_stationary || !layer.quant) return false;
  const int R = config.array.rows, C = config.array.cols, L = config.vector.lanes;
  const int g = group_channels(config), channels = layer.output.channels;
  const TensorShape& in = layer.input_shapes.at(0);
  const double taps = static_cast<double>(layer.kernel_h) * layer.kernel_w;
  const double out_pixels = static_cast<double>(layer.output.height) * layer.output.width;
  const int beats = ceil_div(R, L);
  const int kh = layer.kernel_h, kw = layer.kernel_w, stride = layer.stride_w;
  const bool slides = isa::dwconv_slides(kh, kw, stride, beats, config.vector.depthwise_kernel);
  const double vector =
      slides ? static_cast<double>(layer.output.height) * ceil_div(channels, R) *
                   static_cast<double>(isa::sliding_dwconv_cycles(kh, kw, stride, layer.output.width, R, beats, config.requant_latency))
             : out_pixels * ceil_div(channels, R) *
                   static_cast<double>(isa::vector_word_cycles(isa::VectorOp::dwconv, beats, kh * kw, config.requant_latency));
  // Per group: every tap streams the output rows (plus the kernel's overhang per row), fill and
  // drain once, and the input loads one word per cycle.
  const double rows = static_cast<double>(layer.output.height) * (layer.output.width + layer.kernel_w - 1);
  double array = ceil_div(channels, g) * (taps * rows + 2.0 * R + C + static_cast<double>(in.height) * in.width +
                                          config.dram.latency_cycles);
  if (config.array.requantizer == OutputRequantizer::vector_unit) {
    array += ceil_div(channels, g) * rows *
             static_cast<double>(isa::vector_word_cycles(isa::VectorOp::requant, ceil_div(C, L), 1, config.requant_latency));  // REQUANT per group
  }
  if (array >= vector) return false;
  return !mapping_problem(group_convolution(layer, 0, std::min(g, channels)), config).has_value();
}

void lower_depthwise_on_array(ProgramBuilder& b, const Layer& layer, const Tensor8& input) {
  const int g = group_channels(b.config()), channels = layer.output.channels;
  const int pixel_stride = output_pixel_stride(layer, b.config());
  const std::uint32_t output_at = b.reserve_output(
      layer.name + ".output", static_cast<std::uint32_t>(layer.output.height * layer.output.width * pixel_stride));
  // Group k writes C bytes per pixel from channel k*g: what lands past its channels is
  // overwritten by the next group (the groups run in order) or falls into the padding after the
  // last channel (output_pixel_stride counts it).
  for (int first = 0; first < channels; first += g) {
    const int count = std::min(g, channels - first);
    lower_conv_weight_stationary(b, group_convolution(layer, first, count), channel_group(input, first, count),
                                 OutputSlot{output_at + static_cast<std::uint32_t>(first), pixel_stride});
  }
}

}  // namespace tandem::compiler
