// ONNX import (onnx.h): walks the graph in its (topological) node order and builds one tandem
// layer per compute node, fusing Relu/Clip, BatchNormalization and bias Adds into their
// producer, and mapping QuantizeLinear/DequantizeLinear onto the layers' quantization.
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>

#include "core/files.h"
#include "core/input_error.h"
#include "models/npy.h"
#include "models/onnx.h"
#include "models/onnx_internal.h"

namespace tandem {

namespace {

// The most elements of one tensor, constant or activation (1 GiB of float32): more is a
// located error, not a std::bad_alloc.
constexpr std::int64_t kMaxElements = std::int64_t{1} << 28;
// The most of one input dimension (H, W or C), as for networks written in YAML.
constexpr std::int64_t kMaxDimension = 65536;

const char* const kSupportedOps =
    "Conv, Gemm, MatMul, Add, Relu, Clip, MaxPool, AveragePool, GlobalAveragePool, BatchNormalization, "
    "Flatten, Reshape, Identity, Dropout, Constant, QuantizeLinear, DequantizeLinear, QLinearConv, "
    "QLinearMatMul";

// A constant tensor (initializer or Constant node), every element as a double (exact for the
// float32, int8, uint8 and int32 data this importer uses).
struct Constant {
  int type = 0;  // onnx::TensorProto::DataType
  std::vector<std::int64_t> dims;
  std::vector<double> values;
  std::int64_t elements() const {
    std::int64_t n = 1;
    for (auto d : dims) n *= d;
    return n;
  }
};

// A DequantizeLinear of a constant: integer values with their scales and zero points.
struct QuantConstant {
  Constant data;
  std::vector<double> scales;       // one, or one per slice along `axis`
  std::vector<double> zero_points;  // likewise, in the data's own type (uint8 not yet shifted)
  int axis = 1;
};

struct QuantParams {
  float scale = 1.0f;
  std::int32_t zero_point = 0;  // int8 space
  bool operator==(const QuantParams& o) const { return scale == o.scale && zero_point == o.zero_point; }
};

// An activation tensor of the graph.
struct Value {
  int layer = -1;     // producing tandem layer; -1 the network input
  bool flat = false;  // [1, C*H*W] in ONNX's C,H,W order (after Flatten/Reshape or Gemm)
  bool int8 = false;  // QDQ: the int8 tensor (QuantizeLinear output); else a real tensor
  // QDQ: the parameters of an int8 tensor, or of the DequantizeLinear a real tensor is.
  std::optional<QuantParams> quant;
  bool pending = false;  // a real output of a layer whose output quantization / activation is open
};

// A number in its shortest form that reads back the same: "0", "4", "0.1" (a float32 value as
// float32: the constants and attributes it prints are float32), "1e+30", "-inf", "nan".
std::string shortest(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  const bool is_float = std::fabs(value) <= FLT_MAX && static_cast<double>(static_cast<float>(value)) == value;
  char text[40];
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(text, sizeof text, "%.*g", digits, value);
    const double back = std::strtod(text, nullptr);
    if (is_float ? static_cast<float>(back) == static_cast<float>(value) : back == value) break;
  }
  return text;
}

std::string shape_text(const std::vector<std::int64_t>& dims) {
  std::string text = "[";
  for (std::size_t i = 0; i < dims.size(); ++i) text += (i ? ", " : "") + std::to_string(dims[i]);
  return text + "]";
}

std::string sanitize(const std::string& name) {
  std::string out;
  for (char c : name) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    out += ok ? c : '_';
  }
  const auto first = out.find_first_not_of("_.");
  return first == std::string::npos ? "" : out.substr(first);
}

class Importer {
 public:
  Importer(const std::string& file, const OnnxImportOptions& options) : file_(file), options_(options) {}

  OnnxImport run() {
    load();
    const onnx::GraphProto& graph = model_.graph();
    for (const auto& tensor : graph.initializer()) consts_[tensor.name()] = read_tensor(tensor, "initializer '" + tensor.name() + "'");
    for (int i = 0; i < graph.node_size(); ++i) {
      const onnx::NodeProto& n = graph.node(i);
      const auto& type = n.op_type();
      if (type == "QuantizeLinear" || type == "DequantizeLinear") result_.kind = OnnxImport::Kind::qdq;
      if (type == "QLinearConv" || type == "QLinearMatMul") qlinear_ = true;
      // Readers are counted per underlying tensor: an alias node (the same values under another
      // name or shape) is no reader itself, the readers of its output are.
      const bool alias = is_alias(type) && n.input_size() > 0 && n.output_size() > 0;
      for (int k = alias ? 1 : 0; k < n.input_size(); ++k) ++readers_[alias_root(n.input(k))];
      if (alias && !n.output(0).empty()) alias_of_[n.output(0)] = alias_root(n.input(0));
      for (const auto& output : n.output()) producers_.emplace(output, i);
    }
    if (qlinear_) result_.kind = OnnxImport::Kind::qlinear;
    for (const auto& output : graph.output()) ++readers_[alias_root(output.name())];
    read_input(graph);
    for (int i = 0; i < graph.node_size(); ++i) {
      node_index_ = i;
      convert(graph.node(i));
    }
    finish(graph);
    return std::move(result_);
  }

 private:
  // ---- errors -------------------------------------------------------------------------------
  [[noreturn]] void fail_model(const std::string& message) const { throw InputError({file_, 0, 0}, "", message); }
  [[noreturn]] void fail(const std::string& message) const {
    const onnx::NodeProto& node = model_.graph().node(node_index_);
    throw InputError({file_, 0, 0}, "node " + std::to_string(node_index_) + " '" + node.name() + "' (" + node.op_type() + ")",
                     message);
  }

  void load() {
    std::ifstream in(file_, std::ios::binary);
    if (!in) throw InputError({file_, 0, 0}, "", "cannot open file");
    if (!model_.ParseFromIstream(&in)) fail_model("not an ONNX model (the protobuf does not parse)");
    if (!model_.has_graph() || model_.graph().node_size() == 0) fail_model("the model has no graph nodes");
    for (const auto& opset : model_.opset_import()) {
      if (opset.domain().empty() || opset.domain() == "ai.onnx") opset_ = opset.version();
    }
  }

  // Every constant passes here: its dims are checked (no negative dims, at most
  // kMaxElements elements) and its data must hold exactly that many values before anything is
  // allocated, so the rest of the importer can index constants by their dims.
  Constant read_tensor(const onnx::TensorProto& tensor, const std::string& what) const {
    Constant c;
    c.type = tensor.data_type();
    c.dims.assign(tensor.dims().begin(), tensor.dims().end());
    std::int64_t n = 1;
    for (auto d : c.dims) {
      if (d < 0) fail_model(what + " has a negative dimension in its shape " + shape_text(c.dims));
      n = d == 0 || n == 0 ? 0 : (d > kMaxElements || n > kMaxElements / d ? kMaxElements + 1 : n * d);
    }
    if (n > kMaxElements) {
      fail_model(what + " of shape " + shape_text(c.dims) + " has more than " + std::to_string(kMaxElements) +
                 " elements (supported: at most that many)");
    }
    if (tensor.data_location() == onnx::TensorProto::EXTERNAL) {
      fail_model(what + " keeps its data in an external file (supported: data inside the model)");
    }
    const std::string& raw = tensor.raw_data();
    // The values are in raw_data (`size` bytes each) or in the typed field holding `typed`.
    auto check_count = [&](std::size_t size, int typed) {
      const auto have = static_cast<std::int64_t>(raw.empty() ? static_cast<std::size_t>(typed) : raw.size() / size);
      if (have != n || (!raw.empty() && raw.size() % size != 0)) {
        fail_model(what + " holds " + (raw.empty() ? std::to_string(have) + " values" : std::to_string(raw.size()) + " bytes of raw_data") +
                   " for shape " + shape_text(c.dims) + " (" + std::to_string(n) + " values" +
                   (raw.empty() ? "" : " of " + std::to_string(size) + " bytes") + ")");
      }
    };
    const auto count = static_cast<std::size_t>(n);
    switch (c.type) {
      case onnx::TensorProto::FLOAT:
        check_count(4, tensor.float_data_size());
        c.values.resize(count);
        for (std::size_t i = 0; i < count; ++i) {
          float v;
          if (raw.empty()) v = tensor.float_data(static_cast<int>(i));
          else std::memcpy(&v, raw.data() + 4 * i, 4);
          c.values[i] = v;
        }
        break;
      case onnx::TensorProto::INT8:
      case onnx::TensorProto::UINT8: {
        check_count(1, tensor.int32_data_size());
        const bool is_signed = c.type == onnx::TensorProto::INT8;
        c.values.resize(count);
        for (std::size_t i = 0; i < count; ++i) {
          if (raw.empty()) {
            const std::int32_t v = tensor.int32_data(static_cast<int>(i));  // int8/uint8 stored widened
            if (is_signed ? (v < -128 || v > 127) : (v < 0 || v > 255)) {
              fail_model(what + " (" + (is_signed ? "int8" : "uint8") + ") holds " + std::to_string(v) + " at element " +
                         std::to_string(i) + ", outside its type");
            }
            c.values[i] = v;
          } else {
            const auto byte = static_cast<unsigned char>(raw[i]);
            c.values[i] = is_signed ? static_cast<std::int8_t>(byte) : byte;
          }
        }
        break;
      }
      case onnx::TensorProto::INT32:
        check_count(4, tensor.int32_data_size());
        c.values.resize(count);
        for (std::size_t i = 0; i < count; ++i) {
          std::int32_t v;
          if (raw.empty()) v = tensor.int32_data(static_cast<int>(i));
          else std::memcpy(&v, raw.data() + 4 * i, 4);
          c.values[i] = v;
        }
        break;
      case onnx::TensorProto::INT64:
        check_count(8, tensor.int64_data_size());
        c.values.resize(count);
        for (std::size_t i = 0; i < count; ++i) {
          std::int64_t v;
          if (raw.empty()) v = tensor.int64_data(static_cast<int>(i));
          else std::memcpy(&v, raw.data() + 8 * i, 8);
          c.values[i] = static_cast<double>(v);
        }
        break;
      default:
        fail_model(what + " has data type " + std::to_string(c.type) +
                   " (supported: float32 (1), uint8 (2), int8 (3), int32 (6), int64 (7))");
    }
    return c;
  }

  // ---- graph input/output ---------------------------------------------------------------------
  void read_input(const onnx::GraphProto& graph) {
    std::vector<const onnx::ValueInfoProto*> inputs;
    for (const auto& input : graph.input()) {
      if (!consts_.count(input.name())) inputs.push_back(&input);
    }
    if (inputs.size() != 1) fail_model("the graph has " + std::to_string(inputs.size()) + " inputs (supported: exactly one image input)");
    const onnx::ValueInfoProto& input = *inputs.front();
    const auto& type = input.type();
    if (!type.has_tensor_type() || type.tensor_type().elem_type() != onnx::TensorProto::FLOAT) {
      fail_model("graph input '" + input.name() + "' is not a float32 tensor (supported: float32 [1, C, H, W])");
    }
    const auto& shape = type.tensor_type().shape();
    std::vector<std::int64_t> dims;
    for (const auto& dim : shape.dim()) dims.push_back(dim.has_dim_value() ? dim.dim_value() : -1);
    bool ok = dims.size() == 4 && (dims[0] == 1 || dims[0] == -1);
    for (std::size_t i = 1; ok && i < 4; ++i) ok = dims[i] >= 1 && dims[i] <= kMaxDimension;
    if (!ok) {
      fail_model("graph input '" + input.name() + "' has shape " + shape_text(dims) + " (supported: [1, C, H, W] with known C, H, W of 1.." +
                 std::to_string(kMaxDimension) + "; -1 here is a symbolic dimension)");
    }
    if (dims[1] * dims[2] * dims[3] > kMaxElements) {
      fail_model("graph input '" + input.name() + "' of shape " + shape_text(dims) + " has more than " + std::to_string(kMaxElements) +
                 " elements (supported: at most that many)");
    }
    network().input = {static_cast<int>(dims[2]), static_cast<int>(dims[3]), static_cast<int>(dims[1])};
    network().name = sanitize(graph.name());
    if (network().name.empty()) network().name = sanitize(std::filesystem::path(file_).stem().string());
    if (network().name.empty()) network().name = "onnx_model";
    values_[input.name()] = Value{};
  }

  void finish(const onnx::GraphProto& graph) {
    if (graph.output_size() != 1) fail_model("the graph has " + std::to_string(graph.output_size()) + " outputs (supported: one)");
    const std::string& name = graph.output(0).name();
    auto found = values_.find(name);
    if (found == values_.end()) fail_model("graph output '" + name + "' is not produced by a supported node");
    const Value& out = found->second;
    Network& net = network();
    if (net.layers.empty()) fail_model("the graph has no compute nodes (supported: " + std::string(kSupportedOps) + ")");
    if (out.layer != static_cast<int>(net.layers.size()) - 1) {
      fail_model("graph output '" + name + "' is not the output of the last compute node (tandem networks end in their last layer)");
    }
    resolve_deferred_inputs();
    if (result_.kind != OnnxImport::Kind::float_model) {
      for (std::size_t i = 0; i < net.layers.size(); ++i) {
        if (!output_quant_set_[i]) {
          fail_model("node '" + layer_node_[i] + "': its output has no QuantizeLinear (in a quantized model every "
                     "compute node's output must be quantized)");
        }
      }
    }
    net.num_classes = net.layers.back().output.channels;
    if (result_.kind == OnnxImport::Kind::float_model) {
      if (options_.quantize) calibrate();
    }
    if (auto problem = net.validate()) fail_model(*problem);
  }

  // QDQ standalone activations on a layer's real output (convert_activation): they read the
  // int8 values that output is quantized to, and must keep that quantization.
  void resolve_deferred_inputs() {
    for (const DeferredInput& d : deferred_inputs_) {
      node_index_ = d.node;
      const std::size_t producer = static_cast<std::size_t>(d.producer);
      const std::string producer_text = "node '" + layer_node_[producer] + "'";
      if (!output_quant_set_[producer]) {
        fail("reads the real output of " + producer_text + ", which is not fused with it (other nodes read it, or it has an "
             "activation already) and has no QuantizeLinear (supported: a standalone Relu/Clip reads a quantized tensor: the "
             "DequantizeLinear of that output, or its real output where a QuantizeLinear quantizes it too)");
      }
      const LayerQuant& from = *layer_at(d.producer).quant;
      LayerQuant& quant = *layer_at(d.layer).quant;
      quant.input_scales = {from.output_scale};
      quant.input_zero_points = {from.output_zero_point};
      if (output_quant_set_[static_cast<std::size_t>(d.layer)] &&
          !(QuantParams{quant.output_scale, quant.output_zero_point} == QuantParams{from.output_scale, from.output_zero_point})) {
        fail("its output is quantized with scale " + shortest(quant.output_scale) + ", zero point " +
             std::to_string(quant.output_zero_point) + " (int8), the real output of " + producer_text + " it reads with scale " +
             shortest(from.output_scale) + ", zero point " + std::to_string(from.output_zero_point) +
             " (it is not fused: other nodes read that output too; supported: the same scale and zero point, as tandem's "
             "activation layer does not requantize)");
      }
    }
  }
  bool deferred_input(int layer) const {
    return std::any_of(deferred_inputs_.begin(), deferred_inputs_.end(), [&](const DeferredInput& d) { return d.layer == layer; });
  }

  void calibrate() {
    Network& net = network();
    // The float forward pass holds every layer's output at once.
    std::int64_t activations = net.input.elements();
    for (const Layer& layer : net.layers) activations += layer.output.elements();
    if (activations > kMaxElements) {
      fail_model("calibration holds the float outputs of every layer at once, " + std::to_string(activations) +
                 " values (supported: at most " + std::to_string(kMaxElements) + "; import without quantization "
                 "(--no-quantize) for the structure only)");
    }
    std::vector<FloatTensor> samples;
    if (options_.calibration_files.empty()) {
      std::mt19937_64 random(options_.seed);
      std::normal_distribution<float> normal(0.0f, 1.0f);
      for (int s = 0; s < options_.random_samples; ++s) {
        FloatTensor t{net.input, std::vector<float>(static_cast<std::size_t>(net.input.elements()))};
        for (float& v : t.data) v = normal(random);
        samples.push_back(std::move(t));
      }
      result_.warnings.push_back(file_ + ": calibrated activation ranges on " + std::to_string(options_.random_samples) +
                                 " seeded random standard-normal inputs (seed " + std::to_string(options_.seed) +
                                 "); give --calibration FILE.npy with real inputs for a useful quantization");
    } else {
      for (const auto& path : options_.calibration_files) read_calibration(path, samples);
    }
    try {
      onnx_detail::quantize_with_calibration(net, float_weights_, samples);
    } catch (const std::domain_error& e) {
      fail_model(std::string("calibration: ") + e.what());
    }
  }

  // A float32 .npy (npy::read) of [N, C, H, W] or [C, H, W], appended as N HWC tensors.
  void read_calibration(const std::string& path, std::vector<FloatTensor>& samples) const {
    const npy::Array array = npy::read(path);
    auto bad = [&](const std::string& why) { throw InputError({path, 0, 0}, "", why); };
    if (array.dtype != "f4") bad("calibration inputs must be float32 ('<f4') arrays, the file has dtype '" + array.dtype + "'");
    std::vector<std::int64_t> shape = array.shape;
    const TensorShape in = network().input;
    if (shape.size() == 3) shape.insert(shape.begin(), 1);
    if (shape.size() != 4 || shape[1] != in.channels || shape[2] != in.height || shape[3] != in.width) {
      bad("calibration array has shape " + shape_text(array.shape) + "; the model takes [N, " + std::to_string(in.channels) +
          ", " + std::to_string(in.height) + ", " + std::to_string(in.width) + "] (or [C, H, W])");
    }
    if (shape[0] == 0) bad("calibration array has shape " + shape_text(array.shape) + ": no samples");
    for (std::size_t i = 0; i < array.floats.size(); ++i) {
      if (!std::isfinite(array.floats[i])) {
        bad("calibration value " + std::to_string(i) + " is " + shortest(array.floats[i]) + " (supported: finite numbers)");
      }
    }
    const auto C = static_cast<std::size_t>(in.channels), H = static_cast<std::size_t>(in.height), W = static_cast<std::size_t>(in.width);
    const std::size_t per_sample = C * H * W;
    for (std::size_t n = 0; n < static_cast<std::size_t>(shape[0]); ++n) {
      FloatTensor t{in, std::vector<float>(per_sample)};
      for (std::size_t c = 0; c < C; ++c)
        for (std::size_t h = 0; h < H; ++h)
          for (std::size_t w = 0; w < W; ++w) t.data[(h * W + w) * C + c] = array.floats[n * per_sample + (c * H + h) * W + w];
      samples.push_back(std::move(t));
    }
  }

  // ---- node helpers ---------------------------------------------------------------------------
  Network& network() { return result_.network; }
  const Network& network() const { return result_.network; }
  const onnx::NodeProto& node() const { return model_.graph().node(node_index_); }
  bool qdq() const { return result_.kind != OnnxImport::Kind::float_model; }

  const onnx::AttributeProto* attribute(const std::string& name) const {
    for (const auto& a : node().attribute()) {
      if (a.name() == name) return &a;
    }
    return nullptr;
  }
  // The attribute `name` when present; fails when it has another type than `type` (models
  // without attribute types, IR < 2, are taken at their word).
  const onnx::AttributeProto* typed_attribute(const std::string& name, onnx::AttributeProto::AttributeType type,
                                              const char* type_name) const {
    const auto* a = attribute(name);
    if (a && a->type() != type && a->type() != onnx::AttributeProto::UNDEFINED) {
      fail("attribute '" + name + "' is of type " + onnx::AttributeProto::AttributeType_Name(a->type()) + " (valid: " + type_name + ")");
    }
    return a;
  }
  std::int64_t int_attribute(const std::string& name, std::int64_t fallback) const {
    const auto* a = typed_attribute(name, onnx::AttributeProto::INT, "an int");
    return a ? a->i() : fallback;
  }
  float float_attribute(const std::string& name, float fallback) const {
    const auto* a = typed_attribute(name, onnx::AttributeProto::FLOAT, "a float");
    return a ? a->f() : fallback;
  }
  std::vector<std::int64_t> ints_attribute(const std::string& name) const {
    const auto* a = typed_attribute(name, onnx::AttributeProto::INTS, "a list of ints");
    if (!a) return {};
    return {a->ints().begin(), a->ints().end()};
  }
  std::string string_attribute(const std::string& name, const std::string& fallback) const {
    const auto* a = typed_attribute(name, onnx::AttributeProto::STRING, "a string");
    return a ? a->s() : fallback;
  }
  // Fails for attributes outside `known`.
  void only_attributes(const std::set<std::string>& known) const {
    for (const auto& a : node().attribute()) {
      if (!known.count(a.name())) {
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
        fail("attribute '" + a.name() + "' is not supported (supported: " + (list.empty() ? "none" : list) + ")");
      }
    }
  }

  std::string input_name(int i) const { return i < node().input_size() ? node().input(i) : ""; }
  void need_inputs(int min, int max) const {
    int given = node().input_size();
    while (given > 0 && node().input(given - 1).empty()) --given;
    if (given < min || given > max) {
      fail("has " + std::to_string(given) + " inputs (expected " + std::to_string(min) +
           (max > min ? ".." + std::to_string(max) : "") + ")");
    }
    if (node().output_size() < 1) fail("has no output");
  }

  const Constant* constant(int i) const {
    auto found = consts_.find(input_name(i));
    return found == consts_.end() ? nullptr : &found->second;
  }
  const Constant& need_constant(int i, const std::string& what) const {
    const Constant* c = constant(i);
    if (!c) {
      const std::string& name = input_name(i);
      if (!values_.count(name) && !qconsts_.count(name)) undefined_input(i);
      fail(what + " (input " + std::to_string(i) + " '" + name + "') must be a constant initializer");
    }
    return *c;
  }
  // A constant of a float model's weights, bias or BatchNormalization: finite values only.
  const Constant& need_finite_constant(int i, const std::string& what) const {
    const Constant& c = need_constant(i, what);
    check_finite(c, what);
    return c;
  }
  void check_finite(const Constant& c, const std::string& what) const {
    for (std::size_t e = 0; e < c.values.size(); ++e) {
      if (!std::isfinite(c.values[e])) {
        fail(what + ": element " + std::to_string(e) + " is " + shortest(c.values[e]) + " (supported: finite numbers)");
      }
    }
  }
  const QuantConstant& need_quant_constant(int i, const std::string& what) const {
    auto found = qconsts_.find(input_name(i));
    if (found == qconsts_.end()) {
      fail(what + " (input " + std::to_string(i) + " '" + input_name(i) +
           "') must be a DequantizeLinear of a constant in a quantized (QDQ) model");
    }
    return found->second;
  }
  // Fails for input i, which names nothing defined before this node.
  [[noreturn]] void undefined_input(int i) const {
    const std::string& name = input_name(i);
    auto later = producers_.find(name);
    if (later != producers_.end() && later->second >= node_index_) {
      const onnx::NodeProto& producer = model_.graph().node(later->second);
      fail("input " + std::to_string(i) + " '" + name + "' is the output of node " + std::to_string(later->second) + " '" +
           producer.name() + "' (" + producer.op_type() + "), which does not come before it (supported: nodes in topological order, no cycles)");
    }
    fail("input " + std::to_string(i) + " '" + name + "' is not defined (no graph input, initializer or earlier node output has that name)");
  }
  Value& value(int i) {
    auto found = values_.find(input_name(i));
    if (found == values_.end()) {
      if (!consts_.count(input_name(i)) && !qconsts_.count(input_name(i))) undefined_input(i);
      fail("input " + std::to_string(i) + " '" + input_name(i) +
           "' is a constant (supported here: an activation tensor, the graph input or a node's output)");
    }
    return found->second;
  }
  // Identity, Dropout, Flatten and Reshape pass their input's values on unchanged.
  static bool is_alias(const std::string& op) {
    return op == "Identity" || op == "Dropout" || op == "Flatten" || op == "Reshape";
  }
  // The tensor whose values `name` holds: itself, or what the alias nodes producing it read.
  const std::string& alias_root(const std::string& name) const {
    auto found = alias_of_.find(name);
    return found == alias_of_.end() ? name : found->second;
  }
  // Whether the values of `tensor` (the real output of a layer, possibly under an alias name)
  // have exactly one reader: one node (aliases followed) and not also a graph output. Only
  // then may that reader be fused into the producing layer.
  bool single_consumer(const std::string& tensor) const {
    auto found = readers_.find(alias_root(tensor));
    return found != readers_.end() && found->second == 1;
  }
  void set_output(const Value& v) { values_[node().output(0)] = v; }

  // An activation input of a compute node: in a QDQ model a DequantizeLinear.
  Value activation_input(int i, const char* what) {
    Value v = value(i);
    if (qdq() && (v.int8 || !v.quant || v.pending)) {
      fail(std::string(what) + " (input " + std::to_string(i) + " '" + input_name(i) +
           "') must come from a DequantizeLinear in a quantized (QDQ) model");
    }
    if (!qdq() && v.int8) fail(std::string(what) + " is an integer tensor");
    return v;
  }
  TensorShape shape_of(const Value& v) const {
    return v.layer < 0 ? network().input : network().layers[static_cast<std::size_t>(v.layer)].output;
  }

  // Adds a layer fed by `inputs`; returns its index. Infers its shape or fails with the reason.
  int add_layer(Layer layer, const std::vector<Value>& inputs) {
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
  Layer& layer_at(int index) { return network().layers[static_cast<std::size_t>(index)]; }

  // ---- window attributes ----------------------------------------------------------------------
  // kernel_shape/strides/pads/auto_pad/dilations of Conv and pooling, checked and mapped onto
  // tandem padding (same or valid when the pads are exactly those, else explicit).
  void window_attributes(Layer& layer, const TensorShape& in, int kernel_h, int kernel_w) {
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

  // ---- quantization helpers -------------------------------------------------------------------
  // Scale and zero point inputs of QuantizeLinear/DequantizeLinear/QLinear* as int8 parameters.
  QuantParams tensor_params(int scale_input, int zp_input, const std::string& what) const {
    const Constant& scale = need_constant(scale_input, what + " scale");
    if (scale.type != onnx::TensorProto::FLOAT) fail(what + " scale must be float32");
    if (scale.values.size() != 1) fail(what + " scale must be one value (per-tensor) for activations, got shape " + shape_text(scale.dims));
    if (!(scale.values[0] > 0) || !std::isfinite(scale.values[0])) {
      fail(what + " scale is " + shortest(scale.values[0]) + " (valid: a positive finite number)");
    }
    QuantParams p;
    p.scale = static_cast<float>(scale.values[0]);
    int type = onnx::TensorProto::UINT8;  // the ONNX default when the zero point is absent
    double zp = 0;
    if (!input_name(zp_input).empty()) {
      const Constant& z = need_constant(zp_input, what + " zero point");
      if (z.values.size() != 1) fail(what + " zero point must be one value");
      type = z.type;
      zp = z.values[0];
    }
    if (type == onnx::TensorProto::UINT8) zp -= 128;
    else if (type != onnx::TensorProto::INT8) fail(what + " zero point must be int8 or uint8");
    p.zero_point = static_cast<std::int32_t>(zp);
    return p;
  }

  // int8 weights (uint8 with zero point 128 shifted to int8) with one scale per output
  // channel; `channel_axis` is the output-channel axis of the constant.
  void quantized_weights(const QuantConstant& q, int channel_axis, int channels, std::vector<double>* values,
                         std::vector<float>* scales) const {
    if (q.data.type != onnx::TensorProto::INT8 && q.data.type != onnx::TensorProto::UINT8) {
      fail("weights must be int8 (or uint8 with zero point 128)");
    }
    const std::int64_t rank = static_cast<std::int64_t>(q.data.dims.size());
    const std::int64_t axis = q.axis < 0 ? q.axis + rank : q.axis;
    const auto per_channel = static_cast<std::size_t>(channels);
    if (q.scales.size() != 1 && q.scales.size() != per_channel) {
      fail("weights have " + std::to_string(q.scales.size()) + " scales for " + std::to_string(channels) +
           " output channels (supported: one, or one per output channel)");
    }
    if (q.zero_points.size() != 1 && q.zero_points.size() != q.scales.size()) {
      fail("weights have " + std::to_string(q.zero_points.size()) + " zero points for " + std::to_string(q.scales.size()) +
           " scales (supported: one, or one per scale)");
    }
    for (double scale : q.scales) {
      if (!(scale > 0) || !std::isfinite(scale)) fail("weight scale " + shortest(scale) + " is not valid (valid: positive finite numbers)");
    }
    if (q.scales.size() != 1 && axis != channel_axis) {
      fail("per-axis weight scales along axis " + std::to_string(q.axis) + " (supported: per-tensor, or per output channel along axis " +
           std::to_string(channel_axis) + ")");
    }
    const double expected_zp = q.data.type == onnx::TensorProto::UINT8 ? 128 : 0;
    for (double z : q.zero_points) {
      if (z != expected_zp) {
        fail("weight zero point " + std::to_string(static_cast<int>(z)) +
             " is not supported (supported: symmetric weights, zero point 0 for int8, 128 for uint8)");
      }
    }
    *values = q.data.values;
    for (double& v : *values) v -= expected_zp;
    scales->clear();
    for (int c = 0; c < channels; ++c) scales->push_back(static_cast<float>(q.scales.size() == 1 ? q.scales[0] : q.scales[static_cast<std::size_t>(c)]));
  }

  // int32 bias of a QDQ layer: zero point 0 and scale input_scale * weight_scale per channel.
  std::vector<std::int32_t> quantized_bias(int input, const LayerQuant& quant, int channels) const {
    std::vector<std::int32_t> bias(static_cast<std::size_t>(channels), 0);
    if (input_name(input).empty()) return bias;
    const QuantConstant& q = need_quant_constant(input, "the bias");
    if (q.data.type != onnx::TensorProto::INT32) fail("the bias must be int32 (DequantizeLinear of an int32 constant)");
    if (q.data.elements() != channels) fail("the bias has " + std::to_string(q.data.elements()) + " values for " + std::to_string(channels) + " channels");
    if (q.scales.size() != 1 && q.scales.size() != static_cast<std::size_t>(channels)) {
      fail("the bias has " + std::to_string(q.scales.size()) + " scales for " + std::to_string(channels) +
           " channels (supported: one, or one per channel)");
    }
    for (double z : q.zero_points) {
      if (z != 0) fail("the bias zero point must be 0");
    }
    for (int c = 0; c < channels; ++c) {
      const double scale = q.scales.size() == 1 ? q.scales[0] : q.scales[static_cast<std::size_t>(c)];
      const double expected = static_cast<double>(quant.input_scales.front()) * quant.weight_scales[static_cast<std::size_t>(c)];
      if (std::fabs(scale - expected) > 1e-6 * expected) {
        fail("bias scale " + std::to_string(scale) + " of channel " + std::to_string(c) +
             " is not input scale x weight scale (" + std::to_string(expected) + "); tandem keeps the bias at that scale");
      }
      bias[static_cast<std::size_t>(c)] = static_cast<std::int32_t>(q.data.values[static_cast<std::size_t>(c)]);
    }
    return bias;
  }

  void finish_weighted_quant(LayerQuant& quant, std::vector<double> values, std::vector<float> scales,
                             std::vector<std::int32_t> bias) {
    quant.weights.clear();
    for (double v : values) {
      if (v < -128 || v > 127) fail("weight value " + std::to_string(static_cast<int>(v)) + " is outside int8");
      quant.weights.push_back(static_cast<std::int8_t>(v));
    }
    quant.weight_scales = std::move(scales);
    quant.bias = std::move(bias);
    derive_requantization(quant);
  }

  // ---- conversion -----------------------------------------------------------------------------
  void convert(const onnx::NodeProto& n) {
    const std::string& op = n.op_type();
    if (n.output_size() < 1 || n.output(0).empty()) fail("has no output (every node must name its first output)");
    if (!n.domain().empty() && n.domain() != "ai.onnx") {
      fail("operator domain '" + n.domain() + "' is not supported (supported: the default ONNX domain; operators " + kSupportedOps + ")");
    }
    if (op == "Constant") return convert_constant();
    if (op == "Identity" || op == "Dropout") return convert_identity();
    if (op == "QuantizeLinear") return convert_quantize();
    if (op == "DequantizeLinear") return convert_dequantize();
    if (op == "Conv") return convert_conv(false);
    if (op == "QLinearConv") return convert_conv(true);
    if (op == "Gemm" || op == "MatMul") return convert_gemm(false);
    if (op == "QLinearMatMul") return convert_gemm(true);
    if (op == "Add") return convert_add();
    if (op == "Relu" || op == "Clip") return convert_activation();
    if (op == "MaxPool" || op == "AveragePool") return convert_pool();
    if (op == "GlobalAveragePool") return convert_global_pool();
    if (op == "BatchNormalization") return convert_batch_norm();
    if (op == "Flatten" || op == "Reshape") return convert_flatten();
    fail("operator not supported (supported: " + std::string(kSupportedOps) + ")");
  }

  void convert_constant() {
    only_attributes({"value"});
    const auto* a = attribute("value");
    if (!a || !a->has_t()) fail("needs a tensor 'value' attribute (supported: tensor constants)");
    consts_[node().output(0)] = read_tensor(a->t(), "Constant '" + node().name() + "'");
  }

  void convert_identity() {
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

  void convert_quantize() {
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

  void convert_dequantize() {
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

  void convert_conv(bool qlinear) {
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
    std::vector<std::int64_t> w_dims;
    const QuantConstant* wq = nullptr;
    QuantConstant qlinear_w;
    if (qlinear) {
      qlinear_w.data = need_constant(3, "the weights");
      qlinear_w.scales = need_constant(4, "the weight scale").values;
      qlinear_w.zero_points = need_constant(5, "the weight zero point").values;
      qlinear_w.axis = 0;
      if (qlinear_w.zero_points.size() == 1 && qlinear_w.scales.size() > 1) qlinear_w.zero_points.assign(qlinear_w.scales.size(), qlinear_w.zero_points[0]);
      wq = &qlinear_w;
      w_dims = qlinear_w.data.dims;
    } else if (qdq()) {
      wq = &need_quant_constant(w_index, "the weights");
      w_dims = wq->data.dims;
    } else {
      w_dims = need_constant(w_index, "the weights").dims;
    }
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

  // The output value of a new layer; QLinear nodes give their int8 output directly.
  void produce(int index, bool qlinear, std::optional<QuantParams> output, bool flat = false) {
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

  void convert_gemm(bool qlinear) {
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
    const QuantConstant* bq = nullptr;
    QuantConstant qlinear_b;
    std::vector<std::int64_t> b_dims;
    if (qlinear) {
      qlinear_b.data = need_constant(3, "B");
      qlinear_b.scales = need_constant(4, "the B scale").values;
      qlinear_b.zero_points = need_constant(5, "the B zero point").values;
      qlinear_b.axis = 1;
      if (qlinear_b.zero_points.size() == 1 && qlinear_b.scales.size() > 1) qlinear_b.zero_points.assign(qlinear_b.scales.size(), qlinear_b.zero_points[0]);
      bq = &qlinear_b;
      b_dims = qlinear_b.data.dims;
    } else if (qdq()) {
      bq = &need_quant_constant(b_index, "B");
      b_dims = bq->data.dims;
    } else {
      b_dims = need_constant(b_index, "B").dims;
    }
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

  void convert_add() {
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
  void check_bias_shape(const std::vector<std::int64_t>& dims, int k, const Value& v) const {
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

  void convert_activation() {
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

  void convert_pool() {
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

  void convert_global_pool() {
    need_inputs(1, 1);
    only_attributes({});
    Value x = activation_input(0, "the input");
    if (x.flat) fail("the input is flattened (supported: a [1, C, H, W] tensor)");
    Layer layer;
    layer.kind = LayerKind::global_avg_pool;
    const int index = add_layer(layer, {x});
    produce(index, false, std::nullopt);
  }

  void convert_batch_norm() {
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

  void convert_flatten() {
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

  std::string file_;
  OnnxImportOptions options_;
  onnx::ModelProto model_;
  std::int64_t opset_ = 13;
  bool qlinear_ = false;
  int node_index_ = 0;
  std::map<std::string, Constant> consts_;
  std::map<std::string, QuantConstant> qconsts_;
  std::map<std::string, Value> values_;
  std::map<std::string, int> readers_;               // per alias root: its reading nodes and graph outputs
  std::map<std::string, std::string> alias_of_;      // alias node output -> its alias root
  std::map<std::string, int> producers_;  // the first node naming each output
  std::set<std::string> used_names_;
  std::vector<FloatWeights> float_weights_;
  std::vector<bool> output_quant_set_;
  std::vector<std::string> layer_node_;
  struct DeferredInput {
    int layer, producer, node;  // the activation layer, the layer it reads, its node index
  };
  std::vector<DeferredInput> deferred_inputs_;
  OnnxImport result_;
};

}  // namespace

OnnxImport import_onnx(const std::string& file, const OnnxImportOptions& options) {
  GOOGLE_PROTOBUF_VERIFY_VERSION;
  OnnxImport result = Importer(file, options).run();
  return result;
}

Network load_onnx_network(const std::string& file) {
  OnnxImport result = import_onnx(file);
  for (const auto& warning : result.warnings) std::cerr << "tandem: warning: " << warning << "\n";
  return std::move(result.network);
}

}  // namespace tandem
