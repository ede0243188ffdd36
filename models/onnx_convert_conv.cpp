// ONNX import, the weighted operators (onnx_importer.h): Conv and QLinearConv (group 1 or
// depthwise), Gemm, MatMul and QLinearMatMul as fully_connected. One file because they share
// their shape: weights (float, DequantizeLinear of a constant, or QLinear inputs) reordered into
// tandem's layout, a bias, and an output that is pending (float/QDQ) or int8 (QLinear).
#include <algorithm>
#include <optional>

#include "models/onnx_importer.h"

namespace tandem::onnx_detail {

// ---- conversion ---------------------------------------------------------------------------------
void Importer::convert_conv(bool qlinear) {
  if (qlinear) need_inputs(8, 9);
  else need_inputs(2, 3);
  only_attributes({"auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"});
  Value x;
  if (qlinear) {
    x = value(0);
    if (!x.int8) fail("input 0 must be a quantized tensor (QuantizeLinear or QLinear* output)");
    x.quant = tensor_params(1, 2, "x");
    x.int8 = false;
  } else {
    x = activation_input(0, "the input");
  }
  if (x.flat) fail("the input is flattened (supported: a [1, C, H, W] tensor)");
  const TensorShape in = shape_of(x);
  const int w_index = qlinear ? 3 : 1;
  const WeightOperand weights = weight_operand(qlinear, 0, "the weights", "the weight");
  const std::vector<std::int64_t>& w_dims = weights.dims;
  const QuantConstant* wq = weights.quant ? &*weights.quant : nullptr;
  if (w_dims.size() != 4 || std::count(w_dims.begin(), w_dims.end(), 0)) {
    fail("weights of shape " + shape_text(w_dims) + " (supported: [O, I/group, kH, kW], none of them 0)");
  }
  const std::int64_t group = int_attribute("group", 1);
  const auto out_channels = static_cast<int>(w_dims[0]);
  const int kernel_h = static_cast<int>(w_dims[2]), kernel_w = static_cast<int>(w_dims[3]);
  Layer layer;
  if (group == 1) {
    if (w_dims[1] != in.channels) fail("weights " + shape_text(w_dims) + " do not match the input's " + std::to_string(in.channels) + " channels");
    layer.kind = LayerKind::conv2d;
    layer.out_channels = out_channels;
  } else if (group == in.channels && w_dims[1] == 1 && out_channels == in.channels) {
    layer.kind = LayerKind::depthwise_conv2d;
  } else {
    fail("group " + std::to_string(group) + " with weights " + shape_text(w_dims) + " is not supported (supported: group 1, or group = input channels (" +
         std::to_string(in.channels) + ") with one filter per channel, depth multiplier 1)");
  }
  window_attributes(layer, in, kernel_h, kernel_w);
  const int index = add_layer(layer, {x});
  Layer& made = layer_at(index);
  // ONNX [O][I][kh][kw] -> OHWI (conv2d) or HWC (depthwise).
  auto reorder = [&](const std::vector<double>& onnx) {
    std::vector<double> out(onnx.size());
    const auto O = static_cast<std::size_t>(w_dims[0]), I = static_cast<std::size_t>(w_dims[1]);
    const auto KH = static_cast<std::size_t>(kernel_h), KW = static_cast<std::size_t>(kernel_w);
    for (std::size_t o = 0; o < O; ++o)
      for (std::size_t i = 0; i < I; ++i)
        for (std::size_t h = 0; h < KH; ++h)
          for (std::size_t w = 0; w < KW; ++w) {
            const double v = onnx[((o * I + i) * KH + h) * KW + w];
            if (made.kind == LayerKind::conv2d) out[((o * KH + h) * KW + w) * I + i] = v;
            else out[(h * KW + w) * O + o] = v;
          }
    return out;
  };
  const int bias_input = qlinear ? 8 : 2;
  if (wq) {
    std::vector<double> values;
    std::vector<float> scales;
    quantized_weights(*wq, 0, out_channels, &values, &scales);
    LayerQuant& quant = *made.quant;
    quant.weight_scales = scales;
    std::vector<std::int32_t> bias;
    if (qlinear) {
      bias.assign(static_cast<std::size_t>(out_channels), 0);
      if (!input_name(8).empty()) {
        const Constant& b = need_constant(8, "the bias");
        if (b.type != onnx::TensorProto::INT32 || b.elements() != out_channels) fail("the bias must be int32 with one value per output channel");
        for (int c = 0; c < out_channels; ++c) bias[static_cast<std::size_t>(c)] = static_cast<std::int32_t>(b.values[static_cast<std::size_t>(c)]);
      }
    } else {
      bias = quantized_bias(bias_input, quant, out_channels);
    }
    finish_weighted_quant(quant, reorder(values), scales, bias);
  } else {
    const Constant& w = need_finite_constant(w_index, "the weights");
    FloatWeights& fw = float_weights_[static_cast<std::size_t>(index)];
    for (double v : reorder(w.values)) fw.weights.push_back(static_cast<float>(v));
    fw.bias.assign(static_cast<std::size_t>(out_channels), 0.0f);
    if (!input_name(2).empty()) {
      const Constant& b = need_finite_constant(2, "the bias");
      if (b.elements() != out_channels) fail("the bias has " + std::to_string(b.elements()) + " values for " + std::to_string(out_channels) + " channels");
      for (int c = 0; c < out_channels; ++c) fw.bias[static_cast<std::size_t>(c)] = static_cast<float>(b.values[static_cast<std::size_t>(c)]);
    }
  }
  produce(index, qlinear, qlinear ? std::optional<QuantParams>(tensor_params(6, 7, "y")) : std::nullopt);
}

void Importer::convert_gemm(bool qlinear) {
  const bool matmul = node().op_type() != "Gemm";
  if (qlinear) need_inputs(8, 8);
  else need_inputs(2, matmul ? 2 : 3);
  if (matmul) only_attributes({});
  else only_attributes({"alpha", "beta", "transA", "transB"});
  if (float_attribute("alpha", 1.0f) != 1.0f || float_attribute("beta", 1.0f) != 1.0f || int_attribute("transA", 0) != 0) {
    fail("alpha/beta other than 1 or transA = 1 are not supported (supported: Y = A * B(^T) + C)");
  }
  const bool trans_b = int_attribute("transB", 0) != 0;
  Value a;
  if (qlinear) {
    a = value(0);
    if (!a.int8) fail("input 0 must be a quantized tensor (QuantizeLinear or QLinear* output)");
    a.quant = tensor_params(1, 2, "a");
    a.int8 = false;
  } else {
    a = activation_input(0, "input A");
  }
  const TensorShape in = shape_of(a);
  if (!a.flat && !(in.height == 1 && in.width == 1 && a.layer >= 0 && layer_at(a.layer).kind == LayerKind::fully_connected)) {
    fail("input A is a 4-D tensor (supported: a [1, N] matrix, e.g. after Flatten or Reshape)");
  }
  const int b_index = qlinear ? 3 : 1;
  const WeightOperand b_operand = weight_operand(qlinear, 1, "B", "the B");
  const std::vector<std::int64_t>& b_dims = b_operand.dims;
  const QuantConstant* bq = b_operand.quant ? &*b_operand.quant : nullptr;
  const std::int64_t features = in.elements();
  if (b_dims.size() != 2 || b_dims[trans_b ? 1 : 0] != features || b_dims[trans_b ? 0 : 1] < 1) {
    fail("B of shape " + shape_text(b_dims) + " does not fit the input's " + std::to_string(features) + " features" +
         (trans_b ? " (transB = 1: [N, K])" : " ([K, N])"));
  }
  const auto out_channels = static_cast<int>(b_dims[trans_b ? 0 : 1]);
  Layer layer;
  layer.kind = LayerKind::fully_connected;
  layer.out_channels = out_channels;
  const int index = add_layer(layer, {a});
  Layer& made = layer_at(index);
  // tandem's [out][H*W*C] from ONNX's [K][N] or [N][K] with K in C,H,W order.
  const auto H = static_cast<std::size_t>(in.height), W = static_cast<std::size_t>(in.width), C = static_cast<std::size_t>(in.channels);
  auto reorder = [&](const std::vector<double>& onnx) {
    std::vector<double> out(onnx.size());
    const auto F = static_cast<std::size_t>(features);
    const auto N = static_cast<std::size_t>(out_channels);
    for (std::size_t o = 0; o < N; ++o)
      for (std::size_t c = 0; c < C; ++c)
        for (std::size_t h = 0; h < H; ++h)
          for (std::size_t w = 0; w < W; ++w) {
            const std::size_t f = (c * H + h) * W + w;
            out[o * F + (h * W + w) * C + c] = trans_b ? onnx[o * F + f] : onnx[f * N + o];
          }
    return out;
  };
  if (bq) {
    std::vector<double> values;
    std::vector<float> scales;
    quantized_weights(*bq, trans_b ? 0 : 1, out_channels, &values, &scales);
    LayerQuant& quant = *made.quant;
    quant.weight_scales = scales;
    std::vector<std::int32_t> bias(static_cast<std::size_t>(out_channels), 0);
    if (!qlinear && !matmul) bias = quantized_bias(2, quant, out_channels);
    finish_weighted_quant(quant, reorder(values), scales, bias);
  } else {
    const Constant& b = need_finite_constant(b_index, "B");
    FloatWeights& fw = float_weights_[static_cast<std::size_t>(index)];
    for (double v : reorder(b.values)) fw.weights.push_back(static_cast<float>(v));
    fw.bias.assign(static_cast<std::size_t>(out_channels), 0.0f);
    if (!matmul && !input_name(2).empty()) {
      const Constant& c = need_finite_constant(2, "C");
      if (c.elements() != out_channels) fail("C has shape " + shape_text(c.dims) + " (supported: one bias per output, [N] or [1, N])");
      for (int o = 0; o < out_channels; ++o) fw.bias[static_cast<std::size_t>(o)] = static_cast<float>(c.values[static_cast<std::size_t>(o)]);
    }
  }
  produce(index, qlinear, qlinear ? std::optional<QuantParams>(tensor_params(6, 7, "y")) : std::nullopt, true);
}

}  // namespace tandem::onnx_detail
