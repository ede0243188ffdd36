// ONNX import, the operators without weights of their own (onnx_importer.h): Add (fused as a
// bias into the Conv/Gemm/MatMul before it, or an add layer), Relu/Clip (fused or standalone),
// MaxPool/AveragePool/GlobalAveragePool, BatchNormalization (folded into the Conv's float
// weights), and the nodes that make no layer: Constant, Identity/Dropout, Flatten/Reshape,
// QuantizeLinear/DequantizeLinear. Each works per element, per channel or per window, or only
// renames, requantizes or folds a tensor; none reorders weights (onnx_convert_conv.cpp does).
#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <string>

#include "models/onnx_importer.h"

namespace tandem::onnx_detail {

// ---- conversion ---------------------------------------------------------------------------------
void Importer::convert_constant() {
  only_attributes({"value"});
  const auto* a = attribute("value");
  if (!a || !a->has_t()) fail("needs a tensor 'value' attribute (supported: tensor constants)");
  consts_[node().output(0)] = read_tensor(a->t(), "Constant '" + node().name() + "'");
}

void Importer::convert_identity() {
  if (node().op_type() == "Dropout") {
    only_attributes({"seed", "ratio"});
    if (node().output_size() > 1 && !node().output(1).empty()) fail("the mask output is not supported (supported: inference, one output)");
  }
  if (auto c = constant(0)) {
    consts_[node().output(0)] = *c;
    return;
  }
  set_output(value(0));
}

void Importer::convert_quantize() {
  need_inputs(2, 3);
  only_attributes({"axis"});
  if (constant(0)) fail("quantizing a constant is not supported (weights must be stored quantized, with DequantizeLinear)");
  Value v = value(0);
  if (v.int8) fail("the input is already quantized");
  const QuantParams params = tensor_params(1, 2, "QuantizeLinear");
  if (v.layer >= 0 && v.pending) {
    Layer& layer = layer_at(v.layer);
    LayerQuant& quant = *layer.quant;
    if ((layer.kind == LayerKind::max_pool || layer.kind == LayerKind::activation) && !deferred_input(v.layer) &&
        !(QuantParams{quant.input_scales.front(), quant.input_zero_points.front()} == params)) {
      fail("quantizes the output of " + std::string(layer_kind_name(layer.kind)) + " '" + layer.name +
           "' with a scale or zero point other than its input's (supported: the same; tandem's " +
           layer_kind_name(layer.kind) + " does not requantize)");
    }
    quant.output_scale = params.scale;
    quant.output_zero_point = params.zero_point;
    activation_range(layer.activation, quant.output_scale, quant.output_zero_point, &quant.activation_min, &quant.activation_max);
    if (has_weights(layer)) derive_requantization(quant);
    output_quant_set_[static_cast<std::size_t>(v.layer)] = true;
  } else if (v.layer >= 0 || v.quant) {
    fail("requantizes a tensor without an operator in between (supported: QuantizeLinear of the graph input or of a compute node's output)");
  }
  v.int8 = true;
  v.pending = false;
  v.quant = params;
  set_output(v);
}

void Importer::convert_dequantize() {
  need_inputs(2, 3);
  only_attributes({"axis"});
  if (const Constant* c = constant(0)) {
    QuantConstant q;
    q.data = *c;
    q.axis = static_cast<int>(int_attribute("axis", 1));
    q.scales = need_constant(1, "the scale").values;
    if (!input_name(2).empty()) {
      const Constant& z = need_constant(2, "the zero point");
      if (z.type != c->type) fail("the zero point's type differs from the data's");
      q.zero_points = z.values;
    } else {
      q.zero_points.assign(q.scales.size(), 0.0);
    }
    if (q.zero_points.size() != q.scales.size()) fail("scale and zero point differ in size");
    const std::int64_t rank = static_cast<std::int64_t>(c->dims.size());
    const std::int64_t axis = q.axis < 0 ? q.axis + rank : q.axis;
    if (q.scales.size() != 1 && (axis < 0 || axis >= rank || c->dims[static_cast<std::size_t>(axis)] != static_cast<std::int64_t>(q.scales.size()))) {
      fail("has " + std::to_string(q.scales.size()) + " scales, which do not match axis " + std::to_string(q.axis) +
           " of the data's shape " + shape_text(c->dims));
    }
    for (double s : q.scales) {
      if (!(s > 0) || !std::isfinite(s)) fail("scales must be positive");
    }
    qconsts_[node().output(0)] = std::move(q);
    return;
  }
  Value v = value(0);
  if (!v.int8) fail("the input is not a quantized tensor (QuantizeLinear output)");
  v.int8 = false;
  v.quant = tensor_params(1, 2, "DequantizeLinear");
  set_output(v);
}

void Importer::convert_add() {
  need_inputs(2, 2);
  only_attributes({});
  // A DequantizeLinear of an int32 constant in a QDQ model: the bias of the MatMul/Gemm/Conv
  // before it (a Linear layer exported as MatMul + Add), at input scale x weight scale.
  for (int k = 0; qdq() && k < 2; ++k) {
    if (!qconsts_.count(input_name(k))) continue;
    Value v = value(1 - k);
    const bool fusable = v.layer >= 0 && v.pending && has_weights(layer_at(v.layer)) &&
                         layer_at(v.layer).activation == Activation::none && single_consumer(input_name(1 - k));
    if (!fusable) {
      fail("adding a dequantized constant is supported only as the bias of the Conv/Gemm/MatMul right before it "
           "(its real output, used only here, before any activation or QuantizeLinear)");
    }
    LayerQuant& quant = *layer_at(v.layer).quant;
    if (std::any_of(quant.bias.begin(), quant.bias.end(), [](std::int32_t b) { return b != 0; })) {
      fail("the Conv/Gemm/MatMul before it has a bias already (supported: one bias, in the node or in this Add)");
    }
    const int channels = layer_out_channels(layer_at(v.layer));
    const QuantConstant& q = qconsts_.at(input_name(k));
    check_bias_shape(q.data.dims, k, v);
    quant.bias = quantized_bias(k, quant, channels);
    set_output(v);
    return;
  }
  // A constant operand: the bias of the MatMul/Gemm/Conv before it (float models).
  for (int k = 0; k < 2; ++k) {
    const Constant* c = constant(k);
    if (!c) continue;
    Value v = value(1 - k);
    const bool fusable = !qdq() && v.layer >= 0 && v.pending && has_weights(layer_at(v.layer)) &&
                         layer_at(v.layer).activation == Activation::none && single_consumer(input_name(1 - k));
    if (!fusable) {
      fail("adding a constant is supported only as the bias of the Conv/Gemm/MatMul right before it (one value per "
           "output channel, in a float model; its real output used only here)");
    }
    check_bias_shape(c->dims, k, v);
    check_finite(*c, "the bias (input " + std::to_string(k) + ")");
    auto& bias = float_weights_[static_cast<std::size_t>(v.layer)].bias;
    for (std::size_t o = 0; o < bias.size(); ++o) bias[o] += static_cast<float>(c->values[o]);
    set_output(v);
    return;
  }
  Value a = activation_input(0, "input A");
  Value b = activation_input(1, "input B");
  if (a.flat != b.flat) fail("adds a flattened and a 4-D tensor (supported: two tensors of the same shape)");
  if (shape_of(a) != shape_of(b)) {
    fail("input shapes " + shape_of(a).to_string() + " and " + shape_of(b).to_string() + " (HxWxC) differ (supported: equal shapes, no broadcasting)");
  }
  Layer layer;
  layer.kind = LayerKind::add;
  const int index = add_layer(layer, {a, b});
  produce(index, false, std::nullopt, a.flat);
}

// A constant of shape `dims` (input k) added to the real output v of a weighted layer is a
// per-channel bias only when ONNX broadcasting (right-aligned) spreads one value per channel:
// [C, 1, 1] or [1, C, 1, 1] on a [1, C, H, W] tensor, [N] or [1, N] on a [1, N] one.
void Importer::check_bias_shape(const std::vector<std::int64_t>& dims, int k, const Value& v) const {
  const Layer& producer = network().layers[static_cast<std::size_t>(v.layer)];
  const std::int64_t channels = layer_out_channels(producer);
  const std::size_t rank = v.flat ? 2 : 4;
  bool ok = !dims.empty() && dims.size() <= rank;
  for (std::size_t i = 0; ok && i < dims.size(); ++i) {
    const std::size_t axis = rank - dims.size() + i;  // the tensor axis this dimension aligns to
    ok = dims[i] == (axis == 1 ? channels : 1);
  }
  if (ok) return;
  const TensorShape out = producer.output;
  const std::vector<std::int64_t> tensor = v.flat ? std::vector<std::int64_t>{1, out.elements()}
                                                  : std::vector<std::int64_t>{1, out.channels, out.height, out.width};
  fail("the constant (input " + std::to_string(k) + " '" + input_name(k) + "') of shape " + shape_text(dims) + " added to the " +
       shape_text(tensor) + " output of node '" + layer_node_[static_cast<std::size_t>(v.layer)] +
       "' is not one value per output channel under ONNX broadcasting, which aligns shapes at the last axis (supported as a "
       "bias: [C, 1, 1] or [1, C, 1, 1] on a Conv output, [N] or [1, N] on a Gemm/MatMul output)");
}

void Importer::convert_activation() {
  Activation activation = Activation::relu;
  if (node().op_type() == "Clip") {
    need_inputs(1, 3);
    only_attributes({"min", "max"});
    double lo = -INFINITY, hi = INFINITY;
    if (opset_ < 11) {
      lo = float_attribute("min", -INFINITY);
      hi = float_attribute("max", INFINITY);
    } else {
      auto bound = [&](int i, const char* what) {
        const Constant& c = need_constant(i, what);
        if (c.values.size() != 1) fail(std::string(what) + " must be one value, got shape " + shape_text(c.dims));
        return c.values[0];
      };
      if (!input_name(1).empty()) lo = bound(1, "min");
      if (!input_name(2).empty()) hi = bound(2, "max");
    }
    if (lo == 0 && hi == 6) activation = Activation::relu6;
    else if (!(lo == 0 && std::isinf(hi) && hi > 0)) {
      fail("Clip(" + shortest(lo) + ", " + shortest(hi) + ") is not supported (supported: Clip(0, 6) as relu6, Clip(0, inf) as relu)");
    }
  } else {
    need_inputs(1, 1);
    only_attributes({});
  }
  Value v = value(0);
  if (v.int8) fail("the input is a quantized tensor (supported: Relu/Clip on real values, before QuantizeLinear)");
  if (v.layer >= 0 && v.pending && layer_at(v.layer).activation == Activation::none && single_consumer(input_name(0))) {
    layer_at(v.layer).activation = activation;  // fused into the producer
    set_output(v);
    return;
  }
  Layer layer;
  layer.kind = LayerKind::activation;
  layer.activation = activation;
  if (qdq() && v.layer >= 0 && v.pending) {
    // The real output of a layer that cannot take this activation (other nodes read that
    // output too, or it has an activation already): a standalone activation layer reading
    // the layer's int8 output, as its QuantizeLinear elsewhere gives it. Exact when this
    // node's output is quantized the same way (finish() checks that once both are known).
    Value input = v;
    input.quant = QuantParams{};  // filled in by finish()
    const int index = add_layer(layer, {input});
    deferred_inputs_.push_back({index, v.layer, node_index_});
    produce(index, false, std::nullopt, v.flat);
    return;
  }
  v = activation_input(0, "the input");
  const int index = add_layer(layer, {v});
  produce(index, false, std::nullopt, v.flat);
}

void Importer::convert_pool() {
  need_inputs(1, 1);
  const bool max = node().op_type() == "MaxPool";
  if (max) only_attributes({"auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides"});
  else only_attributes({"auto_pad", "ceil_mode", "count_include_pad", "kernel_shape", "pads", "strides"});
  if (node().output_size() > 1 && !node().output(1).empty()) fail("the Indices output is not supported");
  if (int_attribute("ceil_mode", 0) != 0) fail("ceil_mode = 1 is not supported (supported: 0, floor)");
  Value x = activation_input(0, "the input");
  if (x.flat) fail("the input is flattened (supported: a [1, C, H, W] tensor)");
  const auto kernel = ints_attribute("kernel_shape");
  if (kernel.size() != 2 || kernel[0] < 1 || kernel[1] < 1 || kernel[0] > 1024 || kernel[1] > 1024) {
    fail("kernel_shape " + shape_text(kernel) + " is not supported (supported: two values 1..1024)");
  }
  Layer layer;
  layer.kind = max ? LayerKind::max_pool : LayerKind::avg_pool;
  const TensorShape in = shape_of(x);
  window_attributes(layer, in, static_cast<int>(kernel[0]), static_cast<int>(kernel[1]));
  if (!max && int_attribute("count_include_pad", 0) != 0) {
    const WindowPads pads = window_pads(layer, in);
    if (pads.top || pads.left || pads.bottom || pads.right) {
      fail("count_include_pad = 1 with padding is not supported (supported: 0: border windows divide by their valid inputs)");
    }
  }
  const int index = add_layer(layer, {x});
  produce(index, false, std::nullopt);
}

void Importer::convert_global_pool() {
  need_inputs(1, 1);
  only_attributes({});
  Value x = activation_input(0, "the input");
  if (x.flat) fail("the input is flattened (supported: a [1, C, H, W] tensor)");
  Layer layer;
  layer.kind = LayerKind::global_avg_pool;
  const int index = add_layer(layer, {x});
  produce(index, false, std::nullopt);
}

void Importer::convert_batch_norm() {
  need_inputs(5, 5);
  only_attributes({"epsilon", "momentum", "training_mode", "spatial"});
  if (int_attribute("training_mode", 0) != 0 || node().output_size() > 1) fail("training mode is not supported (supported: inference, one output)");
  if (qdq()) fail("BatchNormalization in a quantized model is not supported (supported: folded into the Conv before quantization)");
  Value v = value(0);
  const bool fusable = v.layer >= 0 && v.pending && !v.flat &&
                       (layer_at(v.layer).kind == LayerKind::conv2d || layer_at(v.layer).kind == LayerKind::depthwise_conv2d) &&
                       layer_at(v.layer).activation == Activation::none && single_consumer(input_name(0));
  if (!fusable) fail("the input is not the output of a Conv that only this node reads (directly or through Identity/Dropout/Flatten/Reshape; "
                      "supported: BatchNormalization right after a Conv, folded into it)");
  const Layer& conv = layer_at(v.layer);
  const auto channels = static_cast<std::size_t>(layer_out_channels(conv));
  const Constant& scale = need_finite_constant(1, "scale");
  const Constant& beta = need_finite_constant(2, "B");
  const Constant& mean = need_finite_constant(3, "mean");
  const Constant& var = need_finite_constant(4, "var");
  for (const Constant* c : {&scale, &beta, &mean, &var}) {
    if (c->values.size() != channels) fail("parameters must have one value per channel (" + std::to_string(channels) + ")");
  }
  const double epsilon = float_attribute("epsilon", 1e-5f);
  for (std::size_t c = 0; c < channels; ++c) {
    if (!(var.values[c] + epsilon > 0) || !std::isfinite(epsilon)) {
      fail("var + epsilon of channel " + std::to_string(c) + " is " + shortest(var.values[c] + epsilon) + " (valid: positive)");
    }
  }
  FloatWeights& fw = float_weights_[static_cast<std::size_t>(v.layer)];
  const std::size_t per = fw.weights.size() / channels;
  for (std::size_t c = 0; c < channels; ++c) {
    const double factor = scale.values[c] / std::sqrt(var.values[c] + epsilon);
    for (std::size_t e = 0; e < per; ++e) {
      const std::size_t at = conv.kind == LayerKind::depthwise_conv2d ? e * channels + c : c * per + e;
      fw.weights[at] = static_cast<float>(fw.weights[at] * factor);
    }
    fw.bias[c] = static_cast<float>((fw.bias[c] - mean.values[c]) * factor + beta.values[c]);
  }
  set_output(v);
}

void Importer::convert_flatten() {
  const bool reshape = node().op_type() == "Reshape";
  need_inputs(reshape ? 2 : 1, reshape ? 2 : 1);
  only_attributes(reshape ? std::set<std::string>{"allowzero"} : std::set<std::string>{"axis"});
  Value v = value(0);
  const std::int64_t elements = shape_of(v).elements();
  if (reshape) {
    const Constant& shape = need_constant(1, "the shape");
    if (shape.type != onnx::TensorProto::INT64) fail("the shape must be an int64 tensor");
    std::vector<std::int64_t> dims;
    for (double d : shape.values) dims.push_back(static_cast<std::int64_t>(d));
    const bool ok = dims.size() == 2 && (dims[0] == 1 || dims[0] == -1 || dims[0] == 0) &&
                    (dims[1] == elements || dims[1] == -1) && !(dims[0] == -1 && dims[1] == -1);
    if (!ok) fail("reshape to " + shape_text(dims) + " is not supported (supported: [1, " + std::to_string(elements) + "] or [1, -1], flattening before Gemm/MatMul)");
  } else if (int_attribute("axis", 1) != 1) {
    fail("axis " + std::to_string(int_attribute("axis", 1)) + " is not supported (supported: 1)");
  }
  v.flat = true;
  set_output(v);
}

}  // namespace tandem::onnx_detail
