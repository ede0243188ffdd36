// Internal to the ONNX importer (onnx.h): the Importer class and what it reads a graph into.
// One class, its member functions defined by job in
//   onnx_import.cpp               the entry points and the graph walk: reader/alias counting,
//                                 errors, graph input/output, QDQ deferred inputs, calibration
//                                 hook, aliases and consumers, the per-operator dispatch
//   onnx_tensors.cpp              constants: TensorProto reading, constant inputs, scales and
//                                 zero points, int8 weights and int32 biases of a layer
//   onnx_nodes.cpp                what every converter asks of its node: attributes, input
//                                 counts and values, adding a layer and its output, windows
//   onnx_convert_conv.cpp         the weighted operators: Conv/QLinearConv, Gemm/MatMul/
//                                 QLinearMatMul, with their weight reordering and bias
//   onnx_convert_elementwise.cpp  the rest: Constant, Identity/Dropout, Quantize/Dequantize-
//                                 Linear, Add (and bias Adds), Relu/Clip, pools,
//                                 BatchNormalization, Flatten/Reshape
// Split by what the code reads (a tensor, a node, the graph) rather than one file per operator:
// the converters share nearly all their helpers, and one file per group keeps each readable.
// It is a header of its own, not onnx_internal.h, so that calibration compiles without ONNX.
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "models/float_reference.h"
#include "models/network.h"
#include "models/onnx.h"

namespace tandem::onnx_detail {

// The most elements of one tensor, constant or activation (1 GiB of float32): more is a
// located error, not a std::bad_alloc.
constexpr std::int64_t kMaxElements = std::int64_t{1} << 28;

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

// Text for messages and names (onnx_import.cpp).
std::string shortest(double value);
std::string shape_text(const std::vector<std::int64_t>& dims);
std::string sanitize(const std::string& name);

class Importer {
 public:
  Importer(const std::string& file, const OnnxImportOptions& options) : file_(file), options_(options) {}

  OnnxImport run();

 private:
  // ---- errors, graph input/output, calibration (onnx_import.cpp) ------------------------------
  [[noreturn]] void fail_model(const std::string& message) const;
  [[noreturn]] void fail(const std::string& message) const;
  void load();
  void read_input(const onnx::GraphProto& graph);
  void finish(const onnx::GraphProto& graph);
  void resolve_deferred_inputs();
  bool deferred_input(int layer) const;
  void calibrate();
  void read_calibration(const std::string& path, std::vector<FloatTensor>& samples) const;

  // ---- aliases and consumers (onnx_import.cpp) ------------------------------------------------
  static bool is_alias(const std::string& op);
  const std::string& alias_root(const std::string& name) const;
  bool single_consumer(const std::string& tensor) const;

  // ---- constants and quantization helpers (onnx_tensors.cpp) ----------------------------------
  Constant read_tensor(const onnx::TensorProto& tensor, const std::string& what) const;
  const Constant* constant(int i) const;
  const Constant& need_constant(int i, const std::string& what) const;
  const Constant& need_finite_constant(int i, const std::string& what) const;
  void check_finite(const Constant& c, const std::string& what) const;
  const QuantConstant& need_quant_constant(int i, const std::string& what) const;
  // The weight operand of Conv/Gemm/MatMul (input 1) or QLinearConv/QLinearMatMul (inputs 3-5,
  // per-channel along `qlinear_axis`): its dims, and its quantization in a QDQ or QLinear model.
  // `name` names the data in errors, `prefix` its scale and zero point ("the weight scale").
  struct WeightOperand {
    std::vector<std::int64_t> dims;
    std::optional<QuantConstant> quant;
  };
  WeightOperand weight_operand(bool qlinear, int qlinear_axis, const std::string& name,
                               const std::string& prefix) const;
  QuantParams tensor_params(int scale_input, int zp_input, const std::string& what) const;
  void quantized_weights(const QuantConstant& q, int channel_axis, int channels, std::vector<double>* values,
                         std::vector<float>* scales) const;
  std::vector<std::int32_t> quantized_bias(int input, const LayerQuant& quant, int channels) const;
  void finish_weighted_quant(LayerQuant& quant, std::vector<double> values, std::vector<float> scales,
                             std::vector<std::int32_t> bias);

  // ---- node helpers (onnx_nodes.cpp) ----------------------------------------------------------
  Network& network() { return result_.network; }
  const Network& network() const { return result_.network; }
  const onnx::NodeProto& node() const { return model_.graph().node(node_index_); }
  bool qdq() const { return result_.kind != OnnxImport::Kind::float_model; }

  const onnx::AttributeProto* attribute(const std::string& name) const;
  const onnx::AttributeProto* typed_attribute(const std::string& name, onnx::AttributeProto::AttributeType type,
                                              const char* type_name) const;
  std::int64_t int_attribute(const std::string& name, std::int64_t fallback) const;
  float float_attribute(const std::string& name, float fallback) const;
  std::vector<std::int64_t> ints_attribute(const std::string& name) const;
  std::string string_attribute(const std::string& name, const std::string& fallback) const;
  void only_attributes(const std::set<std::string>& known) const;

  std::string input_name(int i) const { return i < node().input_size() ? node().input(i) : ""; }
  void need_inputs(int min, int max) const;
  [[noreturn]] void undefined_input(int i) const;
  Value& value(int i);
  void set_output(const Value& v) { values_[node().output(0)] = v; }
  Value activation_input(int i, const char* what);
  TensorShape shape_of(const Value& v) const;

  int add_layer(Layer layer, const std::vector<Value>& inputs);
  Layer& layer_at(int index) { return network().layers[static_cast<std::size_t>(index)]; }
  void produce(int index, bool qlinear, std::optional<QuantParams> output, bool flat = false);

  // ---- window attributes (onnx_nodes.cpp) -----------------------------------------------------
  void window_attributes(Layer& layer, const TensorShape& in, int kernel_h, int kernel_w);

  // ---- conversion: the dispatch (onnx_import.cpp) ---------------------------------------------
  void convert(const onnx::NodeProto& n);
  // ---- conversion: weighted operators (onnx_convert_conv.cpp) ---------------------------------
  void convert_conv(bool qlinear);
  void convert_gemm(bool qlinear);
  // ---- conversion: the other operators (onnx_convert_elementwise.cpp) -------------------------
  void convert_constant();
  void convert_identity();
  void convert_quantize();
  void convert_dequantize();
  void convert_add();
  void check_bias_shape(const std::vector<std::int64_t>& dims, int k, const Value& v) const;
  void convert_activation();
  void convert_pool();
  void convert_global_pool();
  void convert_batch_norm();
  void convert_flatten();

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

}  // namespace tandem::onnx_detail
