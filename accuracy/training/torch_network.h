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

class TorchNetwork : public torch::nn::Module {
 public:
  explicit TorchNetwork(const Network& network);

  // x: [N, C, H, W] real values (the dequantized int8 input); returns the logits [N, classes].
  torch::Tensor forward(const torch::Tensor& x);

  // Folds batch norm into the weights and biases, then switches to the quantized phase.
  void fold_batch_norm();
  bool quantized() const { return quantized_; }
  // In the quantized phase: whether observers update (training, calibration) and whether
  // activations are fake-quantized (off while calibrating the first observer values).
  void set_observing(bool observing) { observing_ = observing; }
  void set_fake_quant_activations(bool on) { fake_quant_activations_ = on; }

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
};

// Per-channel symmetric int8 weights: scales max|w| / 127 along dim 0, and the integers.
struct QuantizedWeights {
  torch::Tensor scales;    // [O] float
  torch::Tensor integers;  // like w, float holding integers in [-127, 127]
};
QuantizedWeights quantize_weights(const torch::Tensor& weight);

}  // namespace tandem
