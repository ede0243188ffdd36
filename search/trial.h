// The vocabulary of a study, shared by the strategies, the evaluation pipeline, the study
// database and the reports: a point of the joint space, what a strategy is told about it, and
// the record of one finished trial.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/accelerator_config.h"
#include "models/network_space.h"

namespace tandem {

// One choice index per gene of a SearchSpace (search_space.h), in gene order.
using Point = std::vector<int>;

// What a strategy learns about a point it proposed.
struct Feedback {
  bool ok = false;       // false: failed or rejected; reward/objectives are meaningless
  double reward = 0;     // scalar objective, larger is better (soft reward or a single metric)
  std::vector<double> objectives;  // multi-objective view, every entry minimized
};

enum class TrialStatus {
  ok,        // evaluated; every constraint holds
  rejected,  // a hard constraint failed (reason says which); not an error
  failed,    // the evaluation broke (unmappable layer, training failed, timeout)
};
const char* trial_status_name(TrialStatus status);
std::optional<TrialStatus> parse_trial_status(const std::string& name);

// One finished trial, as the study database stores it (one row) and reports read it.
struct TrialRecord {
  std::int64_t number = 0;  // 0-based, in the order the strategy proposed the points
  std::int64_t batch = 0;   // the ask() call it came from
  TrialStatus status = TrialStatus::failed;
  std::string reason;       // why rejected or failed; empty when ok

  Point point;
  Genotype genotype;              // empty when the network side is fixed
  std::string network;            // network name, or the genotype's one-line description
  std::string network_hash;       // genotype hash, or hash of the fixed network's structure
  AcceleratorConfig accelerator;
  std::string accelerator_hash;

  // Metrics; absent when the pipeline stopped before computing them.
  std::optional<double> accuracy;    // top-1 in [0, 1]
  std::optional<double> latency_us;
  std::optional<double> energy_uj;
  std::optional<double> area_mm2;
  std::optional<std::uint64_t> cycles;
  std::optional<std::int64_t> macs;
  double reward = 0;
  std::vector<double> objectives;    // as told to the strategy (minimized)
  std::string fidelity;              // "analytic" or "rtl" (validated)
  nlohmann::json metrics;            // the NetworkMetrics JSON (per layer), or null
  nlohmann::json accuracy_detail;    // what the accuracy meter reported, or null

  double seconds_hardware = 0;  // host time of each pipeline step
  double seconds_accuracy = 0;
  double seconds_total = 0;
  std::string finished_at;      // ISO 8601 UTC

  Feedback feedback() const;  // what the strategy is told
};

}  // namespace tandem
