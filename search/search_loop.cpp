#include "search/search_loop.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "accuracy/accuracy.h"
#include "core/version.h"
#include "models/network_io.h"
#include "models/network_space.h"
#include "search/candidate_scorer.h"
#include "search/slurm_client.h"
#include "search/study_cluster.h"
#include "search/joint_space.h"
#include "search/restricted_space.h"
#include "cost/cost.h"
#include "search/pareto.h"
#include "search/study.h"
#include "search/study_lock.h"
#include "search/validation.h"

namespace tandem {
namespace {

using Clock = std::chrono::steady_clock;

// One strategy run over one space: the whole study, or one half of a phased one.
struct Phase {
  std::string name;
  JointSpace space;
  std::int64_t first_trial = 0;
  std::int64_t trials = 0;
  std::uint64_t seed = 1;
  std::optional<Genotype> fixed_genotype;  // phased, hardware half: the network phase's winner
  std::unique_ptr<RestrictedSpace> restricted;  // network_choices and area bounds, when there are some

  const SearchSpace& searched() const { return restricted ? *restricted : static_cast<const SearchSpace&>(space); }
};

// The area bounds of the flow as a rule on points: area depends on the accelerator alone, so a
// phase that searches hardware never proposes one outside them.
RestrictedSpace::Rule area_rule(const JointSpace& space, const SearchFlow& flow) {
  std::vector<Constraint> area;
  for (const Constraint& c : flow.constraints) {
    if (c.metric == Metric::area) area.push_back(c);
  }
  if (area.empty()) return {};
  return [&space, area](const Point& point) -> std::optional<std::string> {
    CandidateMetrics metrics;
    metrics.area_mm2 = estimate_area(space.decode(point).accelerator, default_technology()).total();
    return violated_constraint(area, metrics);
  };
}

// Applies the flow's network_choices (phases that search the network) and area bounds (phases
// that search hardware) to a phase's space.
void restrict_space(Phase& phase, const SearchFlow& flow) {
  std::map<std::size_t, std::vector<int>> choices;
  const std::vector<Gene>& genes = phase.space.genes();
  for (const auto& [decision, allowed] : flow.network_choices) {
    for (std::size_t g = 0; g < genes.size(); ++g) {
      if (genes[g].name == "net." + decision) choices[g] = allowed;
    }
  }
  RestrictedSpace::Rule rule = phase.space.hardware_genes() > 0 ? area_rule(phase.space, flow) : nullptr;
  if (!choices.empty() || rule) {
    phase.restricted = std::make_unique<RestrictedSpace>(phase.space, choices, std::move(rule));
  }
}

// The clock a configuration meets, rounded down to whole MHz (cost/cost.h's timing model).
int achievable_clock_mhz(const AcceleratorConfig& config) {
  return static_cast<int>(std::floor(estimate_clock(config).fmax_mhz));
}

AcceleratorSide searched_hardware(const SearchFlow& flow) {
  AcceleratorSide side;
  side.base = flow.flow.accelerator;
  side.values = flow.hardware_values;
  side.clock_limit = achievable_clock_mhz;
  side.clock_policy = flow.clock_policy;
  return side;
}

AcceleratorSide fixed_hardware(const SearchFlow& flow) {
  AcceleratorSide side;
  side.fixed = flow.flow.accelerator;
  side.base = flow.flow.accelerator;
  side.clock_limit = achievable_clock_mhz;
  side.clock_policy = flow.clock_policy;
  return side;
}

// The network a trial ran: the trained int8 network when its accuracy meter left one. Throws
// when that file is gone: validating the untrained structure instead would be silently wrong.
Network trained_network_of(const CandidateScorer& scorer, const TrialRecord& trial) {
  if (trial.accuracy_detail.is_object() && trial.accuracy_detail.contains("network_file")) {
    const std::string file = trial.accuracy_detail["network_file"].get<std::string>();
    if (!std::filesystem::exists(file)) {
      throw std::runtime_error("trial " + std::to_string(trial.number) + "'s trained network " + file +
                               " no longer exists (moved or deleted); rerun the search with --fresh to train it again");
    }
    return load_network(file);
  }
  return scorer.network_of(Candidate{trial.genotype, trial.accelerator});
}

ValidationRecord validate_with(const SearchFlow& flow, const CandidateScorer& scorer, const TrialRecord& trial,
                               const std::string& cache_dir, const std::function<void(const std::string&)>& log) {
  ValidationRecord validation;
  try {
    Network network = trained_network_of(scorer, trial);
    std::optional<double> retrained_accuracy;
    // Accuracies from the supernet rank the candidates; a winner is trained on its own and
    // that network runs on the RTL.
    if (flow.accuracy.kind == "supernet" && log) {
      log("training trial " + std::to_string(trial.number) + "'s network stand-alone (the `retrain:` recipe)");
    }
    if (const std::optional<AccuracyResult> standalone = scorer.retrain(trial)) {
      if (!standalone->ok) throw std::runtime_error("stand-alone training failed: " + standalone->error);
      network = load_network(standalone->network_file);
      retrained_accuracy = standalone->accuracy;
    }
    validation = validate_design(flow, trial, network, cache_dir, retrained_accuracy);
  } catch (const std::exception& e) {  // no network to validate: recorded as a failed validation
    validation.trial = trial.number;
    validation.message = e.what();
    validation.finished_at = utc_timestamp();
  }
  return validation;
}

// A study about to be deleted (--fresh) leaves no job of its own running.
void cancel_jobs_in_flight(const std::string& study_path) {
  if (!std::filesystem::exists(study_path)) return;
  std::vector<std::string> ids;
  try {
    for (const JobRecord& job : Study::open(study_path).jobs()) {
      if (job.in_flight()) ids.push_back(job.job_id);
    }
  } catch (const std::exception&) {  // not a study: nothing of ours runs
    return;
  }
  SlurmClient().cancel(ids);
}

class StudyRunner {
 public:
  StudyRunner(const SearchFlow& flow, const SearchRunOptions& options, Study& study)
      : flow_(flow),
        options_(options),
        study_(study),
        scorer_(flow, options.cache_dir),
        cluster_(StudyCluster::of(flow, study, mutex_, {options.tandem_program, options.cache_dir, options.log})),
        start_(Clock::now()) {
    for (TrialRecord& trial : study_.trials()) stored_.emplace(trial.number, std::move(trial));
    progress_.total = flow.trials;
  }

  void run(Phase& phase) {
    restrict_space(phase, flow_);
    progress_.phase = phase.name;
    if (options_.log) {
      options_.log("phase " + phase.name + ": " + std::to_string(phase.trials) + " trials of " + flow_.strategy +
                   " over " + std::to_string(phase.searched().genes().size()) + " genes");
    }
    StrategyOptions strategy_options = flow_.strategy_options;
    strategy_options.seed = phase.seed;
    const std::unique_ptr<Strategy> strategy = make_strategy(flow_.strategy, phase.searched(), strategy_options);
    std::int64_t done = 0;
    while (done < phase.trials) {
      const std::size_t count =
          static_cast<std::size_t>(std::min<std::int64_t>(flow_.workers, phase.trials - done));
      const std::vector<Point> points = strategy->ask(count);
      if (points.size() != count) throw std::logic_error("strategy " + flow_.strategy + " returned a short batch");
      std::vector<TrialRecord> batch = evaluate_batch(phase, points, phase.first_trial + done);
      for (std::size_t i = 0; i < count; ++i) strategy->tell(points[i], batch[i].feedback());
      done += static_cast<std::int64_t>(count);
      ++batch_number_;
    }
  }

  // Before the first trial: the supernet of a `kind: supernet` flow, trained unless cached (as a
  // cluster job when the study runs on one).
  void prepare() { scorer_.prepare(options_.log, cluster_ ? cluster_->remote_runner() : AccuracyMeter::RemoteRunner()); }

  // The winner of a finished phase (for the second half of a phased study).
  const TrialRecord* best_of(const Phase& phase) const {
    std::vector<TrialRecord> trials;
    for (std::int64_t n = phase.first_trial; n < phase.first_trial + phase.trials; ++n) {
      trials.push_back(stored_.at(n));
    }
    const std::vector<std::int64_t> best = best_trials(flow_, trials, 1);
    return best.empty() ? nullptr : &stored_.at(best.front());
  }

  std::vector<TrialRecord> trials() const {
    std::vector<TrialRecord> all;
    for (const auto& [number, trial] : stored_) all.push_back(trial);
    return all;
  }
  bool on_cluster() const { return cluster_.has_value(); }

  // The RTL validations of recorded trials as cluster jobs, in the order given.
  std::vector<ValidationRecord> validate_on_cluster(const std::vector<TrialRecord>& trials) {
    return cluster_->validate(trials);
  }

  std::int64_t evaluated() const { return evaluated_; }
  std::int64_t resumed() const { return resumed_; }
  const CandidateScorer& scorer() const { return scorer_; }

 private:
  std::vector<TrialRecord> evaluate_batch(const Phase& phase, const std::vector<Point>& points,
                                          std::int64_t first_number) {
    std::vector<TrialRecord> batch(points.size());
    std::vector<std::size_t> pending;
    for (std::size_t i = 0; i < points.size(); ++i) {
      const std::int64_t number = first_number + static_cast<std::int64_t>(i);
      const auto stored = stored_.find(number);
      if (stored == stored_.end()) {
        pending.push_back(i);
        continue;
      }
      if (stored->second.point != points[i]) {
        // A point's genes read like a genotype's (its network genes are one).
        throw std::runtime_error("study " + flow_.study_path() + ": trial " + std::to_string(number) + " is (" +
                                 format_genotype(stored->second.point) + ") but the strategy now proposes (" +
                                 format_genotype(points[i]) +
                                 "); the study was made by another version of tandem, so it cannot be resumed "
                                 "(use a new output_dir)");
      }
      batch[i] = stored->second;
      ++resumed_;
      ++progress_.resumed;
      note_finished(batch[i]);
    }
    if (cluster_) {
      if (!pending.empty()) evaluate_on_cluster(phase, points, pending, first_number, batch);
      return batch;
    }
    std::vector<std::thread> workers;
    for (std::size_t i : pending) {
      workers.emplace_back([&, i] {
        Candidate candidate = phase.space.decode(points[i]);
        if (phase.fixed_genotype) candidate.genotype = *phase.fixed_genotype;
        TrialRecord trial = scorer_.score(candidate);
        trial.number = first_number + static_cast<std::int64_t>(i);
        trial.batch = batch_number_;
        trial.point = points[i];
        const std::lock_guard<std::mutex> lock(mutex_);
        study_.record(trial);  // committed before anyone hears of it
        stored_.emplace(trial.number, trial);
        ++evaluated_;
        note_finished(trial);
        batch[i] = std::move(trial);
      });
    }
    for (std::thread& worker : workers) worker.join();
    return batch;
  }

  // The pending trials of a batch as cluster jobs, recorded in proposal order once all have
  // finished (their result files survive a kill of the search: a rerun takes them instead of
  // submitting again).
  void evaluate_on_cluster(const Phase& phase, const std::vector<Point>& points, const std::vector<std::size_t>& pending,
                           std::int64_t first_number, std::vector<TrialRecord>& batch) {
    std::vector<Candidate> candidates;
    std::vector<std::int64_t> numbers;
    for (std::size_t i : pending) {
      candidates.push_back(phase.space.decode(points[i]));
      if (phase.fixed_genotype) candidates.back().genotype = *phase.fixed_genotype;
      numbers.push_back(first_number + static_cast<std::int64_t>(i));
    }
    std::vector<TrialRecord> trials = cluster_->evaluate(candidates, numbers, scorer_);
    for (std::size_t t = 0; t < pending.size(); ++t) {
      TrialRecord& trial = trials[t];
      trial.number = numbers[t];
      trial.batch = batch_number_;
      trial.point = points[pending[t]];
      study_.record(trial);
      stored_.emplace(trial.number, trial);
      ++evaluated_;
      note_finished(trial);
      batch[pending[t]] = std::move(trial);
    }
  }

  // Progress after each finished trial (called with the mutex held or single-threaded).
  void note_finished(const TrialRecord& trial) {
    ++progress_.done;
    if (trial.status == TrialStatus::ok) {
      if (flow_.objective.kind == Objective::Kind::reward) {
        progress_.best_reward = std::max(progress_.best_reward.value_or(trial.reward), trial.reward);
      } else {
        ok_objectives_.push_back(trial.objectives);
        progress_.pareto_size = pareto_front(ok_objectives_).size();
      }
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    progress_.evaluations_per_second = seconds > 0 ? static_cast<double>(evaluated_) / seconds : 0;
    progress_.eta_seconds = progress_.evaluations_per_second > 0
                                ? static_cast<double>(progress_.total - progress_.done) /
                                      progress_.evaluations_per_second
                                : -1;
    if (options_.on_progress) options_.on_progress(progress_);
  }

  const SearchFlow& flow_;
  const SearchRunOptions& options_;
  Study& study_;
  std::mutex mutex_;  // the study and the progress, shared by worker threads
  CandidateScorer scorer_;
  std::optional<StudyCluster> cluster_;
  Clock::time_point start_;
  std::map<std::int64_t, TrialRecord> stored_;
  std::vector<Objectives> ok_objectives_;
  SearchProgress progress_;
  std::int64_t batch_number_ = 0;
  std::int64_t evaluated_ = 0;
  std::int64_t resumed_ = 0;
};

std::map<std::string, std::string> study_meta(const SearchFlow& flow) {
  return {{"flow_file", flow.flow.file},
          {"flow_hash", flow.hash()},
          {"flow_text", flow.canonical_text},
          {"name", flow.flow.name},
          {"mode", search_mode_name(flow.mode)},
          {"strategy", flow.strategy},
          {"objective", flow.objective.describe()},
          {"trials", std::to_string(flow.trials)},
          {"seed", std::to_string(flow.flow.seed)},
          {"tandem_version", version()}};
}

}  // namespace

bool SearchSummary::ok() const {
  return std::all_of(validated.begin(), validated.end(), [](const ValidationRecord& v) { return v.agree; });
}

std::vector<std::int64_t> best_trials(const SearchFlow& flow, const std::vector<TrialRecord>& trials,
                                      std::size_t k) {
  std::vector<const TrialRecord*> ranked;
  for (const TrialRecord& trial : trials) {
    if (trial.status == TrialStatus::ok) ranked.push_back(&trial);
  }
  if (flow.objective.kind == Objective::Kind::pareto) {
    std::vector<Objectives> objectives;
    for (const TrialRecord* trial : ranked) objectives.push_back(trial->objectives);
    std::vector<const TrialRecord*> front;
    for (std::size_t i : pareto_front(objectives)) front.push_back(ranked[i]);
    ranked = front;
    std::stable_sort(ranked.begin(), ranked.end(), [](const TrialRecord* a, const TrialRecord* b) {
      return a->objectives.front() < b->objectives.front();
    });
  } else {
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const TrialRecord* a, const TrialRecord* b) { return a->reward > b->reward; });
  }
  std::vector<std::int64_t> best;
  std::set<std::pair<std::string, std::string>> seen;
  for (const TrialRecord* trial : ranked) {
    if (best.size() >= k) break;
    if (seen.insert({trial->network_hash, trial->accelerator_hash}).second) best.push_back(trial->number);
  }
  return best;
}

SearchSummary run_search(const SearchFlow& flow, const SearchRunOptions& options) {
  const StudyLock lock(flow.study_path());
  if (options.fresh) {
    cancel_jobs_in_flight(flow.study_path());
    Study::remove(flow.study_path());
    std::filesystem::remove_all(StudyCluster::jobs_directory(flow));
  }
  Study study = Study::create_or_resume(flow.study_path(), study_meta(flow));
  StudyRunner runner(flow, options, study);
  const NetworkSpace* space = NetworkSpace::find(flow.network_space);
  runner.prepare();  // a supernet is trained (or found) before the first trial

  switch (flow.mode) {
    case SearchMode::joint: {
      Phase phase{"joint", JointSpace({space}, searched_hardware(flow)), 0, flow.trials, flow.flow.seed, {}, {}};
      runner.run(phase);
      break;
    }
    case SearchMode::hardware_only: {
      Phase phase{"hardware", JointSpace({nullptr}, searched_hardware(flow)), 0, flow.trials, flow.flow.seed, {}, {}};
      runner.run(phase);
      break;
    }
    case SearchMode::network_only: {
      Phase phase{"network", JointSpace({space}, fixed_hardware(flow)), 0, flow.trials, flow.flow.seed, {}, {}};
      runner.run(phase);
      break;
    }
    case SearchMode::phased: {
      Phase network{"network", JointSpace({space}, fixed_hardware(flow)), 0, flow.network_trials, flow.flow.seed, {}, {}};
      runner.run(network);
      const TrialRecord* winner = runner.best_of(network);
      if (!winner) {
        throw std::runtime_error("phased search: no network of the first " + std::to_string(flow.network_trials) +
                                 " trials passed; nothing to search hardware for");
      }
      Phase hardware{"hardware", JointSpace({nullptr}, searched_hardware(flow)), flow.network_trials,
                     flow.trials - flow.network_trials, flow.flow.seed + 1, winner->genotype, {}};
      runner.run(hardware);
      break;
    }
  }

  SearchSummary summary;
  summary.trials = runner.trials();
  summary.evaluated = runner.evaluated();
  summary.resumed = runner.resumed();
  const std::vector<std::int64_t> best = best_trials(flow, summary.trials, summary.trials.size());
  if (!best.empty()) summary.best = best.front();
  std::vector<Objectives> objectives;
  std::vector<std::int64_t> numbers;
  for (const TrialRecord& trial : summary.trials) {
    if (trial.status != TrialStatus::ok) continue;
    objectives.push_back(trial.objectives);
    numbers.push_back(trial.number);
  }
  for (std::size_t i : pareto_front(objectives)) summary.pareto.push_back(numbers[i]);

  // The winners, best first: validated earlier (resume), here one after another, or on the
  // cluster all at once.
  const std::vector<std::int64_t> winners = best_trials(flow, summary.trials, static_cast<std::size_t>(flow.validate_top));
  std::map<std::int64_t, ValidationRecord> validated;
  for (const ValidationRecord& v : study.validations()) validated.emplace(v.trial, v);
  std::vector<TrialRecord> to_validate;
  for (std::int64_t number : winners) {
    if (!validated.count(number)) to_validate.push_back(summary.trials.at(static_cast<std::size_t>(number)));
  }
  if (runner.on_cluster()) {
    for (ValidationRecord& validation : runner.validate_on_cluster(to_validate)) {
      study.record_validation(validation);
      validated[validation.trial] = std::move(validation);
    }
  } else {
    for (const TrialRecord& trial : to_validate) {
      if (options.log) options.log("validating trial " + std::to_string(trial.number) + " on the RTL (co-simulation)");
      validated[trial.number] = validate_with(flow, runner.scorer(), trial, options.cache_dir, options.log);
      study.record_validation(validated[trial.number]);
    }
  }
  for (std::int64_t number : winners) summary.validated.push_back(validated.at(number));
  return summary;
}

ValidationRecord validate_trial(const SearchFlow& flow, const TrialRecord& trial, const std::string& cache_dir,
                                const std::function<void(const std::string&)>& log) {
  const CandidateScorer scorer(flow, cache_dir);
  return validate_with(flow, scorer, trial, cache_dir, log);
}

}  // namespace tandem
