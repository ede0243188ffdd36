// The study driver behind `tandem search`: runs the flow's strategy over its space (one phase,
// or two for mode phased), evaluates each batch of proposals in parallel, commits every
// finished trial to the study database at once, validates the best designs on the RTL, and
// resumes an interrupted study without losing or repeating a finished trial.
//
// Resume is replay: the strategy is deterministic for its seed and the feedback it was told,
// so rerunning asks for the same points; a point whose trial is in the database gets the stored
// feedback instead of an evaluation (docs/search.md).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "search/search_flow.h"
#include "search/study.h"
#include "search/trial.h"

namespace tandem {

struct SearchProgress {
  std::string phase;        // "joint", "network", "hardware", "validation"
  std::int64_t done = 0;    // trials finished (stored before this run included)
  std::int64_t total = 0;
  std::int64_t resumed = 0;  // of `done`, taken from the database
  std::optional<double> best_reward;  // reward objectives
  std::size_t pareto_size = 0;        // pareto objectives
  double evaluations_per_second = 0;  // this run's evaluations
  double eta_seconds = -1;            // -1 while unknown
};

struct SearchRunOptions {
  std::string cache_dir;  // accuracy and simulator caches; empty: the co-simulation default
  bool fresh = false;     // delete the study and its cluster jobs' folder first (under the study's lock)
  // The `tandem` that cluster jobs run (execution kind slurm); empty: the one next to this program.
  std::string tandem_program;
  std::function<void(const SearchProgress&)> on_progress;
  std::function<void(const std::string&)> log;  // one line of news (phase start, validation)
};

struct SearchSummary {
  std::vector<TrialRecord> trials;  // every trial of the study, by number
  std::int64_t evaluated = 0;       // in this run
  std::int64_t resumed = 0;         // found in the database
  std::optional<std::int64_t> best; // best trial number (reward; pareto: most accurate member)
  std::vector<std::int64_t> pareto; // trial numbers of the Pareto set
  std::vector<ValidationRecord> validated;  // packages in validation.h design_directory()
  bool ok() const;                  // every validated design agreed
};

// Holds the study's lock (search/study_lock.h) while it runs. Throws InputError/std::runtime_error
// for a study that another search is running, that cannot be resumed (made by another flow) or
// that the strategy cannot replay, and when a cluster cannot be reached.
SearchSummary run_search(const SearchFlow& flow, const SearchRunOptions& options);

// Validates one recorded trial's design on the RTL as run_search does for its winners: the
// trial's trained network (for a supernet-ranked flow, its stand-alone retraining) through
// validate_design (search/validation.h). Never throws: a failure is a record that disagrees,
// with the reason. What a validation job on a cluster runs (`tandem validate`).
ValidationRecord validate_trial(const SearchFlow& flow, const TrialRecord& trial, const std::string& cache_dir,
                                const std::function<void(const std::string&)>& log = {});

// The best `k` ok trials: by reward, or for pareto objectives the Pareto set ordered by its
// first objective. Distinct (network, accelerator) pairs only.
std::vector<std::int64_t> best_trials(const SearchFlow& flow, const std::vector<TrialRecord>& trials,
                                      std::size_t k);

}  // namespace tandem
