// Energy model (docs/energy-area.md): activity counters x per-action energies of a technology,
// plus static energy (leakage and clock) over the run. A function of (configuration, counters,
// technology) only, so the same code prices RTL co-simulation counters and analytic ones.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/accelerator_config.h"
#include "sim/technology.h"

namespace tandem {

struct EnergyBreakdown {  // pJ
  double array = 0;    // MACs (multiply, accumulate, operand registers)
  double buffers = 0;  // scratchpad word reads and writes
  double dram = 0;     // bytes read and written
  double vector = 0;   // vector lane operations
  double static_energy = 0;  // leakage and clock tree over the run's cycles

  double total() const { return array + buffers + dram + vector + static_energy; }
  std::map<std::string, double> components() const;  // by name, for reports
  EnergyBreakdown& operator+=(const EnergyBreakdown& other);
};

// `counters`: the docs/isa.md activity counters by name (CosimResult::counters or
// AnalyticResult::counters); a missing counter throws std::out_of_range.
EnergyBreakdown estimate_energy(const AcceleratorConfig& config,
                                const std::map<std::string, std::uint64_t>& counters,
                                const Technology& technology);

// Energy of one access to a scratchpad bank: the technology's reference access scaled
// linearly with the word width and by (bank capacity / reference)^capacity_exponent.
double sram_access_pj(double reference_pj, double word_bytes, double bank_kib, const Technology& technology);

}  // namespace tandem
