// The timing model (docs/energy-area.md "Clock"): the clock a configuration meets on the
// SkyWater sky130_fd_sc_hd typical library, from `tandem synth --target sky130` runs over the
// space (docs/results.md "Timing closure", scripts/sky130-sweep.sh). With the datapath
// registered, the worst paths are the requantizer's last stage (small arrays), the vector
// unit's beat and instruction decode into its lanes and the IBUF banks (large ones) and, for
// an output-stationary array, the accumulation's OBUF read feeding the add in front of the
// OBUF write: they grow with the logarithm of the array edge, the output-stationary paths
// faster. The least-squares fit of the measured critical paths, shifted up to their envelope:
// the model never promises a clock the sweep did not meet.
#include <algorithm>
#include <cmath>
#include <string>

#include "cost/cost.h"

namespace tandem {

namespace {

// critical path ns = kBaseNs + (kPerEdgeDoublingNs + kOutputStationaryPerDoublingNs if
// output-stationary) * log2(max(rows, cols)); the measured points are pinned in
// tests/cost/t_timing.cpp.
constexpr double kBaseNs = 8.315;
constexpr double kPerEdgeDoublingNs = 0.176;
constexpr double kOutputStationaryPerDoublingNs = 0.173;

}  // namespace

ClockEstimate estimate_clock(const AcceleratorConfig& config) {
  const double edge = std::max({2, config.array.rows, config.array.cols});
  ClockEstimate estimate;
  const double per_doubling = kPerEdgeDoublingNs + (config.array.dataflow == Dataflow::output_stationary
                                                        ? kOutputStationaryPerDoublingNs
                                                        : 0.0);
  estimate.critical_path_ns = kBaseNs + per_doubling * std::log2(edge);
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
