// Per-kind lowerings of a layer onto the accelerator, and what they share. Internal to the
// compiler (compiler/compiler.h is the public face).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/network.h"
#include "compiler/program_builder.h"
#include "golden/golden.h"

namespace tandem::compiler {

// A convolution (conv2d, or a fully connected layer seen as one window over the whole input).
struct ConvShape {
  int in_h = 0, in_w = 0, cin = 0;
  int out_h = 0, out_w = 0, cout = 0;
  int kh = 1, kw = 1, stride_h = 1, stride_w = 1, pad_top = 0, pad_left = 0;
};
ConvShape conv_shape(const Layer& layer);

// Weight (o, kh, kw, ci) of an OHWI weight tensor; 0 outside the real channels.
std::int8_t conv_weight(const Layer& layer, const ConvShape& shape, int o, int kh, int kw, int ci);

// Input value at padded coordinates: the input zero point outside the tensor (so that padding
// contributes nothing once the zero point is folded into the bias).
std::int8_t padded_input(const Tensor8& input, int h, int w, int c, int zero_point);

// Kernel taps packed into the reduction dimension, so that a layer with few input channels
// fills the array's rows (docs/compiler.md): none; the kw taps of a kernel row side by side
// (kernel kh x 1 over kw*cin channels); or every tap (a 1x1 kernel over kh*kw*cin channels,
// stride 1, on the im2col input). The packed input is built in DRAM by the compiler.
enum class TapPacking { none, kernel_row, whole_kernel };

// A convolution as the array lowerings see it after packing: a kh x kw kernel over cin channels
// of an input that is already padded (coordinates 0..hp-1, 0..wp-1, no further padding),
// stride sh x sw, producing the layer's out_h x out_w outputs. Channels past cin read 0.
struct PackedConv {
  TapPacking packing = TapPacking::none;
  int kh = 1, kw = 1, cin = 0, sh = 1, sw = 1, hp = 0, wp = 0;

  PackedConv(const Layer& layer, const ConvShape& shape, const Tensor8& input, TapPacking packing);
  std::int8_t input_at(int h, int w, int c) const;
  std::int8_t weight_at(int o, int i, int j, int c) const;

 private:
  const Layer* layer_;
  ConvShape shape_;
  const Tensor8* input_;
  int zero_point_ = 0;
};

// K slices of `rows` channels per output-channel block under a packing.
int reduction_slices(const ConvShape& shape, TapPacking packing, int rows);

// PARAM entries for output channels [first, first + count): the bias with the input zero point
// folded in (bias - zp_in * sum of the channel's weights), multiplier and shift; zeros past
// the real channels.
std::vector<ParamEntry> conv_params(const Layer& layer, const ConvShape& shape, int first, int count);

// The parameters of every output-channel block of C channels, placed in DRAM, and the output
// region (pixels x blocks x C bytes), reserved. What both array lowerings need.
struct ConvRegions {
  std::uint32_t params_at = 0;
  std::uint32_t output_at = 0;
  int pixel_stride = 0;  // bytes per output pixel
};
// Where a convolution's output goes when not into a region of its own: a depthwise layer run as
// one small convolution per channel group (depthwise_on_array.cpp) writes each group's C-byte
// words into the layer's region, `output_at` at the group's first channel.
struct OutputSlot {
  std::uint32_t output_at = 0;
  int pixel_stride = 0;
};
ConvRegions place_conv_params_and_output(ProgramBuilder& builder, const Layer& layer, const ConvShape& shape,
                                         const std::optional<OutputSlot>& slot = std::nullopt);

// The output clamp and zero point of a layer, as the vector unit takes them.
VectorSettings output_settings(const Layer& layer);

int ceil_div(int a, int b);

void lower_conv_weight_stationary(ProgramBuilder& builder, const Layer& layer, const Tensor8& input,
                                  const std::optional<OutputSlot>& slot = std::nullopt);
// Depthwise convolution on a weight-stationary array, one convolution per group of min(R, C)
// channels with the weights on the diagonal; chosen where it takes fewer cycles than the
// vector unit (and maps).
bool depthwise_on_array(const Layer& layer, const AcceleratorConfig& config);
void lower_depthwise_on_array(ProgramBuilder& builder, const Layer& layer, const Tensor8& input);
void lower_conv_output_stationary(ProgramBuilder& builder, const Layer& layer, const Tensor8& input);
// Depthwise convolution, pooling and standalone activations on the vector unit.
void lower_window_on_vector_unit(ProgramBuilder& builder, const Layer& layer, const Tensor8& input);
void lower_residual_add(ProgramBuilder& builder, const Layer& layer, const Tensor8& a, const Tensor8& b);

// Channel stride (bytes per pixel) of the output region a lowering writes.
int output_pixel_stride(const Layer& layer, const AcceleratorConfig& config);

// mapping_problem for a mesh of several cores (mesh_split.cpp).
std::optional<std::string> mesh_mapping_problem(const Layer& layer, const AcceleratorConfig& config);

}  // namespace tandem::compiler
