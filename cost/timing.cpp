// The timing model (docs/energy-area.md "Clock"): the clock a configuration meets on the
// SkyWater sky130_fd_sc_hd typical library, from `tandem synth --target sky130` runs over the
// space (docs/results.md "Timing closure"). Its form follows what those runs show: with the
// datapath registered, the worst path is control and multiplexing whose depth grows with the
// logarithm of the array edge and of the vector lanes; the coefficients are a least-squares
// fit to the measured critical paths.
#include <algorithm>
#include <cmath>
#include <string>

#include "cost/cost.h"

namespace tandem {

namespace {

// Fitted to the sweep of docs/results.md (critical path in ns = a + b*log2(edge) +
// c*log2(lanes)); the measured points are pinned in tests/cost/t_timing.cpp.
constexpr double kBaseNs = 7.0;
constexpr double kPerEdgeDoublingNs = 0.4;
constexpr double kPerLaneDoublingNs = 0.2;

}  // namespace

ClockEstimate estimate_clock(const AcceleratorConfig& config) {
  const double edge = std::max(config.array.rows, config.array.cols);
  const double lanes = std::max(1, config.vector.lanes);
  ClockEstimate estimate;
  estimate.critical_path_ns =
      kBaseNs + kPerEdgeDoublingNs * std::log2(edge) + kPerLaneDoublingNs * std::log2(lanes);
  estimate.fmax_mhz = 1000.0 / estimate.critical_path_ns;
  estimate.margin = config.clock_mhz > 0 ? estimate.fmax_mhz / config.clock_mhz - 1.0 : 0.0;
  return estimate;
}

std::string clock_warning(const AcceleratorConfig& config) {
  const ClockEstimate estimate = estimate_clock(config);
  if (estimate.margin >= 0) return "";
  return "clock_mhz " + std::to_string(config.clock_mhz) + " exceeds the " +
         std::to_string(static_cast<int>(estimate.fmax_mhz)) +
         " MHz the timing model gives this configuration (sky130 HD typical, docs/energy-area.md): "
         "latencies at " + std::to_string(config.clock_mhz) + " MHz are optimistic";
}

}  // namespace tandem
