// The timing model (docs/energy-area.md "Clock"): the clock a configuration meets on the
// SkyWater sky130_fd_sc_hd typical library, from `tandem synth --target sky130` runs over the
// space (docs/results.md "Timing closure", scripts/sky130-sweep.sh). With the datapath
// registered, the worst paths are the requantizer's last stage (small arrays) and the vector
// unit's beat and op decode into its lanes' requantizer and accumulator (larger ones), which
// grow with the logarithm of the array edge; an output-stationary array adds the accumulation's
// OBUF read -> add -> OBUF write and the zero-operand count across the array, which grow
// faster (at 16x16 they are the worst path by 1.2 ns). The least-squares fit of the measured
// critical paths, shifted up to their envelope: the model never promises a clock the sweep
// did not meet.
#include <algorithm>
#include <cmath>
#include <string>

#include "cost/cost.h"

namespace tandem {

namespace {

// critical path ns = kBaseNs + kPerEdgeDoublingNs * log2(edge)
//                   (+ kOutputStationaryNs * log2(edge)^2 if output-stationary),
// edge = max(rows, cols); the measured points are pinned in tests/cost/t_timing.cpp.
constexpr double kBaseNs = 8.381;
constexpr double kPerEdgeDoublingNs = 0.141;
constexpr double kOutputStationaryNs = 0.049;

}  // namespace

ClockEstimate estimate_clock(const AcceleratorConfig& config) {
  const double edge = std::max({2, config.array.rows, config.array.cols});
  ClockEstimate estimate;
  const double doublings = std::log2(edge);
  const bool output_stationary = config.array.dataflow == Dataflow::output_stationary;
  estimate.critical_path_ns = kBaseNs + kPerEdgeDoublingNs * doublings +
                              (output_stationary ? kOutputStationaryNs * doublings * doublings : 0.0);
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
