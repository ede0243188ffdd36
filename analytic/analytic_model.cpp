#include "analytic/analytic_model.h"

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

}  // namespace tandem
