// The golden reference: int8 inference of the network IR with TFLite's quantization semantics,
// bit for bit what the accelerator computes (docs/isa.md), so that the RTL co-simulation and
// the compiler can be checked against it. Plain loops, no tiling, no speed tricks.
// See docs/golden.md for the semantics and where they differ from TFLite.
// Also the functional executor of Programs (execute_program): docs/isa.md instruction by
// instruction, without timing.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/program.h"
#include "models/network.h"

namespace tandem {

// An int8 activation tensor in HWC order: element (h, w, c) is data[(h*W + w)*C + c].
struct Tensor8 {
  TensorShape shape;
  std::vector<std::int8_t> data;

  static Tensor8 zeros(const TensorShape& shape) {
    return {shape, std::vector<std::int8_t>(static_cast<std::size_t>(shape.elements()), 0)};
  }
  std::size_t index(int h, int w, int c) const {
    return (static_cast<std::size_t>(h) * static_cast<std::size_t>(shape.width) +
            static_cast<std::size_t>(w)) * static_cast<std::size_t>(shape.channels) +
           static_cast<std::size_t>(c);
  }
  std::int8_t at(int h, int w, int c) const { return data[index(h, w, c)]; }
  std::int8_t& at(int h, int w, int c) { return data[index(h, w, c)]; }
};

// The output of one layer for its inputs (one tensor, two for add, in Layer::inputs order).
// Throws std::invalid_argument naming the layer when it has no quantization parameters, when
// a weighted layer lacks weights, biases or derived multipliers, or when the inputs do not
// match the layer's input shapes.
Tensor8 golden_layer(const Layer& layer, const std::vector<const Tensor8*>& inputs);

// The output of every layer, in layer order, for the network input.
std::vector<Tensor8> golden_network(const Network& net, const Tensor8& input);

// The tensors a layer reads: the network input for producer -1, else the producer's output in
// `outputs` (layer order, as golden_network returns them). Throws std::invalid_argument naming
// the layer when a producer has no output yet.
std::vector<const Tensor8*> layer_inputs(const Layer& layer, const Tensor8& network_input,
                                         const std::vector<Tensor8>& outputs);

// A deterministic random network input: int8 values uniform in [-128, 127] (the input's
// quantization is what the layers reading it record, e.g. from quantize_randomly).
Tensor8 random_input(const Network& net, std::uint64_t seed);

// A fixed-point real multiplier: real = multiplier * 2^(shift - 31) (TFLite QuantizeMultiplier).
struct Requant {
  std::int32_t multiplier = 0;
  int shift = 0;
};

// tandem's integer residual add (docs/isa.md VECTOR ADD), derived from the layer's scales so
// that LayerQuant stays the one source of truth:
//   acc = (x1 - zp1) * m_a + (x2 - zp2) * m_b
//   out = clamp(zp_out + MultiplyByQuantizedMultiplier(acc, multiplier, shift))
// m_a = round(s1 / max(s1, s2) * 2^14), m_b likewise, so the larger one is exactly 2^14;
// (multiplier, shift) = QuantizeMultiplier(max(s1, s2) / 2^14 / s_out).
struct AddParams {
  std::int16_t m_a = 0;
  std::int16_t m_b = 0;
  std::int32_t multiplier = 0;
  int shift = 0;
};
inline constexpr int kAddOperandBits = 14;
AddParams derive_add_params(double scale1, double scale2, double scale_out);

// Average pooling divides by the number of valid (non-padded) inputs of the window, folded
// into the requantization: QuantizeMultiplier(s_in / (s_out * count)).
Requant derive_avg_pool_requant(double input_scale, double output_scale, int count);

// Where a window layer (conv2d, depthwise, max/avg pool, global average pool) reads its input:
// output (oh, ow) covers input rows oh*stride_h - pad_top + i, i in [0, kernel_h), likewise
// columns. Global average pooling is one window over the whole input. Shared with the compiler,
// which needs the valid-input count of each average-pool window.
struct WindowGeometry {
  TensorShape input;
  TensorShape output;
  int kernel_h = 1, kernel_w = 1;
  int stride_h = 1, stride_w = 1;
  int pad_top = 0, pad_left = 0;
};
WindowGeometry window_geometry(const Layer& layer);

// The taps of one output position that fall inside the input: kernel rows [i_begin, i_end) and
// columns [j_begin, j_end), at input row h0 + i and column w0 + j.
struct WindowTaps {
  int h0 = 0, w0 = 0;
  int i_begin = 0, i_end = 0;
  int j_begin = 0, j_end = 0;
  int count() const { return (i_end - i_begin) * (j_end - j_begin); }
};
WindowTaps window_taps(const WindowGeometry& geometry, int oh, int ow);

// The per-kind kernels behind golden_layer; they expect checked inputs and quantization.
namespace golden_detail {
// conv2d and fully_connected (a fully connected layer is a convolution whose one window covers
// the whole input: its [out][H*W*C] weights are OHWI for that kernel).
Tensor8 convolution(const Layer& layer, const Tensor8& input);
Tensor8 depthwise_conv2d(const Layer& layer, const Tensor8& input);
Tensor8 max_pool(const Layer& layer, const Tensor8& input);
Tensor8 average_pool(const Layer& layer, const Tensor8& input);  // avg_pool, global_avg_pool
Tensor8 residual_add(const Layer& layer, const Tensor8& a, const Tensor8& b);
Tensor8 activation(const Layer& layer, const Tensor8& input);

// One output element per (position, channel) of a window layer: value(taps, c) for each.
template <typename Value>
Tensor8 map_windows(const WindowGeometry& geometry, Value value) {
  Tensor8 out = Tensor8::zeros(geometry.output);
  for (int oh = 0; oh < geometry.output.height; ++oh) {
    for (int ow = 0; ow < geometry.output.width; ++ow) {
      const WindowTaps taps = window_taps(geometry, oh, ow);
      for (int c = 0; c < geometry.output.channels; ++c) out.at(oh, ow, c) = value(taps, c);
    }
  }
  return out;
}

// Calls visit(input_row, input_col, kernel_row, kernel_col) for every valid tap.
template <typename Visit>
void for_each_tap(const WindowTaps& taps, Visit visit) {
  for (int i = taps.i_begin; i < taps.i_end; ++i) {
    for (int j = taps.j_begin; j < taps.j_end; ++j) visit(taps.h0 + i, taps.w0 + j, i, j);
  }
}

// The layer's activation clamp [activation_min, activation_max], max before min as TFLite does.
inline std::int8_t clamp_to_activation(std::int32_t value, const LayerQuant& quant) {
  return static_cast<std::int8_t>(
      std::min(std::max(value, quant.activation_min), quant.activation_max));
}

// The int32 accumulator of the hardware: sums are formed in 64 bits and wrapped, which is the
// same as wrapping int32 addition at every step (docs/isa.md: int32 arithmetic wraps).
inline std::int32_t wrap_to_int32(std::int64_t sum) {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(static_cast<std::uint64_t>(sum)));
}
}  // namespace golden_detail

// A functional executor of Programs: the semantics of docs/isa.md instruction by instruction,
// in C++, without timing. It checks the compiler against the golden reference in milliseconds,
// without RTL, and separates compiler bugs from RTL bugs when a co-simulation disagrees.
struct FunctionalResult {
  std::vector<std::vector<std::uint8_t>> outputs;  // one per Program output region
};

// Throws std::runtime_error naming the instruction index for an access outside a buffer or DRAM.
FunctionalResult execute_program(const Program& program);

}  // namespace tandem
