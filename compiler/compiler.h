// The compiler: one layer of the network IR on one accelerator configuration -> a Program
// (instruction stream of docs/isa.md plus the DRAM image holding the layer's inputs, weights
// and requantization parameters). docs/compiler.md describes the mappings.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/accelerator_config.h"
#include "core/program.h"
#include "models/network.h"
#include "golden/golden.h"

namespace tandem {

// A layer that this accelerator cannot run, with the reason (e.g. a buffer smaller than the
// smallest tile). Never a wrong result instead.
class MappingError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Compiles `layer` with its input tensors (one, two for add) into a Program whose single output
// region receives the layer's int8 output. Throws MappingError or std::invalid_argument (no
// quantization parameters).
Program compile_layer(const Layer& layer, const std::vector<const Tensor8*>& inputs,
                      const AcceleratorConfig& config);

// Why `layer` does not map onto `config`, or nothing when it does. Runs only the lowering's
// planning (no Program is built), so it is cheap even where the Program would be huge.
std::optional<std::string> mapping_problem(const Layer& layer, const AcceleratorConfig& config);

// Whether the layer runs on the systolic array (convolutions, fully connected layers, and
// depthwise convolutions where the array beats the vector unit) rather than the vector unit.
bool runs_on_array(const Layer& layer, const AcceleratorConfig& config);

// The layer's output tensor from the bytes of the Program's output region.
Tensor8 decode_layer_output(const Layer& layer, const AcceleratorConfig& config,
                            const std::vector<std::uint8_t>& region);

}  // namespace tandem
