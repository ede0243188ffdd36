#include "search/candidate_scorer.h"

#include <chrono>
#include <filesystem>
#include <stdexcept>

#include "core/sha256.h"
#include "models/network_io.h"
#include "search/study.h"
#include "sim/network_simulation.h"
#include "cosim/rtl_cosim.h"

namespace tandem {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

CandidateMetrics candidate_metrics(const TrialRecord& trial) {
  CandidateMetrics metrics;
  metrics.accuracy = trial.accuracy;
  metrics.latency_us = trial.latency_us.value_or(0);
  metrics.energy_uj = trial.energy_uj.value_or(0);
  metrics.area_mm2 = trial.area_mm2.value_or(0);
  return metrics;
}

// The first layer that could not be evaluated, as the trial's failure reason.
std::string first_layer_error(const NetworkMetrics& metrics) {
  for (const LayerMetrics& layer : metrics.layers) {
    if (!layer.ok()) return "layer " + layer.name + ": " + layer.error;
  }
  return "a layer failed";
}

// The accuracy cache beside the simulators, shared by every study and `tandem evaluate`.
std::string accuracy_cache_dir(const std::string& cache_root) {
  CosimOptions cosim;
  cosim.cache_dir = cache_root;
  return cosim_cache_root(cosim) + "/accuracy";
}

// Trained networks are kept in the study's folder: the cache may evict its own copy.
std::string kept_networks_dir(const SearchFlow& flow) {
  return (std::filesystem::path(flow.flow.output_dir) / "networks").string();
}

}  // namespace

CandidateScorer::CandidateScorer(const SearchFlow& flow, const std::string& cache_root)
    : flow_(flow),
      space_(NetworkSpace::find(flow.network_space)),
      accuracy_(flow.accuracy, accuracy_cache_dir(cache_root), "") {
  if (!flow.flow.network.empty()) {
    fixed_network_ = load_network(flow.flow.network);
    fixed_network_hash_ = sha256_hex(network_to_yaml(fixed_network_)).substr(0, 16);
  }
  if (flow.accuracy.kind == "supernet") {
    AccuracySpec standalone;
    standalone.kind = "train";
    standalone.recipe = flow.accuracy.retrain;
    standalone.timeout_seconds = flow.accuracy.timeout_seconds;
    retrain_.emplace(standalone, accuracy_cache_dir(cache_root), "");
  }
}

void CandidateScorer::prepare(const std::function<void(const std::string&)>& progress,
                              const AccuracyMeter::RemoteRunner& remote) const {
  accuracy_.prepare(progress, remote);
}

std::optional<AccuracyResult> CandidateScorer::retrain(const TrialRecord& trial) const {
  if (!retrain_) return std::nullopt;
  const Candidate candidate{trial.genotype, trial.accelerator};
  return retrain_->measure(network_of(candidate), network_hash(candidate), kept_networks_dir(flow_));
}

Network CandidateScorer::network_of(const Candidate& candidate) const {
  if (candidate.genotype.empty()) return fixed_network_;
  if (!space_) throw std::invalid_argument("unknown network space '" + flow_.network_space + "'");
  return space_->decode(candidate.genotype);
}

std::string CandidateScorer::network_hash(const Candidate& candidate) const {
  return candidate.genotype.empty() ? fixed_network_hash_ : space_->hash(candidate.genotype);
}

std::string CandidateScorer::network_name(const Candidate& candidate) const {
  return candidate.genotype.empty() ? fixed_network_.name : space_->describe(candidate.genotype);
}

TrialRecord CandidateScorer::candidate_record(const Candidate& candidate) const {
  TrialRecord trial;
  trial.genotype = candidate.genotype;
  trial.accelerator = candidate.accelerator;
  trial.accelerator_hash = config_hash(candidate.accelerator);
  trial.fidelity = "analytic";
  return trial;
}

TrialRecord CandidateScorer::unevaluated(const Candidate& candidate, const std::string& reason) const {
  TrialRecord trial = candidate_record(candidate);
  trial.status = TrialStatus::failed;
  trial.reason = reason;
  try {
    trial.network_hash = network_hash(candidate);
    trial.network = network_name(candidate);
  } catch (const std::exception&) {  // the reason already says what went wrong
  }
  trial.finished_at = utc_timestamp();
  return trial;
}

TrialRecord CandidateScorer::score(const Candidate& candidate) const {
  const Clock::time_point start = Clock::now();
  TrialRecord trial = candidate_record(candidate);
  auto finish = [&](TrialStatus status, std::string reason) {
    trial.status = status;
    trial.reason = std::move(reason);
    const CandidateMetrics metrics = candidate_metrics(trial);
    if (status == TrialStatus::ok) {
      trial.reward = flow_.objective.kind == Objective::Kind::reward ? soft_reward(flow_.objective, metrics) : 0;
      trial.objectives = objective_vector(flow_.objective, metrics);
    }
    trial.seconds_total = seconds_since(start);
    trial.finished_at = utc_timestamp();
    return trial;
  };

  Network network;
  try {
    network = network_of(candidate);
    trial.network_hash = network_hash(candidate);
    trial.network = network_name(candidate);
    trial.macs = total_macs(network);
  } catch (const std::exception& e) {
    return finish(TrialStatus::failed, std::string("network: ") + e.what());
  }

  // 1. Hardware, from the analytic model (held cycle-equal to the RTL by the sim tests).
  const Clock::time_point hardware_start = Clock::now();
  try {
    SimulationOptions options;
    options.evaluator = "analytic";
    options.seed = flow_.flow.seed;
    options.synthetic_operands = true;  // no golden run: milliseconds per candidate, memoized layers
    const NetworkMetrics metrics = simulate_network(network, candidate.accelerator, options);
    trial.seconds_hardware = seconds_since(hardware_start);
    trial.metrics = to_json(metrics);
    if (!metrics.all_ok()) return finish(TrialStatus::failed, first_layer_error(metrics));
    trial.cycles = metrics.total_cycles();
    trial.latency_us = metrics.latency_us();
    trial.energy_uj = metrics.total_energy_pj()["total"] / 1e6;
    trial.area_mm2 = metrics.area_mm2.at("total");
  } catch (const std::exception& e) {
    trial.seconds_hardware = seconds_since(hardware_start);
    return finish(TrialStatus::failed, std::string("hardware: ") + e.what());
  }
  // The cheap check prunes the expensive one.
  if (auto broken = violated_constraint(flow_.constraints, candidate_metrics(trial))) {
    return finish(TrialStatus::rejected, *broken);
  }

  // 2. Accuracy (training, the supernet, or the user's command), cached by network and recipe.
  const AccuracyResult accuracy = accuracy_.measure(network, trial.network_hash, kept_networks_dir(flow_));
  trial.seconds_accuracy = accuracy.seconds;
  trial.accuracy_detail = accuracy.detail;
  if (trial.accuracy_detail.is_null()) trial.accuracy_detail = nlohmann::json::object();
  trial.accuracy_detail["cached"] = accuracy.cached;
  if (accuracy.float_accuracy) trial.accuracy_detail["float_accuracy"] = *accuracy.float_accuracy;
  if (!accuracy.network_file.empty()) trial.accuracy_detail["network_file"] = accuracy.network_file;
  if (!accuracy.ok) return finish(TrialStatus::failed, "accuracy: " + accuracy.error);
  trial.accuracy = accuracy.accuracy;

  // 3. Every constraint, then the objective.
  if (auto broken = violated_constraint(flow_.constraints, candidate_metrics(trial))) {
    return finish(TrialStatus::rejected, *broken);
  }
  return finish(TrialStatus::ok, "");
}

}  // namespace tandem
