// Deterministic random int8 quantization of a network, for tests and for running the golden
// reference, the compiler and the RTL before (or without) training. Not a trained model: the
// numbers are plausible (outputs spread over the int8 range), not meaningful.
#pragma once

#include <cstdint>

#include "models/network.h"

namespace tandem {

// Fills every layer's LayerQuant: int8 weights uniform in [-127, 127], int32 biases, weight
// scales ~ 1/(sqrt(fan_in) * 64) normalized by the input's spread, output scales propagated
// layer by layer from an estimate of each tensor's mean and spread (so that outputs neither
// saturate nor collapse to zero), zero points uniform in [-20, 20] (max pool and standalone
// activations keep their input's quantization), and the derived requantization and activation
// clamp. The same seed gives the same quantization on every standard library.
// `weights`: uniform draws from the seeded generator (the default, what tests and goldens rest
// on), or from a counter hash of the seed: the same distribution at a tenth of the cost, for
// synthetic operands that only the analytic model's zero-operand estimate reads.
enum class RandomWeights { generator, hashed };
void quantize_randomly(Network& net, std::uint64_t seed, RandomWeights weights = RandomWeights::generator);

// The matching input tensor is golden/golden.h's random_input (Tensor8 lives in golden/, which
// depends on models/, not the other way round).

}  // namespace tandem
