// The timing model (cost/cost.h estimate_clock) against the sky130 sweep it is fitted to
// (docs/results.md "Timing closure", scripts/sky130-sweep.sh): each measured critical path is
// pinned here, so a refit that drifts from the measurements, or a measurement that changes
// without the model following, fails.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "cost/cost.h"

using namespace tandem;

namespace {

struct Measured {
  const char* name;
  int rows, cols;
  Dataflow dataflow;
  int lanes, banks, bytes_per_cycle;
  double critical_path_ns;  // tandem synth --target sky130 (OpenSTA, sky130_fd_sc_hd tt)
};

AcceleratorConfig config_of(const Measured& m) {
  AcceleratorConfig config;
  config.array.rows = m.rows;
  config.array.cols = m.cols;
  config.array.dataflow = m.dataflow;
  config.vector.lanes = m.lanes;
  config.buffers.banks = m.banks;
  config.dram.bytes_per_cycle = m.bytes_per_cycle;
  config.clock_mhz = 100;
  return config;
}

// bench/sky130_sweep/*.yaml, measured at the commit that fitted the model (a given RTL maps
// the same way every run: the 4x4 of t_export's slow test gives the same 8.470 ns).
const std::vector<Measured> kSweep = {
    {"2x2 WS, 1 lane, 1 bank, BPC 4", 2, 2, Dataflow::weight_stationary, 1, 1, 4, 8.323},
    {"4x4 WS, 4 lanes, 2 banks, BPC 8", 4, 4, Dataflow::weight_stationary, 4, 2, 8, 8.470},
    {"4x4 OS, 2 lanes, 2 banks, BPC 8", 4, 4, Dataflow::output_stationary, 2, 2, 8, 8.324},
    {"8x8 WS, 8 lanes, 2 banks, BPC 8", 8, 8, Dataflow::weight_stationary, 8, 2, 8, 8.804},
    {"8x8 OS, 4 lanes, 4 banks, BPC 16", 8, 8, Dataflow::output_stationary, 4, 4, 16, 8.518},
    {"8x16 WS, 16 lanes, 2 banks, BPC 16", 8, 16, Dataflow::weight_stationary, 16, 2, 16, 8.537},
    {"16x16 WS, 16 lanes, 4 banks, BPC 64", 16, 16, Dataflow::weight_stationary, 16, 4, 64, 8.552},
    {"16x16 OS, 8 lanes, 4 banks, BPC 32", 16, 16, Dataflow::output_stationary, 8, 4, 32, 9.717},
};

}  // namespace

TEST_CASE("t_timing: the model bounds every measured critical path from above, within 10%", "[timing]") {
  for (const Measured& m : kSweep) {
    INFO(m.name);
    const ClockEstimate estimate = estimate_clock(config_of(m));
    CHECK(estimate.critical_path_ns >= m.critical_path_ns);
    CHECK(estimate.critical_path_ns <= 1.10 * m.critical_path_ns);
    CHECK(estimate.fmax_mhz == Approx(1000 / estimate.critical_path_ns));
  }
}

TEST_CASE("t_timing: margin and warning follow the configured clock", "[timing]") {
  AcceleratorConfig config = config_of(kSweep.front());
  const double fmax = estimate_clock(config).fmax_mhz;
  config.clock_mhz = static_cast<int>(fmax) - 1;
  CHECK(estimate_clock(config).margin > 0);
  CHECK(clock_warning(config).empty());
  config.clock_mhz = 500;
  CHECK(estimate_clock(config).margin < 0);
  CHECK_THAT(clock_warning(config), Catch::StartsWith("clock_mhz 500 exceeds the ") &&
                                        Catch::Contains("latencies at 500 MHz are optimistic"));
}

TEST_CASE("t_timing: a bigger array is never faster, nor is output-stationary", "[timing]") {
  AcceleratorConfig small = config_of(kSweep.front()), big = small;
  big.array.rows = big.array.cols = 32;
  CHECK(estimate_clock(big).fmax_mhz < estimate_clock(small).fmax_mhz);
  AcceleratorConfig os = small;
  os.array.dataflow = Dataflow::output_stationary;
  CHECK(estimate_clock(os).fmax_mhz < estimate_clock(small).fmax_mhz);
}

TEST_CASE("t_timing: the default clock is one the default configuration meets", "[timing]") {
  const AcceleratorConfig config;  // 16x16 weight-stationary at 100 MHz
  CHECK(estimate_clock(config).margin > 0);
  CHECK(clock_warning(config).empty());
}
