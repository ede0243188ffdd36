// ONNX export (onnx.h): one ONNX operator per tandem layer, in layer order; quantized networks
// as QDQ (DequantizeLinear -> operator -> [Relu/Clip] -> QuantizeLinear), so that importing the
// file gives the same network back.
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>
#include <stdexcept>

#include "models/onnx.h"

namespace tandem {

namespace {

class Exporter {
 public:
  Exporter(const Network& network, std::uint64_t seed) : net_(network), random_(seed) {}

  onnx::ModelProto build() {
    quantized_ = !net_.layers.empty() && net_.layers.front().quant.has_value();
    for (const Layer& layer : net_.layers) {
      if (layer.quant.has_value() != quantized_) {
        throw std::runtime_error("network '" + net_.name + "' is partly quantized (layer '" + layer.name +
                                 "'); ONNX export needs every layer quantized, or none");
      }
      if (quantized_ && has_weights(layer) && (layer.quant->weights.empty() || layer.quant->bias.empty())) {
        throw std::runtime_error("layer '" + layer.name + "' has scales but no weights or bias; export needs them");
      }
    }
    onnx::ModelProto model;
    model.set_ir_version(7);
    model.set_producer_name("tandem");
    auto* opset = model.add_opset_import();
    opset->set_domain("");
    opset->set_version(13);
    graph_ = model.mutable_graph();
    graph_->set_name(net_.name);
    value_info(graph_->add_input(), "input", {1, net_.input.channels, net_.input.height, net_.input.width});
    std::string input = "input";
    if (quantized_) input = quantize_network_input();
    for (std::size_t i = 0; i < net_.layers.size(); ++i) layer(i, input);
    const Layer& last = net_.layers.back();
    std::string out = outputs_.back();
    if (quantized_) {
      const QuantPair q = output_quant(last);
      out = dequantize(out, q.scale, q.zero_point, last.name + "/output");
    }
    node("Identity", {out}, "output", last.name + "/to_output");
    if (flat_.back()) value_info(graph_->add_output(), "output", {1, last.output.channels});
    else value_info(graph_->add_output(), "output", {1, last.output.channels, last.output.height, last.output.width});
    return model;
  }

 private:
  static void value_info(onnx::ValueInfoProto* info, const std::string& name, const std::vector<std::int64_t>& dims) {
    info->set_name(name);
    auto* tensor = info->mutable_type()->mutable_tensor_type();
    tensor->set_elem_type(onnx::TensorProto::FLOAT);
    for (auto d : dims) tensor->mutable_shape()->add_dim()->set_dim_value(d);
  }

  onnx::NodeProto* node(const std::string& op, const std::vector<std::string>& inputs, const std::string& output,
                        const std::string& name) {
    onnx::NodeProto* n = graph_->add_node();
    n->set_op_type(op);
    n->set_name(name);
    for (const auto& input : inputs) n->add_input(input);
    n->add_output(output);
    return n;
  }
  static void int_attribute(onnx::NodeProto* n, const std::string& name, std::int64_t value) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(value);
  }
  static void ints_attribute(onnx::NodeProto* n, const std::string& name, const std::vector<std::int64_t>& values) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (auto v : values) a->add_ints(v);
  }
  static void string_attribute(onnx::NodeProto* n, const std::string& name, const std::string& value) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::STRING);
    a->set_s(value);
  }

  template <typename T>
  std::string initializer(const std::string& name, int type, const std::vector<std::int64_t>& dims, const std::vector<T>& values) {
    onnx::TensorProto* t = graph_->add_initializer();
    t->set_name(name);
    t->set_data_type(type);
    for (auto d : dims) t->add_dims(d);
    for (const T& v : values) {
      if (type == onnx::TensorProto::FLOAT) t->add_float_data(static_cast<float>(v));
      else t->add_int32_data(static_cast<std::int32_t>(v));  // int8 and int32 data
    }
    return name;
  }

  std::string quantize(const std::string& real, float scale, std::int32_t zero_point, const std::string& name) {
    const std::string s = initializer(name + ".scale", onnx::TensorProto::FLOAT, {}, std::vector<float>{scale});
    const std::string z = initializer(name + ".zero_point", onnx::TensorProto::INT8, {}, std::vector<std::int32_t>{zero_point});
    node("QuantizeLinear", {real, s, z}, name, name + "/quantize");
    return name;
  }
  std::string dequantize(const std::string& q, float scale, std::int32_t zero_point, const std::string& name) {
    const std::string s = initializer(name + ".scale", onnx::TensorProto::FLOAT, {}, std::vector<float>{scale});
    const std::string z = initializer(name + ".zero_point", onnx::TensorProto::INT8, {}, std::vector<std::int32_t>{zero_point});
    node("DequantizeLinear", {q, s, z}, name, name + "/dequantize");
    return name;
  }

  // The network input's int8 tensor, quantized as the first layer reading it expects.
  std::string quantize_network_input() {
    for (const Layer& layer : net_.layers) {
      for (std::size_t k = 0; k < layer.inputs.size(); ++k) {
        if (layer.inputs[k] < 0) {
          return quantize("input", layer.quant->input_scales[k], layer.quant->input_zero_points[k], "input_q");
        }
      }
    }
    return quantize("input", 1.0f, 0, "input_q");
  }

  // Weights (ONNX layout) and bias initializers of a weighted layer; names of the tensors the
  // operator reads (DequantizeLinear outputs when quantized).
  std::pair<std::string, std::string> weights(const Layer& layer, const std::vector<std::int64_t>& dims) {
    const auto channels = static_cast<std::size_t>(layer_out_channels(layer));
    const std::size_t count = static_cast<std::size_t>(weight_count(layer));
    const std::size_t per = count / channels;
    // ONNX flat index of tandem weight element e.
    auto onnx_index = [&](std::size_t e) -> std::size_t {
      const TensorShape& in = layer.input_shapes.front();
      const auto kh = static_cast<std::size_t>(layer.kernel_h), kw = static_cast<std::size_t>(layer.kernel_w);
      switch (layer.kind) {
        case LayerKind::conv2d: {  // OHWI -> OIHW
          const auto ci = static_cast<std::size_t>(in.channels);
          const std::size_t o = e / per, r = e % per, h = r / (kw * ci), w = r / ci % kw, i = r % ci;
          return ((o * ci + i) * kh + h) * kw + w;
        }
        case LayerKind::depthwise_conv2d: {  // HWC -> C1HW
          const std::size_t c = e % channels, tap = e / channels;
          return c * kh * kw + tap;
        }
        default: {  // [out][H*W*C] -> [out][C*H*W]
          const auto H = static_cast<std::size_t>(in.height), W = static_cast<std::size_t>(in.width), C = static_cast<std::size_t>(in.channels);
          const std::size_t o = e / per, g = e % per, c = g % C, hw = g / C;
          return o * per + c * H * W + hw;
        }
      }
    };
    const std::string w_name = layer.name + ".weight", b_name = layer.name + ".bias";
    if (!quantized_) {
      std::normal_distribution<float> normal(0.0f, std::sqrt(2.0f / static_cast<float>(per)));
      std::vector<float> w(count);
      for (float& v : w) v = normal(random_);
      initializer(w_name, onnx::TensorProto::FLOAT, dims, w);
      initializer(b_name, onnx::TensorProto::FLOAT, {static_cast<std::int64_t>(channels)}, std::vector<float>(channels, 0.0f));
      return {w_name, b_name};
    }
    const LayerQuant& quant = *layer.quant;
    std::vector<std::int32_t> w(count);
    for (std::size_t e = 0; e < count; ++e) w[onnx_index(e)] = quant.weights[e];
    const auto channel_dims = std::vector<std::int64_t>{static_cast<std::int64_t>(channels)};
    initializer(w_name + ".q", onnx::TensorProto::INT8, dims, w);
    initializer(w_name + ".scale", onnx::TensorProto::FLOAT, channel_dims, quant.weight_scales);
    initializer(w_name + ".zero_point", onnx::TensorProto::INT8, channel_dims, std::vector<std::int32_t>(channels, 0));
    node("DequantizeLinear", {w_name + ".q", w_name + ".scale", w_name + ".zero_point"}, w_name, w_name + "/dequantize");
    int_attribute(&graph_->mutable_node()->at(graph_->node_size() - 1), "axis", 0);
    std::vector<float> bias_scales;
    for (float s : quant.weight_scales) bias_scales.push_back(quant.input_scales.front() * s);
    initializer(b_name + ".q", onnx::TensorProto::INT32, channel_dims, quant.bias);
    initializer(b_name + ".scale", onnx::TensorProto::FLOAT, channel_dims, bias_scales);
    initializer(b_name + ".zero_point", onnx::TensorProto::INT32, channel_dims, std::vector<std::int32_t>(channels, 0));
    node("DequantizeLinear", {b_name + ".q", b_name + ".scale", b_name + ".zero_point"}, b_name, b_name + "/dequantize");
    int_attribute(&graph_->mutable_node()->at(graph_->node_size() - 1), "axis", 0);
    return {w_name, b_name};
  }

  void window(onnx::NodeProto* n, const Layer& layer) {
    ints_attribute(n, "kernel_shape", {layer.kernel_h, layer.kernel_w});
    ints_attribute(n, "strides", {layer.stride_h, layer.stride_w});
    if (layer.padding == Padding::same) string_attribute(n, "auto_pad", "SAME_UPPER");
    else if (layer.padding == Padding::valid) string_attribute(n, "auto_pad", "VALID");
    else ints_attribute(n, "pads", {layer.pad_top, layer.pad_left, layer.pad_bottom, layer.pad_right});
  }

  struct QuantPair {
    float scale;
    std::int32_t zero_point;
  };
  // The quantization of the int8 values a layer outputs. A max pool or standalone activation
  // passes its input's int8 values on (clamped to activation_min..max; no requantization, as
  // the golden reference and the compiler compute it), whatever its output_scale says: those
  // values are in its input's quantization. (Its readers take them at their own input scales,
  // as for any layer: the DequantizeLinear before each reader says so.)
  static QuantPair output_quant(const Layer& layer) {
    const LayerQuant& q = *layer.quant;
    if (layer.kind == LayerKind::max_pool || layer.kind == LayerKind::activation) {
      return {q.input_scales.front(), q.input_zero_points.front()};
    }
    return {q.output_scale, q.output_zero_point};
  }
  // A max pool / activation whose output quantization differs from its input's clamps at
  // activation_min..max derived from the output's: Relu/Clip(0, 6) before a QuantizeLinear at
  // the input's quantization clamp at what that quantization gives. Other clamps cannot be
  // written that way.
  static void check_passthrough_clamp(const Layer& layer) {
    const LayerQuant& q = *layer.quant;
    const QuantPair in = output_quant(layer);
    std::int32_t lo = 0, hi = 0;
    activation_range(layer.activation, in.scale, in.zero_point, &lo, &hi);
    if (lo != q.activation_min || hi != q.activation_max) {
      throw std::runtime_error("layer '" + layer.name + "' (" + layer_kind_name(layer.kind) + ", " + activation_name(layer.activation) +
                               ") clamps its int8 input values to " + std::to_string(q.activation_min) + ".." +
                               std::to_string(q.activation_max) + " (from its output quantization), not to " + std::to_string(lo) +
                               ".." + std::to_string(hi) + " as " + activation_name(layer.activation) +
                               " at its input's quantization would; ONNX export cannot express that clamp");
    }
  }

  void layer(std::size_t index, const std::string& network_input) {
    const Layer& layer = net_.layers[index];
    std::vector<std::string> inputs;
    std::vector<bool> input_flat;
    for (std::size_t k = 0; k < layer.inputs.size(); ++k) {
      const int producer = layer.inputs[k];
      std::string tensor = producer < 0 ? network_input : outputs_[static_cast<std::size_t>(producer)];
      if (quantized_) {
        tensor = dequantize(tensor, layer.quant->input_scales[k], layer.quant->input_zero_points[k],
                            layer.name + "/input" + std::to_string(k));
      }
      inputs.push_back(tensor);
      input_flat.push_back(producer >= 0 && flat_[static_cast<std::size_t>(producer)]);
    }
    // A fully connected layer's output is [1, N] in ONNX (Gemm); activations pass that shape
    // on, an add of [1, N] and a [1, N, 1, 1] tensor flattens the latter (else ONNX would
    // broadcast them to [1, N, 1, N]). Windowed layers cannot read a [1, N] tensor.
    bool flat = layer.kind == LayerKind::fully_connected;
    if (layer.kind == LayerKind::activation) flat = input_flat.front();
    if (layer.kind == LayerKind::add && std::count(input_flat.begin(), input_flat.end(), true) > 0) {
      flat = true;
      for (std::size_t k = 0; k < inputs.size(); ++k) {
        if (input_flat[k]) continue;
        const std::string flattened = layer.name + "/input" + std::to_string(k) + "/flat";
        node("Flatten", {inputs[k]}, flattened, layer.name + "/flatten" + std::to_string(k));
        inputs[k] = flattened;
      }
    }
    if (!flat && layer.kind != LayerKind::fully_connected && input_flat.front()) {
      throw std::runtime_error("layer '" + layer.name + "' (" + layer_kind_name(layer.kind) +
                               ") reads the [1, N] output of a fully_connected layer; ONNX export cannot express a "
                               "windowed layer on it (the importer takes no Reshape back to [1, N, 1, 1])");
    }
    flat_.push_back(flat);
    const std::string raw = layer.name + "/raw";
    const TensorShape in = layer.input_shapes.front();
    switch (layer.kind) {
      case LayerKind::conv2d:
      case LayerKind::depthwise_conv2d: {
        const bool depthwise = layer.kind == LayerKind::depthwise_conv2d;
        const int out = layer_out_channels(layer);
        const auto [w, b] = weights(layer, {out, depthwise ? 1 : in.channels, layer.kernel_h, layer.kernel_w});
        onnx::NodeProto* n = node("Conv", {inputs[0], w, b}, raw, layer.name);
        window(n, layer);
        if (depthwise) int_attribute(n, "group", in.channels);
        break;
      }
      case LayerKind::fully_connected: {
        node("Flatten", {inputs[0]}, layer.name + "/flat", layer.name + "/flatten");
        const auto [w, b] = weights(layer, {layer.out_channels, in.elements()});
        onnx::NodeProto* n = node("Gemm", {layer.name + "/flat", w, b}, raw, layer.name);
        int_attribute(n, "transB", 1);
        break;
      }
      case LayerKind::add: node("Add", inputs, raw, layer.name); break;
      case LayerKind::max_pool: window(node("MaxPool", inputs, raw, layer.name), layer); break;
      case LayerKind::avg_pool: {
        onnx::NodeProto* n = node("AveragePool", inputs, raw, layer.name);
        window(n, layer);
        int_attribute(n, "count_include_pad", 0);
        break;
      }
      case LayerKind::global_avg_pool: node("GlobalAveragePool", inputs, raw, layer.name); break;
      case LayerKind::activation:
        if (layer.activation == Activation::none) {
          throw std::runtime_error("layer '" + layer.name + "' is an activation layer without an activation; ONNX export cannot express it");
        }
        break;
    }
    std::string real = layer.kind == LayerKind::activation ? inputs[0] : raw;
    const std::string node_name = layer.kind == LayerKind::activation ? layer.name : layer.name + "/activation";
    if (layer.activation == Activation::relu) {
      real = node("Relu", {real}, layer.name + "/act", node_name)->output(0);
    } else if (layer.activation == Activation::relu6) {
      const std::string lo = initializer(layer.name + ".clip_min", onnx::TensorProto::FLOAT, {}, std::vector<float>{0.0f});
      const std::string hi = initializer(layer.name + ".clip_max", onnx::TensorProto::FLOAT, {}, std::vector<float>{6.0f});
      real = node("Clip", {real, lo, hi}, layer.name + "/act", node_name)->output(0);
    }
    if (quantized_) {
      const QuantPair q = output_quant(layer);
      if (q.scale != layer.quant->output_scale || q.zero_point != layer.quant->output_zero_point) check_passthrough_clamp(layer);
      real = quantize(real, q.scale, q.zero_point, layer.name + "/q");
    }
    outputs_.push_back(real);
  }

  const Network& net_;
  std::mt19937_64 random_;
  bool quantized_ = false;
  onnx::GraphProto* graph_ = nullptr;
  std::vector<std::string> outputs_;  // per layer: its output tensor (int8 when quantized)
  std::vector<bool> flat_;            // per layer: whether that tensor is [1, N] (else [1, C, H, W])
};

}  // namespace

void export_onnx(const Network& network, const std::string& file, std::uint64_t seed) {
  GOOGLE_PROTOBUF_VERIFY_VERSION;
  if (auto problem = network.validate()) throw std::runtime_error("network '" + network.name + "': " + *problem);
  const onnx::ModelProto model = Exporter(network, seed).build();
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out || !model.SerializeToOstream(&out)) throw std::runtime_error("cannot write " + file);
}

}  // namespace tandem
