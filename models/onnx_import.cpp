// ONNX import (onnx.h): walks the graph in its (topological) node order and builds one tandem
// layer per compute node, fusing Relu/Clip, BatchNormalization and bias Adds into their
// producer, and mapping QuantizeLinear/DequantizeLinear onto the layers' quantization.
//
// This file: the entry points and the Importer's graph walk (run: readers counted per alias
// root, then each node converted in order), its errors, the graph input and output, the QDQ
// inputs resolved at the end, the calibration hook, aliases and consumers, and the dispatch to
// the convert_* functions (onnx_importer.h lists the other files).
#include <algorithm>
#include <cctype>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>

#include "core/input_error.h"
#include "models/npy.h"
#include "models/onnx.h"
#include "models/onnx_importer.h"
#include "models/onnx_internal.h"

namespace tandem::onnx_detail {

namespace {

// The most of one input dimension (H, W or C), as for networks written in YAML.
constexpr std::int64_t kMaxDimension = 65536;

const char* const kSupportedOps =
    "Conv, Gemm, MatMul, Add, Relu, Clip, MaxPool, AveragePool, GlobalAveragePool, BatchNormalization, "
    "Flatten, Reshape, Identity, Dropout, Constant, QuantizeLinear, DequantizeLinear, QLinearConv, "
    "QLinearMatMul";

}  // namespace

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

OnnxImport Importer::run() {
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

// ---- errors -------------------------------------------------------------------------------------
void Importer::fail_model(const std::string& message) const {
  throw InputError({file_, 0, 0}, "", message);
}

void Importer::fail(const std::string& message) const {
  const onnx::NodeProto& node = model_.graph().node(node_index_);
  throw InputError({file_, 0, 0}, "node " + std::to_string(node_index_) + " '" + node.name() + "' (" + node.op_type() + ")",
                   message);
}

void Importer::load() {
  std::ifstream in(file_, std::ios::binary);
  if (!in) throw InputError({file_, 0, 0}, "", "cannot open file");
  if (!model_.ParseFromIstream(&in)) fail_model("not an ONNX model (the protobuf does not parse)");
  if (!model_.has_graph() || model_.graph().node_size() == 0) fail_model("the model has no graph nodes");
  for (const auto& opset : model_.opset_import()) {
    if (opset.domain().empty() || opset.domain() == "ai.onnx") opset_ = opset.version();
  }
}

// ---- graph input/output -------------------------------------------------------------------------
void Importer::read_input(const onnx::GraphProto& graph) {
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

void Importer::finish(const onnx::GraphProto& graph) {
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
void Importer::resolve_deferred_inputs() {
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

bool Importer::deferred_input(int layer) const {
  return std::any_of(deferred_inputs_.begin(), deferred_inputs_.end(), [&](const DeferredInput& d) { return d.layer == layer; });
}

void Importer::calibrate() {
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
void Importer::read_calibration(const std::string& path, std::vector<FloatTensor>& samples) const {
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

// ---- aliases and consumers ----------------------------------------------------------------------
// Identity, Dropout, Flatten and Reshape pass their input's values on unchanged.
bool Importer::is_alias(const std::string& op) {
  return op == "Identity" || op == "Dropout" || op == "Flatten" || op == "Reshape";
}

// The tensor whose values `name` holds: itself, or what the alias nodes producing it read.
const std::string& Importer::alias_root(const std::string& name) const {
  auto found = alias_of_.find(name);
  return found == alias_of_.end() ? name : found->second;
}

// Whether the values of `tensor` (the real output of a layer, possibly under an alias name)
// have exactly one reader: one node (aliases followed) and not also a graph output. Only
// then may that reader be fused into the producing layer.
bool Importer::single_consumer(const std::string& tensor) const {
  auto found = readers_.find(alias_root(tensor));
  return found != readers_.end() && found->second == 1;
}

// ---- conversion ---------------------------------------------------------------------------------
void Importer::convert(const onnx::NodeProto& n) {
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

}  // namespace tandem::onnx_detail

namespace tandem {

OnnxImport import_onnx(const std::string& file, const OnnxImportOptions& options) {
  GOOGLE_PROTOBUF_VERIFY_VERSION;
  OnnxImport result = onnx_detail::Importer(file, options).run();
  return result;
}

Network load_onnx_network(const std::string& file) {
  OnnxImport result = import_onnx(file);
  for (const auto& warning : result.warnings) std::cerr << "tandem: warning: " << warning << "\n";
  return std::move(result.network);
}

}  // namespace tandem
