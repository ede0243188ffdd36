// What the RTL suites that run whole networks share: the small accelerator whose simulator the
// test cache holds, evaluator "both", and the per-layer check (bit-exact, analytic == RTL).
#pragma once

#include <catch2/catch.hpp>

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
