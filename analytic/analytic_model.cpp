#include "analytic/analytic_model.h"

#include <algorithm>
#include <cmath>

#include "core/isa.h"
#include "analytic/dispatch_model.h"
#include "analytic/operand_density.h"
#include "analytic/zero_operand_count.h"

namespace tandem {

AnalyticResult evaluate_analytic(const Program& program, const AnalyticOptions& options) {
  analytic::Counters counters = analytic::run_dispatch_model(program);
  AnalyticResult result;
  if (options.exact_zero_operand_macs) {
    counters[isa::counter::zero_operand_macs] = analytic::count_zero_operand_macs(program);
  } else {
    const double zero_fraction = analytic::estimate_operand_density(program).zero_operand_fraction(program.config.array.dataflow);
    counters[isa::counter::zero_operand_macs] = static_cast<std::uint64_t>(
        std::llround(static_cast<double>(counters[isa::counter::macs]) * zero_fraction));
    result.estimated.insert("zero_operand_macs");
  }
  result.cycles = counters[isa::counter::cycles];
  const auto& names = isa::counter_names();
  for (std::size_t i = 0; i < names.size(); ++i) result.counters.emplace(names[i], counters[i]);
  return result;
}

AnalyticResult evaluate_analytic(const MeshProgram& program, const AnalyticOptions& options) {
  if (program.cores.size() == 1) return evaluate_analytic(program.cores.front(), options);
  // Each core runs its own program on its own DRAM channel; the mesh ends with the last core.
  // A core that is done counts `cycles` and `idle_cycles` until then; its other counters stop.
  std::vector<AnalyticResult> cores;
  AnalyticResult mesh;
  for (const Program& core : program.cores) {
    cores.push_back(core.instructions.empty() ? AnalyticResult{} : evaluate_analytic(core, options));
    mesh.cycles = std::max(mesh.cycles, cores.back().cycles);
  }
  for (const std::string& name : isa::counter_names()) mesh.counters[name] = 0;
  for (const AnalyticResult& core : cores) {
    for (const auto& [name, value] : core.counters) mesh.counters[name] += value;
    mesh.counters["idle_cycles"] += mesh.cycles - core.cycles;
    mesh.estimated.insert(core.estimated.begin(), core.estimated.end());
  }
  mesh.counters["cycles"] = mesh.cycles;
  return mesh;
}

}  // namespace tandem
