// Running a whole network on an accelerator, layer by layer: quantize (seeded random weights
// when the network has none), run the golden reference, compile every layer, evaluate it, and
// check its output against the golden one. Behind `tandem simulate`.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "core/accelerator_config.h"
#include "core/metrics.h"
#include "core/program.h"
#include "models/network.h"
#include "models/network_io.h"
#include "golden/golden.h"
#include "cosim/rtl_cosim.h"
#include "cost/cost.h"

namespace tandem {

struct SimulationOptions {
  // The cycle evaluator: "analytic" (microseconds, no outputs), "rtl" (co-simulation, outputs
  // checked bit for bit) or "both" (RTL, and any difference from the analytic model is an error;
  // the layers' cycles, counters and energy are the RTL's, the model's are kept beside them).
  std::string evaluator = "analytic";
  const Technology* technology = nullptr;  // energy and area; nullptr: default_technology()
  std::uint64_t seed = 1;         // random weights (when missing) and input
  // The network input (e.g. a prepared data set image); absent: random_input(seed + 1).
  std::optional<Tensor8> input;
  // Analytic evaluator only: each layer is priced on its own seeded synthetic weights and input
  // instead of the network's (random or trained) weights and golden activations. No golden run,
  // and a layer's figures depend only on its structure and the accelerator, so they are
  // memoized for the process: the search's inner loop (docs/search.md). Cycles are the same
  // either way; only the data-dependent zero_operand_macs estimate (and its energy) differs.
  bool synthetic_operands = false;
  std::vector<std::string> only_layers;  // empty: every layer
  CosimOptions cosim;
  // Called after each layer: (index, count, the layer's metrics). For progress output.
  std::function<void(std::size_t, std::size_t, const LayerMetrics&)> on_layer;
  // Called after each layer with its index in the network, the golden output, and the output
  // the RTL computed (nullptr for the analytic model or a failed simulation). For logits.
  std::function<void(std::size_t, const Tensor8& golden, const Tensor8* evaluated)> on_output;
  // Test-only: alters each layer's program (the first core's on a mesh) before the RTL runs it
  // (the analytic model times the original), so that tests can see the comparators of "both" fire.
  std::function<void(Program&)> test_perturb_rtl_program;
};

// The evaluators `SimulationOptions::evaluator` accepts.
const std::vector<std::string>& simulation_evaluators();

// Throws std::invalid_argument for an unknown evaluator or layer name. Per-layer failures
// (unmappable layer, stalled simulation) are recorded in the layer's metrics, never thrown.
NetworkMetrics simulate_network(Network network, const AcceleratorConfig& config,
                                const SimulationOptions& options);

// A workload as one record named after it: each network simulated as above, network k with
// seed `options.seed + 2k` (its own random weights and input), the layers in order. With one
// network, exactly simulate_network. `only_layers` names layers of any of the networks.
NetworkMetrics simulate_workload(const Workload& workload, const AcceleratorConfig& config,
                                 const SimulationOptions& options);

}  // namespace tandem
