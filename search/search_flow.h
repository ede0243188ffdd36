// The search part of a flow file (`search:`), parsed once at the edge into plain structs:
// the mode, the two sides of the space, the objective and constraints, the accuracy meter,
// the strategy and the budget. Schema and examples: docs/search.md.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "accuracy/accuracy.h"
#include "core/flow_spec.h"
#include "search/execution_spec.h"
#include "search/joint_space.h"
#include "search/objective.h"
#include "search/strategy.h"

namespace tandem {

// What the paper compares, on the same budget.
enum class SearchMode {
  joint,          // network and accelerator in one search
  hardware_only,  // the flow's fixed network; search the accelerator
  network_only,   // the flow's fixed accelerator; search the network (platform-aware NAS)
  phased,         // network_only on the baseline accelerator, then hardware_only for its winner
};
const char* search_mode_name(SearchMode mode);
std::vector<std::string> search_mode_names();

struct SearchFlow {
  FlowSpec flow;  // name, output_dir, seed, the baseline/fixed accelerator, the fixed network
  SearchMode mode = SearchMode::joint;
  std::string network_space = "proxy";  // models/network_space.h NetworkSpace::find
  // Narrowed accelerator parameters: name -> values (each allowed by the declaration).
  // Parameters not listed take their declared search values.
  std::map<std::string, std::vector<std::int64_t>> hardware_values;
  // Narrowed network decisions: decision name ("s1.block") -> choice indices.
  std::map<std::string, std::vector<int>> network_choices;
  Objective objective;
  std::vector<Constraint> constraints;
  AccuracySpec accuracy;
  std::string strategy = "evolution";
  StrategyOptions strategy_options;
  int trials = 20;
  int workers = 1;          // parallel evaluations (and the strategy's batch size)
  int validate_top = 1;     // best designs generated as RTL and co-simulated at the end
  int network_trials = 0;   // phased: trials of the network phase (the rest search hardware)
  // A candidate whose clock_mhz exceeds what the timing model says its configuration meets
  // (cost/cost.h estimate_clock): evaluated at that clock (bounded), rejected, or as given.
  ClockPolicy clock_policy = ClockPolicy::bounded;
  ExecutionSpec execution;  // where trials run; not part of canonical_text (results do not depend on it)

  std::string canonical_text;  // the flow file normalized (no comments, fixed layout), without search.execution
  std::string hash() const;    // 16 hex digits of SHA-256 of canonical_text: names the study

  bool searches_network() const { return mode != SearchMode::hardware_only; }
  bool searches_hardware() const { return mode != SearchMode::network_only; }
  std::string study_path() const;  // <output_dir>/study.db
};

// Throws InputError (file:line:column, field, what is valid) for any problem, including a flow
// without a `search:` section.
SearchFlow load_search_flow(const std::string& file);

}  // namespace tandem
