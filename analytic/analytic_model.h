// The analytic evaluator (docs/analytic-model.md): from a Program, the cycle count and every
// activity counter that the RTL co-simulation (cosim/rtl_cosim.h) reports for it, in
// microseconds. Cycles and every data-independent counter are equal to the RTL's, by
// construction from the RTL's closed forms and its dispatch rules, and held to it by
// t_analytic_rtl; the data-dependent counter (zero_operand_macs) is an estimate listed in
// `estimated`, or on request an exact count.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "core/program.h"

namespace tandem {

struct AnalyticResult {
  std::uint64_t cycles = 0;  // as CosimResult::cycles: edges after reset until completion
  std::map<std::string, std::uint64_t> counters;  // every isa::counter_names() entry
  std::set<std::string> estimated;  // counters that are estimates, not exact
};

struct AnalyticOptions {
  // zero_operand_macs: false: estimated from the density of the loaded operands (microseconds;
  // listed in `estimated`); true: counted exactly by following the operands' zero bytes
  // (milliseconds for a large layer; analytic/zero_operand_count.h).
  bool exact_zero_operand_macs = false;
};

AnalyticResult evaluate_analytic(const Program& program, const AnalyticOptions& options = {});
// A mesh (docs/mesh.md): `cycles` is the slowest core's; every other counter is the sum over
// the cores, idle_cycles including the cycles a core waits, done, for the slowest one.
AnalyticResult evaluate_analytic(const MeshProgram& program, const AnalyticOptions& options = {});

}  // namespace tandem
