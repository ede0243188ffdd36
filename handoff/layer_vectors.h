// Test vectors for an exported package: one real layer of the chosen network, compiled for the
// configuration (compiler/compiler.h), with the output the golden reference (golden/golden.h) expects.
// The testbench replays the instruction stream against the DRAM image and checks the output
// region byte by byte, so the package proves itself without tandem.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/accelerator_config.h"
#include "core/program.h"
#include "models/network.h"

namespace tandem {

struct LayerVectors {
  std::string network;
  std::string layer;       // the layer the vectors exercise
  std::string layer_kind;
  Program program;         // instructions + DRAM image; outputs[0] is the checked region
  std::vector<std::uint8_t> expected;  // the bytes outputs[0] must hold after the run
};

// Quantizes `network` randomly (seeded) when it has no quantization, runs the golden reference
// on a seeded random input, and compiles `layer_name`, or when empty the first conv2d layer that
// this configuration can map. Throws std::invalid_argument for an unknown layer and
// std::runtime_error when no layer maps.
LayerVectors make_layer_vectors(Network network, const AcceleratorConfig& config,
                                const std::string& layer_name, std::uint64_t seed);

}  // namespace tandem
