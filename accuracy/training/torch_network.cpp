#include "accuracy/training/torch_network.h"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "accuracy/accuracy.h"

namespace tandem {

namespace {

constexpr double kBatchNormEpsilon = 1e-5;
constexpr double kObserverUpdate = 0.05;  // EMA weight of each new batch's min/max
// The largest float below 2^31: the int32 clamp of a bias that cannot overflow the conversion.
constexpr double kBiasMax = 2147483520.0;

// The layer's padding (TFLite same/valid, or explicit amounts) applied to x.
torch::Tensor pad_like_tflite(const Layer& layer, const torch::Tensor& x, double value) {
  const WindowPads pads = window_pads(layer, layer.input_shapes.front());
  if (pads.top == 0 && pads.bottom == 0 && pads.left == 0 && pads.right == 0) return x;
  return torch::constant_pad_nd(x, {pads.left, pads.right, pads.top, pads.bottom}, value);
}

torch::Tensor activate(const Layer& layer, const torch::Tensor& y) {
  switch (layer.activation) {
    case Activation::none: return y;
    case Activation::relu: return torch::relu(y);
    case Activation::relu6: return torch::clamp(y, 0.0, 6.0);
  }
  return y;
}

// Per output channel view of a [O] tensor against a weight of `weight_dims` dimensions.
torch::Tensor per_channel(const torch::Tensor& values, std::int64_t weight_dims) {
  std::vector<std::int64_t> shape(static_cast<std::size_t>(weight_dims), 1);
  shape[0] = values.size(0);
  return values.view(shape);
}

// int32 bias integers at scale input_scale x weight_scale (float arithmetic, as the fake-quant).
torch::Tensor bias_integers(const torch::Tensor& bias, const torch::Tensor& weight_scales,
                            float input_scale) {
  return torch::round(bias.detach() / (weight_scales * input_scale)).clamp(-kBiasMax - 128, kBiasMax);
}

}  // namespace

QuantizedWeights quantize_weights(const torch::Tensor& weight) {
  const torch::Tensor w = weight.detach();
  QuantizedWeights q;
  q.scales = (std::get<0>(w.reshape({w.size(0), -1}).abs().max(1)) / 127.0).clamp_min(1e-8);
  q.integers = torch::round(w / per_channel(q.scales, w.dim())).clamp(-127, 127);
  return q;
}

namespace {

// The stand-alone trainer's initialization.
class FreshParameters : public LayerParameterSource {
 public:
  LayerParameters parameters(const Network& network, std::size_t index) const override {
    const Layer& layer = network.layers[index];
    const auto out = static_cast<std::int64_t>(layer_out_channels(layer));
    const TensorShape& in = layer.input_shapes.front();
    LayerParameters p;
    if (layer.kind == LayerKind::fully_connected) {
      const double bound = 1.0 / std::sqrt(static_cast<double>(in.elements()));
      p.weight = torch::empty({out, in.elements()}).uniform_(-bound, bound);
    } else {
      const std::int64_t in_per_group = layer.kind == LayerKind::conv2d ? in.channels : 1;
      p.weight = torch::empty({out, in_per_group, layer.kernel_h, layer.kernel_w});
      torch::nn::init::kaiming_normal_(p.weight, 0.0, torch::kFanIn, torch::kReLU);
      p.bn_gamma = torch::ones({out});
      p.bn_beta = torch::zeros({out});
      p.bn_mean = torch::zeros({out});
      p.bn_var = torch::ones({out});
    }
    p.bias = torch::zeros({out});
    return p;
  }
};

bool is_weighted(const Layer& layer) {
  return layer.kind == LayerKind::conv2d || layer.kind == LayerKind::depthwise_conv2d ||
         layer.kind == LayerKind::fully_connected;
}

}  // namespace

TorchNetwork::TorchNetwork(const Network& network) : TorchNetwork(network, FreshParameters()) {}

TorchNetwork::TorchNetwork(const Network& network, const LayerParameterSource& source) : network_(network) {
  if (auto problem = network_.validate()) {
    throw std::invalid_argument("network '" + network.name + "': " + *problem);
  }
  layers_.resize(network_.layers.size());
  for (std::size_t i = 0; i < network_.layers.size(); ++i) {
    if (!is_weighted(network_.layers[i])) continue;
    const LayerParameters p = source.parameters(network_, i);
    LayerState& state = layers_[i];
    const std::string id = "l" + std::to_string(i);
    // Whole tensors are this network's own; views (a supernet's slices) stay the supernet's.
    auto parameter = [&](const char* name, const torch::Tensor& t) {
      return t.defined() && !t.is_view() ? register_parameter(id + name, t) : t;
    };
    auto buffer = [&](const char* name, const torch::Tensor& t) {
      return t.defined() && !t.is_view() ? register_buffer(id + name, t) : t;
    };
    state.bn_gamma = parameter("_gamma", p.bn_gamma);
    state.bn_beta = parameter("_beta", p.bn_beta);
    state.bn_mean = buffer("_mean", p.bn_mean);
    state.bn_var = buffer("_var", p.bn_var);
    state.weight = parameter("_weight", p.weight);
    state.bias = parameter("_bias", p.bias);
  }
}

std::vector<torch::Tensor> TorchNetwork::trainable() const {
  std::vector<torch::Tensor> params;
  for (const LayerState& state : layers_) {
    for (const torch::Tensor* t : {&state.weight, &state.bias, &state.bn_gamma, &state.bn_beta}) {
      if (t->defined() && (!quantized_ || t == &state.weight || t == &state.bias)) params.push_back(*t);
    }
  }
  return params;
}

void TorchNetwork::fold_batch_norm() {
  torch::NoGradGuard no_grad;
  for (LayerState& state : layers_) {
    if (!state.bn_gamma.defined()) continue;
    const torch::Tensor inv = state.bn_gamma / torch::sqrt(state.bn_var + kBatchNormEpsilon);
    state.weight.mul_(per_channel(inv, state.weight.dim()));
    state.bias.sub_(state.bn_mean).mul_(inv).add_(state.bn_beta);
  }
  quantized_ = true;
}

ActivationQuant TorchNetwork::output_quant(std::size_t index) const {
  const Layer& layer = network_.layers[index];
  // Max pooling and a standalone activation only clamp: they keep their input's quantization.
  if (layer.kind == LayerKind::max_pool || layer.kind == LayerKind::activation) {
    return tensor_quant(layer.inputs.front());
  }
  const LayerState& state = layers_[index];
  if (!state.observed) {
    throw std::logic_error("layer '" + layer.name + "' has no observed output range yet");
  }
  return activation_quant_from_range(state.observed_min, state.observed_max);
}

ActivationQuant TorchNetwork::tensor_quant(int producer) const {
  if (producer < 0) return {kInputScale, kInputZeroPoint};
  return output_quant(static_cast<std::size_t>(producer));
}

torch::Tensor TorchNetwork::observe_and_quantize(std::size_t index, const torch::Tensor& y) {
  if (!quantized_) return y;
  LayerState& state = layers_[index];
  if (observing_) {
    const torch::Tensor detached = y.detach();
    const double lo = detached.min().item<double>();
    const double hi = detached.max().item<double>();
    if (!state.observed) {
      state.observed_min = lo;
      state.observed_max = hi;
      state.observed = true;
    } else {
      state.observed_min += kObserverUpdate * (lo - state.observed_min);
      state.observed_max += kObserverUpdate * (hi - state.observed_max);
    }
  }
  if (!fake_quant_activations_ || !state.observed) return y;
  const ActivationQuant q = output_quant(index);
  return torch::fake_quantize_per_tensor_affine(y, q.scale, q.zero_point, -128, 127);
}

torch::Tensor TorchNetwork::weighted(std::size_t index, const torch::Tensor& x) {
  const Layer& layer = network_.layers[index];
  LayerState& state = layers_[index];
  torch::Tensor w = state.weight;
  torch::Tensor b = state.bias;
  if (quantized_) {
    // Straight-through estimators: forward with the int8/int32 values, gradients as if float.
    const QuantizedWeights q = quantize_weights(w);
    w = w + (q.integers * per_channel(q.scales, w.dim()) - w).detach();
    const float input_scale = tensor_quant(layer.inputs.front()).scale;
    b = b + (bias_integers(b, q.scales, input_scale) * (q.scales * input_scale) - b).detach();
  }
  if (layer.kind == LayerKind::fully_connected) {
    // HWC flattening, the IR's order, so that the weights export as they are.
    const torch::Tensor flat = x.permute({0, 2, 3, 1}).flatten(1);
    return torch::linear(flat, w, b).view({x.size(0), -1, 1, 1});
  }
  const std::int64_t groups = layer.kind == LayerKind::depthwise_conv2d ? layer.output.channels : 1;
  const std::vector<std::int64_t> stride = {layer.stride_h, layer.stride_w};
  const std::vector<std::int64_t> no_padding = {0, 0}, dilation = {1, 1};
  torch::Tensor y = torch::conv2d(pad_like_tflite(layer, x, 0.0), w, b, stride, no_padding,
                                  dilation, groups);
  if (!quantized_) {
    y = torch::batch_norm(y, state.bn_gamma, state.bn_beta, state.bn_mean, state.bn_var,
                          is_training(), batch_norm_momentum_, kBatchNormEpsilon, false);
  }
  return y;
}

torch::Tensor TorchNetwork::run_layer(std::size_t index, const std::vector<torch::Tensor>& inputs) {
  const Layer& layer = network_.layers[index];
  const torch::Tensor& x = inputs.front();
  switch (layer.kind) {
    case LayerKind::conv2d:
    case LayerKind::depthwise_conv2d:
    case LayerKind::fully_connected:
      return observe_and_quantize(index, activate(layer, weighted(index, x)));
    case LayerKind::add:
      return observe_and_quantize(index, activate(layer, inputs[0] + inputs[1]));
    case LayerKind::max_pool: {
      // Padded taps never win (TFLite skips them); the output stays on the input's int8 grid.
      const torch::Tensor padded = pad_like_tflite(layer, x, -std::numeric_limits<double>::infinity());
      return activate(layer, torch::max_pool2d(padded, {layer.kernel_h, layer.kernel_w},
                                               {layer.stride_h, layer.stride_w}));
    }
    case LayerKind::avg_pool: {
      // Divide each window's sum by its own count of valid inputs, as the golden reference does.
      const std::vector<std::int64_t> kernel = {layer.kernel_h, layer.kernel_w};
      const std::vector<std::int64_t> stride = {layer.stride_h, layer.stride_w};
      const double area = static_cast<double>(layer.kernel_h * layer.kernel_w);
      const torch::Tensor sum = torch::avg_pool2d(pad_like_tflite(layer, x, 0.0), kernel, stride) * area;
      const torch::Tensor ones = torch::ones({1, 1, x.size(2), x.size(3)});
      const torch::Tensor count = torch::avg_pool2d(pad_like_tflite(layer, ones, 0.0), kernel, stride) * area;
      return observe_and_quantize(index, activate(layer, sum / count));
    }
    case LayerKind::global_avg_pool:
      return observe_and_quantize(index, activate(layer, x.mean({2, 3}, true)));
    case LayerKind::activation:
      return activate(layer, x);
  }
  throw std::logic_error("unknown layer kind");
}

torch::Tensor TorchNetwork::forward(const torch::Tensor& x) {
  std::vector<torch::Tensor> outputs;
  outputs.reserve(network_.layers.size());
  for (std::size_t i = 0; i < network_.layers.size(); ++i) {
    std::vector<torch::Tensor> inputs;
    for (int producer : network_.layers[i].inputs) {
      inputs.push_back(producer < 0 ? x : outputs[static_cast<std::size_t>(producer)]);
    }
    outputs.push_back(run_layer(i, inputs));
  }
  return outputs.back().flatten(1);
}

Network TorchNetwork::export_quantized() const {
  if (!quantized_) throw std::logic_error("export_quantized: fold batch norm and calibrate first");
  Network out = network_;
  for (std::size_t i = 0; i < out.layers.size(); ++i) {
    Layer& layer = out.layers[i];
    const LayerState& state = layers_[i];
    LayerQuant quant;
    for (int producer : layer.inputs) {
      const ActivationQuant in = tensor_quant(producer);
      quant.input_scales.push_back(in.scale);
      quant.input_zero_points.push_back(in.zero_point);
    }
    const ActivationQuant output = output_quant(i);
    quant.output_scale = output.scale;
    quant.output_zero_point = output.zero_point;
    if (state.weight.defined()) {
      const QuantizedWeights q = quantize_weights(state.weight);
      // To the IR's layouts: conv OHWI, depthwise HWC, fully connected [out][H*W*C] already.
      torch::Tensor integers = q.integers;
      if (layer.kind == LayerKind::conv2d) integers = integers.permute({0, 2, 3, 1});
      if (layer.kind == LayerKind::depthwise_conv2d) integers = integers.squeeze(1).permute({1, 2, 0});
      integers = integers.contiguous().to(torch::kInt8);
      quant.weights.assign(integers.data_ptr<std::int8_t>(), integers.data_ptr<std::int8_t>() + integers.numel());
      const torch::Tensor scales = q.scales.contiguous();
      quant.weight_scales.assign(scales.data_ptr<float>(), scales.data_ptr<float>() + scales.numel());
      const torch::Tensor bias =
          bias_integers(state.bias, q.scales, quant.input_scales.front()).to(torch::kInt32).contiguous();
      quant.bias.assign(bias.data_ptr<std::int32_t>(), bias.data_ptr<std::int32_t>() + bias.numel());
      derive_requantization(quant);
    }
    activation_range(layer.activation, quant.output_scale, quant.output_zero_point,
                     &quant.activation_min, &quant.activation_max);
    layer.quant = quant;
  }
  if (auto problem = out.validate()) {
    throw std::logic_error("exported network is not valid: " + *problem);
  }
  return out;
}

}  // namespace tandem
