// ONNX import, constants (onnx_importer.h): TensorProtos read into Constants (every one checked
// before anything is allocated), a node's constant and DequantizeLinear-of-constant inputs, and
// the quantization they carry: activation scales and zero points, a layer's int8 weights and
// int32 bias.
#include <cmath>
#include <cstring>

#include "models/onnx_importer.h"

namespace tandem::onnx_detail {

// Every constant passes here: its dims are checked (no negative dims, at most
// kMaxElements elements) and its data must hold exactly that many values before anything is
// allocated, so the rest of the importer can index constants by their dims.
Constant Importer::read_tensor(const onnx::TensorProto& tensor, const std::string& what) const {
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
  // float32, int32, int64: little-endian values of their own size in raw_data, or the typed field.
  auto read_values = [&](auto sample, int typed, auto typed_at) {
    using T = decltype(sample);
    check_count(sizeof(T), typed);
    c.values.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
      T v;
      if (raw.empty()) v = typed_at(static_cast<int>(i));
      else std::memcpy(&v, raw.data() + sizeof(T) * i, sizeof(T));
      c.values[i] = static_cast<double>(v);
    }
  };
  switch (c.type) {
    case onnx::TensorProto::FLOAT:
      read_values(float{}, tensor.float_data_size(), [&](int i) { return tensor.float_data(i); });
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
      read_values(std::int32_t{}, tensor.int32_data_size(), [&](int i) { return tensor.int32_data(i); });
      break;
    case onnx::TensorProto::INT64:
      read_values(std::int64_t{}, tensor.int64_data_size(), [&](int i) { return tensor.int64_data(i); });
      break;
    default:
      fail_model(what + " has data type " + std::to_string(c.type) +
                 " (supported: float32 (1), uint8 (2), int8 (3), int32 (6), int64 (7))");
  }
  return c;
}

const Constant* Importer::constant(int i) const {
  auto found = consts_.find(input_name(i));
  return found == consts_.end() ? nullptr : &found->second;
}

const Constant& Importer::need_constant(int i, const std::string& what) const {
  const Constant* c = constant(i);
  if (!c) {
    const std::string& name = input_name(i);
    if (!values_.count(name) && !qconsts_.count(name)) undefined_input(i);
    fail(what + " (input " + std::to_string(i) + " '" + name + "') must be a constant initializer");
  }
  return *c;
}

// A constant of a float model's weights, bias or BatchNormalization: finite values only.
const Constant& Importer::need_finite_constant(int i, const std::string& what) const {
  const Constant& c = need_constant(i, what);
  check_finite(c, what);
  return c;
}

void Importer::check_finite(const Constant& c, const std::string& what) const {
  for (std::size_t e = 0; e < c.values.size(); ++e) {
    if (!std::isfinite(c.values[e])) {
      fail(what + ": element " + std::to_string(e) + " is " + shortest(c.values[e]) + " (supported: finite numbers)");
    }
  }
}

const QuantConstant& Importer::need_quant_constant(int i, const std::string& what) const {
  auto found = qconsts_.find(input_name(i));
  if (found == qconsts_.end()) {
    fail(what + " (input " + std::to_string(i) + " '" + input_name(i) +
         "') must be a DequantizeLinear of a constant in a quantized (QDQ) model");
  }
  return found->second;
}

Importer::WeightOperand Importer::weight_operand(bool qlinear, int qlinear_axis, const std::string& name,
                                                 const std::string& prefix) const {
  WeightOperand operand;
  if (qlinear) {
    QuantConstant q;
    q.data = need_constant(3, name);
    q.scales = need_constant(4, prefix + " scale").values;
    q.zero_points = need_constant(5, prefix + " zero point").values;
    q.axis = qlinear_axis;
    if (q.zero_points.size() == 1 && q.scales.size() > 1) q.zero_points.assign(q.scales.size(), q.zero_points[0]);
    operand.dims = q.data.dims;
    operand.quant = std::move(q);
  } else if (qdq()) {
    operand.quant = need_quant_constant(1, name);
    operand.dims = operand.quant->data.dims;
  } else {
    operand.dims = need_constant(1, name).dims;
  }
  return operand;
}

// ---- quantization helpers -----------------------------------------------------------------------
// Scale and zero point inputs of QuantizeLinear/DequantizeLinear/QLinear* as int8 parameters.
QuantParams Importer::tensor_params(int scale_input, int zp_input, const std::string& what) const {
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
void Importer::quantized_weights(const QuantConstant& q, int channel_axis, int channels, std::vector<double>* values,
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
std::vector<std::int32_t> Importer::quantized_bias(int input, const LayerQuant& quant, int channels) const {
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

void Importer::finish_weighted_quant(LayerQuant& quant, std::vector<double> values, std::vector<float> scales,
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

}  // namespace tandem::onnx_detail
