// Internal to tandem_sim: a layer priced on its own, with seeded synthetic weights and inputs
// instead of the network's activations (SimulationOptions::synthetic_operands). Its cycles and
// counters then depend only on the layer's structure and the accelerator, so they are memoized
// for the process: a search prices thousands of networks that share most of their layers.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/metrics.h"
#include "golden/golden.h"
#include "models/network.h"

namespace tandem {

// What a layer's analytic figures depend on besides the accelerator: kind, shapes, window,
// padding, activation. Names and quantization are left out.
std::string layer_structure_key(const Layer& layer);

// The layer as a one-layer network of its own, randomly quantized from `seed`, and its input
// tensors (two for add), then `evaluate(network.layers[0], inputs)`; a result for the same
// (layer structure, accelerator key, seed) comes from the memo instead, renamed to this layer.
// `evaluate` fills cycles, counters, estimated and error; energy is the caller's.
LayerMetrics evaluate_synthetic_layer(
    const Layer& layer, const std::string& accelerator_key, std::uint64_t seed,
    const std::function<LayerMetrics(const Layer&, const std::vector<const Tensor8*>&)>& evaluate);

}  // namespace tandem
