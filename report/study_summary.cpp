#include "report/report.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "core/accelerator_yaml.h"
#include "core/number_format.h"
#include "search/pareto.h"

namespace tandem {

using OrderedJson = nlohmann::ordered_json;

const char* cost_metric_name(CostMetric cost) {
  return cost == CostMetric::latency_us ? "latency_us" : "energy_uj";
}

const char* cost_metric_label(CostMetric cost) {
  return cost == CostMetric::latency_us ? "latency (us)" : "energy (uJ)";
}

std::optional<double> cost_of(const TrialRecord& trial, CostMetric cost) {
  return cost == CostMetric::latency_us ? trial.latency_us : trial.energy_uj;
}

namespace {
bool finite(const std::optional<double>& value) { return value && std::isfinite(*value); }
}  // namespace

ParetoSet accuracy_pareto_set(const std::vector<TrialRecord>& trials, CostMetric cost) {
  ParetoSet set;
  set.cost = cost;
  set.name = std::string("accuracy_vs_") + cost_metric_name(cost);
  std::vector<const TrialRecord*> candidates;
  std::vector<Objectives> objectives;
  for (const auto& trial : trials) {
    if (trial.status != TrialStatus::ok || !finite(trial.accuracy) || !finite(cost_of(trial, cost))) {
      continue;
    }
    candidates.push_back(&trial);
    objectives.push_back({-*trial.accuracy, *cost_of(trial, cost)});
  }
  set.candidates = candidates.size();
  std::vector<const TrialRecord*> members;
  for (std::size_t index : pareto_front(objectives)) members.push_back(candidates[index]);
  std::stable_sort(members.begin(), members.end(), [cost](const TrialRecord* a, const TrialRecord* b) {
    return *cost_of(*a, cost) < *cost_of(*b, cost);
  });
  for (const auto* member : members) set.members.push_back(member->number);
  return set;
}

std::vector<ParetoSet> accuracy_pareto_sets(const std::vector<TrialRecord>& trials) {
  return {accuracy_pareto_set(trials, CostMetric::latency_us),
          accuracy_pareto_set(trials, CostMetric::energy_uj)};
}

const TrialRecord* best_trial(const std::vector<TrialRecord>& trials) {
  const TrialRecord* best = nullptr;
  for (const auto& trial : trials) {
    if (trial.status != TrialStatus::ok || std::isnan(trial.reward)) continue;
    if (!best || trial.reward > best->reward) best = &trial;
  }
  return best;
}

const TrialRecord* find_trial(const std::vector<TrialRecord>& trials, std::int64_t number) {
  for (const auto& trial : trials) {
    if (trial.number == number) return &trial;
  }
  return nullptr;
}

AcceleratorSummary summarize(const AcceleratorConfig& c) {
  const std::string mesh = mesh_cores(c) == 1 ? "" : std::to_string(c.mesh.x) + "x" + std::to_string(c.mesh.y) + " of ";
  return {mesh + std::to_string(c.array.rows) + "x" + std::to_string(c.array.cols),
          dataflow_name(c.array.dataflow),
          std::to_string(c.buffers.input_kib) + "/" + std::to_string(c.buffers.weight_kib) + "/" +
              std::to_string(c.buffers.output_kib) + " KiB x" + std::to_string(c.buffers.banks),
          std::to_string(c.vector.lanes)};
}

namespace {

std::string optional_text(const std::optional<double>& value, TableDetail detail, int digits = 4) {
  if (!value) return "";
  return detail == TableDetail::full ? exact_number(*value) : format_number(*value, digits);
}

template <typename Integer>
std::string optional_integer(const std::optional<Integer>& value) {
  return value ? std::to_string(*value) : "";
}

}  // namespace

Table trials_table(const std::vector<const TrialRecord*>& trials, TableDetail detail) {
  const bool full = detail == TableDetail::full;
  Table table;
  table.headers = {"number", "status", "network"};
  if (full) {
    table.headers.insert(table.headers.begin() + 1, "batch");
    table.headers.insert(table.headers.end(), {"network_hash", "accelerator_hash"});
    for (const auto& param : accelerator_space()) table.headers.push_back(param.name);
  } else {
    table.headers.insert(table.headers.end(), {"array", "dataflow", "buffers", "lanes"});
  }
  table.headers.insert(table.headers.end(), {"accuracy", "latency_us", "energy_uj", "area_mm2"});
  if (full) table.headers.insert(table.headers.end(), {"cycles", "macs"});
  table.headers.push_back("reward");
  if (full) table.headers.insert(table.headers.end(), {"fidelity", "seconds_total", "finished_at"});
  table.headers.push_back("reason");

  for (const TrialRecord* t : trials) {
    std::vector<std::string> row = {std::to_string(t->number), trial_status_name(t->status), t->network};
    if (full) {
      row.insert(row.begin() + 1, std::to_string(t->batch));
      row.insert(row.end(), {t->network_hash, t->accelerator_hash});
      for (const auto& param : accelerator_space()) row.push_back(param.format(param.get(t->accelerator)));
    } else {
      const AcceleratorSummary summary = summarize(t->accelerator);
      row.insert(row.end(), {summary.array, summary.dataflow, summary.buffers, summary.lanes});
    }
    row.insert(row.end(), {optional_text(t->accuracy, detail), optional_text(t->latency_us, detail),
                           optional_text(t->energy_uj, detail), optional_text(t->area_mm2, detail)});
    if (full) row.insert(row.end(), {optional_integer(t->cycles), optional_integer(t->macs)});
    row.push_back(full ? exact_number(t->reward) : format_number(t->reward));
    if (full) row.insert(row.end(), {t->fidelity, exact_number(t->seconds_total), t->finished_at});
    row.push_back(t->reason);
    table.rows.push_back(std::move(row));
  }
  return table;
}

Table trials_table(const std::vector<TrialRecord>& trials, TableDetail detail) {
  std::vector<const TrialRecord*> pointers;
  for (const auto& trial : trials) pointers.push_back(&trial);
  return trials_table(pointers, detail);
}

Table validations_table(const std::vector<ValidationRecord>& validations) {
  Table table;
  table.headers = {"trial", "agree", "rtl latency_us", "analytic latency_us", "rtl energy_uj",
                   "analytic energy_uj", "message"};
  for (const auto& v : validations) {
    table.rows.push_back({std::to_string(v.trial), v.agree ? "yes" : "NO",
                          optional_text(v.rtl_latency_us, TableDetail::compact, 6),
                          optional_text(v.analytic_latency_us, TableDetail::compact, 6),
                          optional_text(v.rtl_energy_uj, TableDetail::compact, 6),
                          optional_text(v.analytic_energy_uj, TableDetail::compact, 6), v.message});
  }
  return table;
}

Table jobs_table(const std::vector<const JobRecord*>& jobs) {
  Table table;
  table.headers = {"job", "kind", "key", "attempt", "state", "submitted", "finished", "reason", "log"};
  for (const JobRecord* job : jobs) {
    table.rows.push_back({job->job_id, job->kind, std::to_string(job->key), std::to_string(job->attempt), job->state,
                          job->submitted_at, job->finished_at.empty() ? "-" : job->finished_at,
                          job->reason.empty() ? "-" : job->reason, job->log_file});
  }
  return table;
}

Table meta_table(const std::map<std::string, std::string>& meta) {
  Table table;
  table.headers = {"key", "value"};
  for (const auto& [key, value] : meta) {
    // Multi-line values (the flow file) would break the table: first line and a line count.
    const auto lines = std::count(value.begin(), value.end(), '\n');
    std::string shown = value.substr(0, value.find('\n'));
    if (lines > 0 && value.find('\n') + 1 < value.size()) {
      shown += " ... (" + std::to_string(lines + (value.back() == '\n' ? 0 : 1)) + " lines)";
    }
    table.rows.push_back({key, shown});
  }
  return table;
}

OrderedJson study_json(const StudyContents& study) {
  OrderedJson json;
  json["path"] = study.path;
  json["meta"] = study.meta;
  json["trials"] = OrderedJson::array();
  for (const auto& trial : study.trials) json["trials"].push_back(to_json(trial));
  json["pareto"] = OrderedJson::object();
  for (const auto& set : accuracy_pareto_sets(study.trials)) {
    json["pareto"][set.name] = {{"candidates", set.candidates}, {"members", set.members}};
  }
  const TrialRecord* best = best_trial(study.trials);
  json["best_trial"] = best ? OrderedJson(best->number) : OrderedJson();
  json["validations"] = OrderedJson::array();
  for (const auto& validation : study.validations) json["validations"].push_back(to_json(validation));
  json["jobs"] = OrderedJson::array();
  for (const auto& job : study.jobs) json["jobs"].push_back(to_json(job));
  return json;
}

}  // namespace tandem
