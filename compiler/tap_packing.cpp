// Packing kernel taps into the reduction dimension (compiler/lowering.h, docs/compiler.md).
#include "compiler/lowering.h"

namespace tandem::compiler {

PackedConv::PackedConv(const Layer& layer, const ConvShape& shape, const Tensor8& input, TapPacking packing)
    : packing(packing), layer_(&layer), shape_(shape), input_(&input),
      zero_point_(layer.quant->input_zero_points.at(0)) {
  sh = shape.stride_h;
  sw = shape.stride_w;
  kh = shape.kh;
  kw = shape.kw;
  cin = shape.cin;
  if (packing == TapPacking::kernel_row) {
    cin = shape.kw * shape.cin;
    kw = 1;
  } else if (packing == TapPacking::whole_kernel) {
    cin = shape.kh * shape.kw * shape.cin;
    kh = kw = sh = sw = 1;
  }
  hp = (shape.out_h - 1) * sh + kh;
  wp = (shape.out_w - 1) * sw + kw;
}

std::int8_t PackedConv::input_at(int h, int w, int c) const {
  if (c >= cin) return 0;
  const ConvShape& s = shape_;
  switch (packing) {
    case TapPacking::none:
      return padded_input(*input_, h - s.pad_top, w - s.pad_left, c, zero_point_);
    case TapPacking::kernel_row:
      return padded_input(*input_, h - s.pad_top, w + c / s.cin - s.pad_left, c % s.cin, zero_point_);
    case TapPacking::whole_kernel: {
      const int i = c / (s.kw * s.cin), j = c / s.cin % s.kw;
      return padded_input(*input_, h * s.stride_h + i - s.pad_top, w * s.stride_w + j - s.pad_left, c % s.cin,
                          zero_point_);
    }
  }
  return 0;
}

std::int8_t PackedConv::weight_at(int o, int i, int j, int c) const {
  if (c >= cin) return 0;
  const ConvShape& s = shape_;
  switch (packing) {
    case TapPacking::none: return conv_weight(*layer_, s, o, i, j, c);
    case TapPacking::kernel_row: return conv_weight(*layer_, s, o, i, c / s.cin, c % s.cin);
    case TapPacking::whole_kernel:
      return conv_weight(*layer_, s, o, c / (s.kw * s.cin), c / s.cin % s.kw, c % s.cin);
  }
  return 0;
}

int reduction_slices(const ConvShape& s, TapPacking packing, int rows) {
  switch (packing) {
    case TapPacking::none: return s.kh * s.kw * ceil_div(s.cin, rows);
    case TapPacking::kernel_row: return s.kh * ceil_div(s.kw * s.cin, rows);
    case TapPacking::whole_kernel: return ceil_div(s.kh * s.kw * s.cin, rows);
  }
  return 0;
}

}  // namespace tandem::compiler
