// Evaluating one candidate of a study: a pure function of (candidate, flow), so that it runs
// the same in a worker thread, in another process (`tandem evaluate`) or on another machine.
// Cheap checks first: the analytic model gives latency, energy and area, and a candidate that
// breaks a hardware constraint is rejected before any training; then the accuracy meter;
// then every constraint again and the objective.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "models/network.h"
#include "search/joint_space.h"
#include "search/search_flow.h"
#include "search/trial.h"

namespace tandem {

class CandidateScorer {
 public:
  // Loads the flow's fixed network (hardware_only) and sets up the accuracy meter with its
  // cache in <cache root>/accuracy (cache_root "": the co-simulation's default root). Throws
  // InputError/std::runtime_error for a network that cannot be loaded.
  CandidateScorer(const SearchFlow& flow, const std::string& cache_root);

  // The network a candidate runs: its genotype decoded in the flow's network space, or the
  // fixed network when the genotype is empty.
  Network network_of(const Candidate& candidate) const;
  // Genotype hash, or a hash of the fixed network's structure and weights.
  std::string network_hash(const Candidate& candidate) const;

  // Never throws for a bad candidate: failures (unmappable layer, failed or timed-out
  // training) give status failed with the reason, broken constraints status rejected.
  // `number`/`batch`/`point` are copied into the record.
  TrialRecord score(const Candidate& candidate) const;
  // The record of a candidate whose evaluation never finished (a cluster job that failed every
  // attempt): status failed with `reason`, the candidate's identity filled in as score() does.
  TrialRecord unevaluated(const Candidate& candidate, const std::string& reason) const;

  // Before the first candidate: trains the supernet of a `kind: supernet` flow unless cached
  // (progress lines to `progress`; with `remote`, as a cluster job). Nothing to do for the other
  // kinds.
  void prepare(const std::function<void(const std::string&)>& progress,
               const AccuracyMeter::RemoteRunner& remote = {}) const;
  // The stand-alone training of a design to validate, for a flow whose candidates' accuracies
  // came from the supernet: its `retrain:` recipe, cached like `kind: train` (the trained network
  // kept in the study's folder); nullopt for the other kinds, whose trials already hold it.
  std::optional<AccuracyResult> retrain(const TrialRecord& trial) const;

 private:
  // A record with the candidate's identity (genotype, accelerator and its hash), not yet scored.
  TrialRecord candidate_record(const Candidate& candidate) const;
  // The network's name: the fixed network's, or the genotype's one-line description.
  std::string network_name(const Candidate& candidate) const;

  const SearchFlow& flow_;
  const NetworkSpace* space_ = nullptr;
  Network fixed_network_;
  std::string fixed_network_hash_;
  AccuracyMeter accuracy_;
  std::optional<AccuracyMeter> retrain_;  // `kind: supernet` flows
};

}  // namespace tandem
