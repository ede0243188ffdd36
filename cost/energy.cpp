#include "cost/cost.h"

#include <cmath>

#include "core/accelerator_geometry.h"

namespace tandem {

namespace {

// Bytes a MAC moves between PE registers: weight-stationary passes the activation (1) and the
// partial sum (4) on; output-stationary passes both int8 operands (1 + 1).
double register_bytes_per_mac(Dataflow dataflow) {
  return dataflow == Dataflow::weight_stationary ? 5.0 : 2.0;
}

double count(const std::map<std::string, std::uint64_t>& counters, const char* name) {
  return static_cast<double>(counters.at(name));
}

// Reads and writes of one scratchpad, priced per word.
double buffer_pj(const BufferGeometry& buffer, int banks, double reads, double writes, const Technology& t) {
  const double bank_kib = static_cast<double>(buffer.word_bytes) * buffer.depth / banks / 1024.0;
  const auto& sram = t.energy_pj.sram;
  return reads * sram_access_pj(sram.read, buffer.word_bytes, bank_kib, t) +
         writes * sram_access_pj(sram.write, buffer.word_bytes, bank_kib, t);
}

}  // namespace

std::map<std::string, double> EnergyBreakdown::components() const {
  return {{"array", array}, {"buffers", buffers}, {"dram", dram}, {"vector", vector}, {"requantizer", requantizer}, {"static", static_energy}};
}

EnergyBreakdown& EnergyBreakdown::operator+=(const EnergyBreakdown& o) {
  array += o.array;
  buffers += o.buffers;
  dram += o.dram;
  vector += o.vector;
  requantizer += o.requantizer;
  static_energy += o.static_energy;
  return *this;
}

double sram_access_pj(double reference_pj, double word_bytes, double bank_kib, const Technology& t) {
  const auto& sram = t.energy_pj.sram;
  return reference_pj * (word_bytes / sram.reference_word_bytes) *
         std::pow(bank_kib / sram.reference_kib, sram.capacity_exponent);
}

EnergyBreakdown estimate_energy(const AcceleratorConfig& config,
                                const std::map<std::string, std::uint64_t>& counters,
                                const Technology& t) {
  const auto& e = t.energy_pj;
  const AcceleratorGeometry g = accelerator_geometry(config);
  EnergyBreakdown energy;
  const double mac_pj = e.int8_multiply + e.int32_add + register_bytes_per_mac(config.array.dataflow) * e.register_per_byte;
  energy.array = count(counters, "macs") * mac_pj;
  energy.buffers = buffer_pj(g.ibuf, g.banks, count(counters, "ibuf_reads"), count(counters, "ibuf_writes"), t) +
                   buffer_pj(g.wbuf, g.banks, count(counters, "wbuf_reads"), count(counters, "wbuf_writes"), t) +
                   buffer_pj(g.obuf, g.banks, count(counters, "obuf_reads"), count(counters, "obuf_writes"), t) +
                   buffer_pj(g.param, 1, count(counters, "param_reads"), count(counters, "param_writes"), t);
  energy.dram = (count(counters, "dram_read_bytes") + count(counters, "dram_write_bytes")) * e.dram_per_byte;
  // A lane operation is priced as a requant beat (int32 multiply and add), the costlier kind.
  energy.vector = count(counters, "vector_lane_ops") * (e.int32_multiply + e.int32_add);
  energy.requantizer = count(counters, "requantizer_ops") * (e.int32_multiply + e.int32_add);
  // Static: leakage power x time (mW x cycles / MHz = 1e-3 W x 1e-6 s = 1e-9 J = 1e3 pJ) and
  // the ungated clock tree every cycle, both proportional to area.
  const double mm2 = estimate_area(config, t).total();
  const double cycles = count(counters, "cycles");
  energy.static_energy = mm2 * cycles *
                         (t.statics.leakage_mw_per_mm2 * 1e3 / config.clock_mhz + t.statics.clock_pj_per_mm2_cycle);
  return energy;
}

}  // namespace tandem
