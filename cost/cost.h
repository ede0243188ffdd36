// The cost stage's public header: a technology file (per-action energies, per-component areas)
// and the energy and area models that price an accelerator with it (docs/energy-area.md).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/accelerator_config.h"

namespace tandem {

// A technology: per-action energies and per-component areas of one process, read from a
// technology YAML file (technology/horowitz_45nm.yaml is the default shipped with tandem;
// docs/energy-area.md). Parsed once at the edge into this plain struct.

struct Technology {
  std::string name;
  std::string file;  // where it was read from
  int node_nm = 0;
  struct Energy {  // pJ per action
    double int8_multiply = 0, int8_add = 0, int32_multiply = 0, int32_add = 0;
    double register_per_byte = 0;
    double dram_per_byte = 0;
    struct Sram {  // one access of a word of reference_word_bytes in a bank of reference_kib
      double reference_kib = 0, reference_word_bytes = 0, read = 0, write = 0, capacity_exponent = 0;
    } sram;
  } energy_pj;
  struct Static {
    double leakage_mw_per_mm2 = 0;
    double clock_pj_per_mm2_cycle = 0;
  } statics;
  struct Area {  // um^2
    double int8_multiply = 0, int8_add = 0, int32_multiply = 0, int32_add = 0;
    double register_bit = 0, sram_bit = 0, sram_array_efficiency = 0, sram_bank_overhead = 0;
    double controller = 0, dma = 0;
  } area_um2;
};

// Throws InputError (file:line:col: error: field: message) for a missing or malformed file, a
// missing or unknown key, or a value of the wrong type or out of range.
Technology load_technology_file(const std::string& path);
Technology parse_technology_text(const std::string& text, const std::string& name);

// technology/horowitz_45nm.yaml, embedded at build time.
const Technology& default_technology();

// Energy model (docs/energy-area.md): activity counters x per-action energies of a technology,
// plus static energy (leakage and clock) over the run. A function of (configuration, counters,
// technology) only, so the same code prices RTL co-simulation counters and analytic ones.

struct EnergyBreakdown {  // pJ
  double array = 0;    // MACs (multiply, accumulate, operand registers)
  double buffers = 0;  // scratchpad word reads and writes
  double dram = 0;     // bytes read and written
  double vector = 0;   // vector lane operations
  double requantizer = 0;  // elements requantized at the array's output
  double static_energy = 0;  // leakage and clock tree over the run's cycles

  double total() const { return array + buffers + dram + vector + requantizer + static_energy; }
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

// Area model (docs/energy-area.md): per-component area of an accelerator configuration from a
// technology's per-unit areas (PEs by bit widths, SRAM per bit and per bank, vector lanes,
// controller and DMA). Scratchpads are SRAM macros; everything else is standard-cell logic.

struct AreaBreakdown {  // mm^2, of every core of a mesh together
  double array = 0;    // R x C PEs: int8 multiplier, int32 adder, 48 bits of registers each
  double ibuf = 0, wbuf = 0, obuf = 0, param = 0;  // SRAM macros, one per bank
  double vector = 0;   // lanes and the per-element registers of the vector unit
  double requantizer = 0;  // the array's output requantizer: C lanes, their parameters, 2 stages
  double control = 0;  // controller, instruction register, activity counters
  double dma = 0;      // DMA engine and its word queue

  double buffers() const { return ibuf + wbuf + obuf + param; }
  double logic() const { return array + vector + requantizer + control + dma; }  // standard cells only
  double total() const { return logic() + buffers(); }
  std::map<std::string, double> components() const;  // by name, for reports
};

AreaBreakdown estimate_area(const AcceleratorConfig& config, const Technology& technology);

// Timing model (docs/energy-area.md "Clock"): the clock a configuration meets on sky130_fd_sc_hd
// typical cells through tandem's synthesis route (tandem synth --target sky130), a fit to
// measured runs; pre-layout (no wires), ideal clock. Latencies are only honest at a clock_mhz
// at or below fmax_mhz.
struct ClockEstimate {
  double critical_path_ns = 0;  // the worst register-to-register path
  double fmax_mhz = 0;
  double margin = 0;            // fmax_mhz / config.clock_mhz - 1: negative when the clock is too fast
};
ClockEstimate estimate_clock(const AcceleratorConfig& config);
// Empty when config.clock_mhz is at most the model's Fmax; otherwise a sentence for users
// saying so and what latencies at that clock mean.
std::string clock_warning(const AcceleratorConfig& config);

}  // namespace tandem
