// What the convolution lowerings share: geometry, weight access, folded parameters.
#include <algorithm>
#include <stdexcept>

#include "compiler/lowering.h"

namespace tandem::compiler {

int ceil_div(int a, int b) { return (a + b - 1) / b; }

ConvShape conv_shape(const Layer& layer) {
  ConvShape s;
  const TensorShape& in = layer.input_shapes.at(0);
  s.in_h = in.height;
  s.in_w = in.width;
  s.cin = in.channels;
  s.out_h = layer.output.height;
  s.out_w = layer.output.width;
  s.cout = layer.output.channels;
  if (layer.kind == LayerKind::fully_connected) {
    s.kh = in.height;  // one window over the whole input: [out][H*W*C] is OHWI
    s.kw = in.width;
    return s;
  }
  const WindowGeometry window = window_geometry(layer);
  s.kh = window.kernel_h;
  s.kw = window.kernel_w;
  s.stride_h = window.stride_h;
  s.stride_w = window.stride_w;
  s.pad_top = window.pad_top;
  s.pad_left = window.pad_left;
  return s;
}

std::int8_t conv_weight(const Layer& layer, const ConvShape& s, int o, int kh, int kw, int ci) {
  if (o >= s.cout || ci >= s.cin) return 0;
  const std::size_t index =
      ((static_cast<std::size_t>(o) * s.kh + kh) * s.kw + kw) * s.cin + ci;
  return layer.quant->weights.at(index);
}

std::int8_t padded_input(const Tensor8& input, int h, int w, int c, int zero_point) {
  if (h < 0 || w < 0 || h >= input.shape.height || w >= input.shape.width) {
    return static_cast<std::int8_t>(zero_point);
  }
  return input.at(h, w, c);
}

std::vector<ParamEntry> conv_params(const Layer& layer, const ConvShape& s, int first, int count) {
  const LayerQuant& q = *layer.quant;
  const std::int32_t zp_in = q.input_zero_points.at(0);
  std::vector<ParamEntry> entries(static_cast<std::size_t>(count));
  for (int k = 0; k < count; ++k) {
    const int o = first + k;
    if (o >= s.cout) continue;
    std::int64_t weight_sum = 0;
    for (int i = 0; i < s.kh; ++i) {
      for (int j = 0; j < s.kw; ++j) {
        for (int c = 0; c < s.cin; ++c) weight_sum += conv_weight(layer, s, o, i, j, c);
      }
    }
    // int32 wrap-around, as the accumulator does.
    const auto folded = static_cast<std::uint32_t>(q.bias.at(static_cast<std::size_t>(o))) -
                        static_cast<std::uint32_t>(static_cast<std::int64_t>(zp_in) * weight_sum);
    entries[static_cast<std::size_t>(k)] = {static_cast<std::int32_t>(folded),
                                             q.output_multipliers.at(static_cast<std::size_t>(o)),
                                             q.output_shifts.at(static_cast<std::size_t>(o))};
  }
  return entries;
}

ConvRegions place_conv_params_and_output(ProgramBuilder& b, const Layer& layer, const ConvShape& s,
                                         const std::optional<OutputSlot>& slot) {
  const int C = b.config().array.cols, nb_count = ceil_div(s.cout, C);
  std::vector<ParamEntry> params;
  for (int nb = 0; nb < nb_count; ++nb) {
    auto block = conv_params(layer, s, nb * C, C);
    params.insert(params.end(), block.begin(), block.end());
  }
  ConvRegions regions;
  regions.params_at = b.place_params(layer.name + ".params", params);
  if (slot) {
    regions.output_at = slot->output_at;
    regions.pixel_stride = slot->pixel_stride;
    return regions;
  }
  regions.pixel_stride = nb_count * C;
  regions.output_at = b.reserve_output(layer.name + ".output",
                                       static_cast<std::uint32_t>(s.out_h * s.out_w * regions.pixel_stride));
  return regions;
}

VectorSettings output_settings(const Layer& layer) {
  const LayerQuant& q = *layer.quant;
  VectorSettings settings;
  settings.zp_out = q.output_zero_point;
  settings.clamp_lo = q.activation_min;
  settings.clamp_hi = q.activation_max;
  return settings;
}

int output_pixel_stride(const Layer& layer, const AcceleratorConfig& config) {
  const int channels = layer.output.channels;
  if (layer.kind == LayerKind::depthwise_conv2d && depthwise_on_array(layer, config)) {
    // Groups of g channels, each writing C bytes from its first channel.
    const int group = std::min(config.array.rows, config.array.cols);
    return (ceil_div(channels, group) - 1) * group + config.array.cols;
  }
  const bool on_array = layer.kind == LayerKind::conv2d || layer.kind == LayerKind::fully_connected;
  const int block = on_array ? config.array.cols : config.array.rows;
  return ceil_div(channels, block) * block;
}

}  // namespace tandem::compiler
