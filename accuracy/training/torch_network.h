// Internal: the torch module built from the Network IR. One parameter set per weighted layer,
// walked in the IR's layer order with TFLite padding, in two phases:
//   float: conv -> batch norm -> activation (batch norm on every conv2d and depthwise layer)
//   quantized: batch norm folded; fake-quant of weights (per-channel symmetric int8), biases
//     (int32 at input scale x weight scale) and every layer output (per-tensor int8 with zero
//     point from an EMA min/max observer), exactly what export_quantized writes.
#pragma once

#include <torch/torch.h>

#include <optional>
#include <vector>

#include "models/network.h"

namespace tandem {

// One weighted layer's tensors. conv and depthwise: weight [O, I/groups, kh, kw], bias and the
// batch norm's gamma, beta, running mean and variance [O]; fully connected: weight [O, H*W*C]
// and bias only.
struct LayerParameters {
  torch::Tensor weight, bias, bn_gamma, bn_beta, bn_mean, bn_var;
};

// Where a TorchNetwork takes its weighted layers' tensors from: fresh ones (stand-alone
// training), views into a supernet's shared tensors (training a sampled subnet puts the
// gradients there), or copies of those (an extracted subnet). Whole tensors become the
// network's own parameters and buffers; views stay the supernet's.
class LayerParameterSource {
 public:
  virtual ~LayerParameterSource() = default;
  // Called once per weighted layer (conv2d, depthwise_conv2d, fully_connected), in layer order.
  virtual LayerParameters parameters(const Network& network, std::size_t layer) const = 0;
};

class TorchNetwork : public torch::nn::Module {
 public:
  // Fresh parameters: Kaiming-normal conv weights, uniform fully connected weights, zero biases,
  // identity batch norm (drawn from torch's generator, in layer order).
  explicit TorchNetwork(const Network& network);
  TorchNetwork(const Network& network, const LayerParameterSource& source);

  // x: [N, C, H, W] real values (the dequantized int8 input); returns the logits [N, classes].
  torch::Tensor forward(const torch::Tensor& x);

  // Folds batch norm into the weights and biases, then switches to the quantized phase.
  void fold_batch_norm();
  bool quantized() const { return quantized_; }
  // In the quantized phase: whether observers update (training, calibration) and whether
  // activations are fake-quantized (off while calibrating the first observer values).
  void set_observing(bool observing) { observing_ = observing; }
  void set_fake_quant_activations(bool on) { fake_quant_activations_ = on; }
  // Float phase, training mode: the weight of each batch's statistics in the running ones
  // (default 0.1; 1/(k+1) for the k-th batch makes them the mean over the batches).
  void set_batch_norm_momentum(double momentum) { batch_norm_momentum_ = momentum; }

  // The parameters the current phase trains.
  std::vector<torch::Tensor> trainable() const;

  // The int8 network the quantized phase computes: weights, biases, scales, zero points, and
  // the derived multipliers and clamps.
  Network export_quantized() const;

 private:
  struct LayerState {
    torch::Tensor weight, bias;                     // conv [O, I/groups, kh, kw]; fc [O, H*W*C]
    torch::Tensor bn_gamma, bn_beta, bn_mean, bn_var;  // float phase only
    double observed_min = 0, observed_max = 0;
    bool observed = false;
  };
  torch::Tensor run_layer(std::size_t index, const std::vector<torch::Tensor>& inputs);
  torch::Tensor weighted(std::size_t index, const torch::Tensor& x);
  torch::Tensor observe_and_quantize(std::size_t index, const torch::Tensor& y);
  ActivationQuant tensor_quant(int producer) const;  // the quantization of a layer's output
  ActivationQuant output_quant(std::size_t index) const;

  Network network_;
  std::vector<LayerState> layers_;
  bool quantized_ = false;
  bool observing_ = false;
  bool fake_quant_activations_ = true;
  double batch_norm_momentum_ = 0.1;
};

// Per-channel symmetric int8 weights: scales max|w| / 127 along dim 0, and the integers.
struct QuantizedWeights {
  torch::Tensor scales;    // [O] float
  torch::Tensor integers;  // like w, float holding integers in [-127, 127]
};
QuantizedWeights quantize_weights(const torch::Tensor& weight);

}  // namespace tandem
