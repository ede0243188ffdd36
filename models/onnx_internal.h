// Internal to the ONNX importer: post-training quantization of an imported float network.
#pragma once

#include <vector>

#include "models/float_reference.h"
#include "models/network.h"

namespace tandem::onnx_detail {

// Quantizes `network` in place: per-output-channel symmetric int8 weights (scale max|w| / 127),
// int32 biases at input_scale * weight_scale, activation (scale, zero point) from the min/max
// (widened to include 0) of each tensor over float_forward on `samples`; max pools and
// standalone activations keep their input's quantization, as the golden reference requires.
// Throws std::domain_error naming the layer when an activation range is not finite (or its
// width overflows float32).
void quantize_with_calibration(Network& network, const std::vector<FloatWeights>& weights,
                               const std::vector<FloatTensor>& samples);

}  // namespace tandem::onnx_detail
