// ONNX import, node helpers (onnx_importer.h): what every convert_* function asks of the node
// it converts: its attributes (typed, only the known ones), its inputs (count, activation
// values, defined before it), adding the tandem layer it makes and naming that layer's output,
// and the window attributes of Conv and pooling mapped onto tandem padding.
#include <string>

#include "models/onnx_importer.h"

namespace tandem::onnx_detail {

// ---- node helpers -------------------------------------------------------------------------------
const onnx::AttributeProto* Importer::attribute(const std::string& name) const {
  for (const auto& a : node().attribute()) {
    if (a.name() == name) return &a;
  }
  return nullptr;
}

// The attribute `name` when present; fails when it has another type than `type` (models
// without attribute types, IR < 2, are taken at their word).
const onnx::AttributeProto* Importer::typed_attribute(const std::string& name, onnx::AttributeProto::AttributeType type,
                                                    const char* type_name) const {
  const auto* a = attribute(name);
  if (a && a->type() != type && a->type() != onnx::AttributeProto::UNDEFINED) {
    fail("attribute '" + name + "' is of type " + onnx::AttributeProto::AttributeType_Name(a->type()) + " (valid: " + type_name + ")");
  }
  return a;
}

std::int64_t Importer::int_attribute(const std::string& name, std::int64_t fallback) const {
  const auto* a = typed_attribute(name, onnx::AttributeProto::INT, "an int");
  return a ? a->i() : fallback;
}

float Importer::float_attribute(const std::string& name, float fallback) const {
  const auto* a = typed_attribute(name, onnx::AttributeProto::FLOAT, "a float");
  return a ? a->f() : fallback;
}

std::vector<std::int64_t> Importer::ints_attribute(const std::string& name) const {
  const auto* a = typed_attribute(name, onnx::AttributeProto::INTS, "a list of ints");
  if (!a) return {};
  return {a->ints().begin(), a->ints().end()};
}

std::string Importer::string_attribute(const std::string& name, const std::string& fallback) const {
  const auto* a = typed_attribute(name, onnx::AttributeProto::STRING, "a string");
  return a ? a->s() : fallback;
}

// Fails for attributes outside `known`.
void Importer::only_attributes(const std::set<std::string>& known) const {
  for (const auto& a : node().attribute()) {
    if (!known.count(a.name())) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      fail("attribute '" + a.name() + "' is not supported (supported: " + (list.empty() ? "none" : list) + ")");
    }
  }
}

void Importer::need_inputs(int min, int max) const {
  int given = node().input_size();
  while (given > 0 && node().input(given - 1).empty()) --given;
  if (given < min || given > max) {
    fail("has " + std::to_string(given) + " inputs (expected " + std::to_string(min) +
         (max > min ? ".." + std::to_string(max) : "") + ")");
  }
  if (node().output_size() < 1) fail("has no output");
}

// Fails for input i, which names nothing defined before this node.
void Importer::undefined_input(int i) const {
  const std::string& name = input_name(i);
  auto later = producers_.find(name);
  if (later != producers_.end() && later->second >= node_index_) {
    const onnx::NodeProto& producer = model_.graph().node(later->second);
    fail("input " + std::to_string(i) + " '" + name + "' is the output of node " + std::to_string(later->second) + " '" +
         producer.name() + "' (" + producer.op_type() + "), which does not come before it (supported: nodes in topological order, no cycles)");
  }
  fail("input " + std::to_string(i) + " '" + name + "' is not defined (no graph input, initializer or earlier node output has that name)");
}

Value& Importer::value(int i) {
  auto found = values_.find(input_name(i));
  if (found == values_.end()) {
    if (!consts_.count(input_name(i)) && !qconsts_.count(input_name(i))) undefined_input(i);
    fail("input " + std::to_string(i) + " '" + input_name(i) +
         "' is a constant (supported here: an activation tensor, the graph input or a node's output)");
  }
  return found->second;
}

// An activation input of a compute node: in a QDQ model a DequantizeLinear.
Value Importer::activation_input(int i, const char* what) {
  Value v = value(i);
  if (qdq() && (v.int8 || !v.quant || v.pending)) {
    fail(std::string(what) + " (input " + std::to_string(i) + " '" + input_name(i) +
         "') must come from a DequantizeLinear in a quantized (QDQ) model");
  }
  if (!qdq() && v.int8) fail(std::string(what) + " is an integer tensor");
  return v;
}

TensorShape Importer::shape_of(const Value& v) const {
  return v.layer < 0 ? network().input : network().layers[static_cast<std::size_t>(v.layer)].output;
}

// Adds a layer fed by `inputs`; returns its index. Infers its shape or fails with the reason.
int Importer::add_layer(Layer layer, const std::vector<Value>& inputs) {
  Network& net = network();
  for (const Value& v : inputs) {
    layer.inputs.push_back(v.layer);
    layer.input_shapes.push_back(shape_of(v));
  }
  std::string base = sanitize(node().name());
  if (base.empty() || base == "input") base = sanitize(node().op_type()) + "_" + std::to_string(node_index_);
  layer.name = base;
  for (int k = 2; used_names_.count(layer.name); ++k) layer.name = base + "_" + std::to_string(k);
  used_names_.insert(layer.name);
  ShapeResult shape = infer_output_shape(layer, layer.input_shapes);
  if (!shape.shape) fail(shape.error);
  layer.output = *shape.shape;
  if (layer.output.elements() > kMaxElements) {
    fail("its output " + layer.output.to_string() + " (HxWxC) has more than " + std::to_string(kMaxElements) +
         " elements (supported: at most that many)");
  }
  if (qdq()) {
    LayerQuant quant;
    for (const Value& v : inputs) {
      quant.input_scales.push_back(v.quant->scale);
      quant.input_zero_points.push_back(v.quant->zero_point);
    }
    layer.quant = quant;
  }
  net.layers.push_back(std::move(layer));
  float_weights_.emplace_back();
  output_quant_set_.push_back(false);
  layer_node_.push_back(node().name().empty() ? node().op_type() + " #" + std::to_string(node_index_) : node().name());
  return static_cast<int>(net.layers.size()) - 1;
}

// The output value of a new layer; QLinear nodes give their int8 output directly.
void Importer::produce(int index, bool qlinear, std::optional<QuantParams> output, bool flat) {
  Value out;
  out.layer = index;
  out.flat = flat;
  if (qlinear) {
    LayerQuant& quant = *layer_at(index).quant;
    quant.output_scale = output->scale;
    quant.output_zero_point = output->zero_point;
    if (has_weights(layer_at(index))) derive_requantization(quant);
    activation_range(Activation::none, quant.output_scale, quant.output_zero_point, &quant.activation_min, &quant.activation_max);
    output_quant_set_[static_cast<std::size_t>(index)] = true;
    out.int8 = true;
    out.quant = output;
  } else {
    out.pending = true;
  }
  set_output(out);
}

// ---- window attributes --------------------------------------------------------------------------
// kernel_shape/strides/pads/auto_pad/dilations of Conv and pooling, checked and mapped onto
// tandem padding (same or valid when the pads are exactly those, else explicit).
void Importer::window_attributes(Layer& layer, const TensorShape& in, int kernel_h, int kernel_w) {
  const auto kernel = ints_attribute("kernel_shape");
  if (!kernel.empty() && (kernel.size() != 2 || kernel[0] != kernel_h || kernel[1] != kernel_w)) {
    fail("kernel_shape " + shape_text(kernel) + " does not match the weights' " + std::to_string(kernel_h) + "x" +
         std::to_string(kernel_w));
  }
  const auto dilations = ints_attribute("dilations");
  for (auto d : dilations) {
    if (d != 1) fail("dilations " + shape_text(dilations) + " are not supported (supported: 1)");
  }
  auto strides = ints_attribute("strides");
  if (strides.empty()) strides = {1, 1};
  if (strides.size() != 2 || strides[0] < 1 || strides[1] < 1 || strides[0] > 1024 || strides[1] > 1024) {
    fail("strides " + shape_text(strides) + " are not supported (supported: two values 1..1024)");
  }
  layer.kernel_h = kernel_h;
  layer.kernel_w = kernel_w;
  layer.stride_h = static_cast<int>(strides[0]);
  layer.stride_w = static_cast<int>(strides[1]);
  const std::string auto_pad = string_attribute("auto_pad", "NOTSET");
  auto pads = ints_attribute("pads");
  if (auto_pad == "SAME_UPPER") {
    layer.padding = Padding::same;
    return;
  }
  if (auto_pad == "VALID") {
    layer.padding = Padding::valid;
    return;
  }
  if (auto_pad == "SAME_LOWER") {
    Layer probe = layer;
    probe.padding = Padding::same;
    const WindowPads same = window_pads(probe, in);
    if (same.top != same.bottom || same.left != same.right) {
      fail("auto_pad SAME_LOWER with uneven padding is not supported (supported: NOTSET with pads, SAME_UPPER, "
           "VALID, or SAME_LOWER where the padding is even)");
    }
    layer.padding = Padding::same;
    return;
  }
  if (auto_pad != "NOTSET") fail("auto_pad '" + auto_pad + "' is not valid (valid: NOTSET, SAME_UPPER, SAME_LOWER, VALID)");
  if (pads.empty()) pads = {0, 0, 0, 0};
  if (pads.size() != 4) fail("pads " + shape_text(pads) + " must have 4 values for a 2-D window");
  // ONNX: [top, left, bottom, right].
  for (auto p : pads) {
    if (p < 0 || p >= 1024) fail("pads " + shape_text(pads) + " are not supported (supported: 0 .. kernel size - 1)");
  }
  layer.padding = Padding::same;
  const WindowPads same = window_pads(layer, in);
  if (same.top == pads[0] && same.left == pads[1] && same.bottom == pads[2] && same.right == pads[3]) return;
  layer.padding = Padding::valid;
  if (pads[0] == 0 && pads[1] == 0 && pads[2] == 0 && pads[3] == 0) return;
  layer.padding = Padding::explicit_pads;
  layer.pad_top = static_cast<int>(pads[0]);
  layer.pad_left = static_cast<int>(pads[1]);
  layer.pad_bottom = static_cast<int>(pads[2]);
  layer.pad_right = static_cast<int>(pads[3]);
  if (pads[0] >= kernel_h || pads[2] >= kernel_h || pads[1] >= kernel_w || pads[3] >= kernel_w) {
    fail("pads " + shape_text(pads) + " reach a whole kernel (" + std::to_string(kernel_h) + "x" +
         std::to_string(kernel_w) + ") beyond the input (supported: 0 .. kernel size - 1 on each side)");
  }
}

}  // namespace tandem::onnx_detail
