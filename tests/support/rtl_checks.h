// What the RTL suites that run whole networks share: the small accelerator whose simulator the
// test cache holds, evaluator "both", and the per-layer check (bit-exact, analytic == RTL).
#pragma once

#include <catch2/catch.hpp>

#include "compiler/compiler.h"
#include "models/network_builder.h"
#include "models/random_quantization.h"
#include "sim/network_simulation.h"

namespace tandem::test {

// 4x4 weight-stationary, 4 KiB buffers in 2 banks, 4 vector lanes: a simulator that builds in
// about a minute and is shared through TANDEM_COSIM_TEST_CACHE.
inline AcceleratorConfig small_rtl_accelerator() {
  AcceleratorConfig config;
  config.array = {4, 4, Dataflow::weight_stationary};
  config.buffers = {4, 4, 4, 2};
  config.vector.lanes = 4;
  return config;
}

// A mesh of x by y such cores (docs/mesh.md).
inline AcceleratorConfig small_mesh(int x, int y, Dataflow dataflow = Dataflow::weight_stationary) {
  AcceleratorConfig config = small_rtl_accelerator();
  config.array.dataflow = dataflow;
  config.mesh = {x, y};
  return config;
}

// A one-layer network (a 3x3 convolution with ReLU, randomly quantized from `seed`) compiled for
// a mesh on a random input (seed + 1).
struct MeshConv {
  Network network;
  MeshProgram program;
};
inline MeshConv conv_on_mesh(const AcceleratorConfig& config, const TensorShape& input, int out_channels,
                             std::uint64_t seed) {
  NetworkBuilder b("conv", input, 0);
  b.conv("conv", NetworkBuilder::network_input, out_channels, 3, 1, Activation::relu);
  MeshConv conv{b.finish(), {}};
  quantize_randomly(conv.network, seed);
  const Tensor8 tensor = random_input(conv.network, seed + 1);
  conv.program = compile_layer_on_mesh(conv.network.layers[0], {&tensor}, config);
  return conv;
}

// Evaluator "both" (the RTL, with the analytic model held to it) on the test cache.
inline SimulationOptions both_evaluator_options() {
  SimulationOptions options;
  options.evaluator = "both";
  options.cosim.cache_dir = TANDEM_COSIM_TEST_CACHE;
  return options;
}

// Every layer evaluated, bit-exact against the golden reference, cycle-equal to the model.
inline void check_bit_exact_and_cycle_equal(const NetworkMetrics& metrics) {
  for (const LayerMetrics& layer : metrics.layers) {
    INFO(layer.name << ": " << layer.error);
    CHECK(layer.ok());
    CHECK(layer.bit_exact == std::optional<bool>(true));
    CHECK(layer.analytic_cycles == std::optional<std::uint64_t>(layer.cycles));
  }
}

}  // namespace tandem::test
