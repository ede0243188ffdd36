// Every layer of a network compiled for an accelerator, next to its golden output: what the
// compiler and RTL suites check layer by layer (functional executor, co-simulation).
#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "compiler/compiler.h"
#include "golden/golden.h"

namespace tandem::test {

// Calls check(layer, program, golden output) for each layer, the network's input random(seed).
template <typename Check>
void for_each_compiled_layer(const Network& net, std::uint64_t seed, const AcceleratorConfig& config, Check check) {
  const Tensor8 input = random_input(net, seed);
  const std::vector<Tensor8> golden = golden_network(net, input);
  for (std::size_t l = 0; l < net.layers.size(); ++l) {
    const Layer& layer = net.layers[l];
    INFO("layer " << layer.name << " on " << config.array.rows << "x" << config.array.cols << " "
                  << dataflow_name(config.array.dataflow));
    const Program program = compile_layer(layer, layer_inputs(layer, input, golden), config);
    check(layer, program, golden[l]);
  }
}

}  // namespace tandem::test
