// Per-kind lowerings of a layer onto the accelerator, and what they share. Internal to the
// compiler (sim/compiler.h is the public face).
#pragma once

#include <cstdint>
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
ConvRegions place_conv_params_and_output(ProgramBuilder& builder, const Layer& layer, const ConvShape& shape);

// The output clamp and zero point of a layer, as the vector unit takes them.
VectorSettings output_settings(const Layer& layer);

int ceil_div(int a, int b);

void lower_conv_weight_stationary(ProgramBuilder& builder, const Layer& layer, const Tensor8& input);
void lower_conv_output_stationary(ProgramBuilder& builder, const Layer& layer, const Tensor8& input);
// Depthwise convolution, pooling and standalone activations on the vector unit.
void lower_window_on_vector_unit(ProgramBuilder& builder, const Layer& layer, const Tensor8& input);
void lower_residual_add(ProgramBuilder& builder, const Layer& layer, const Tensor8& a, const Tensor8& b);

// Channel stride (bytes per pixel) of the output region a lowering writes.
int output_pixel_stride(const Layer& layer, const AcceleratorConfig& config);

}  // namespace tandem::compiler
