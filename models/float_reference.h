// A float forward pass of the network IR: what a network computes before quantization, for
// calibrating activation ranges (models/onnx_import.cpp quantizes imported float models with
// it). Plain loops; the same window geometry (padding) and weight layouts as the int8 golden
// reference and LayerQuant, in float32 with float accumulation.
#pragma once

#include <vector>

#include "models/network.h"

namespace tandem {

// The float weights of one layer in LayerQuant's layouts (conv2d OHWI, depthwise HWC, fully
// connected [out][H*W*C]) and one bias per output channel. Empty for layers without weights.
struct FloatWeights {
  std::vector<float> weights;
  std::vector<float> bias;
};

// A float tensor in HWC order, like Tensor8.
struct FloatTensor {
  TensorShape shape;
  std::vector<float> data;
};

// The output of every layer, in layer order. `weights` has one entry per layer. Average pools
// divide by the window's valid (non-padded) inputs, max pools skip padding; fused activations
// are applied. Throws std::invalid_argument when the sizes of `weights` or `input` do not fit.
std::vector<FloatTensor> float_forward(const Network& network, const std::vector<FloatWeights>& weights,
                                       const FloatTensor& input);

}  // namespace tandem
