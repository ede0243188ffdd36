// The JSON form of the study's records (study show --json, validation.json, the report).
#include <cmath>
#include <type_traits>

#include "core/accelerator_yaml.h"
#include "search/study.h"

namespace tandem {
namespace {

using OrderedJson = nlohmann::ordered_json;

OrderedJson number_or_null(double value) {
  return std::isfinite(value) ? OrderedJson(value) : OrderedJson();
}

template <typename T>
OrderedJson optional_json(const std::optional<T>& value) {
  if (!value) return OrderedJson();
  if constexpr (std::is_floating_point_v<T>) return number_or_null(*value);
  else return OrderedJson(*value);
}

}  // namespace

OrderedJson to_json(const TrialRecord& t) {
  OrderedJson json;
  json["number"] = t.number;
  json["batch"] = t.batch;
  json["status"] = trial_status_name(t.status);
  json["reason"] = t.reason;
  json["point"] = t.point;
  json["genotype"] = t.genotype;
  json["network"] = t.network;
  json["network_hash"] = t.network_hash;
  json["accelerator"] = accelerator_to_json(t.accelerator);
  json["accelerator_hash"] = t.accelerator_hash;
  json["accuracy"] = optional_json(t.accuracy);
  json["latency_us"] = optional_json(t.latency_us);
  json["energy_uj"] = optional_json(t.energy_uj);
  json["area_mm2"] = optional_json(t.area_mm2);
  json["cycles"] = optional_json(t.cycles);
  json["macs"] = optional_json(t.macs);
  json["reward"] = number_or_null(t.reward);
  json["objectives"] = OrderedJson::array();
  for (double objective : t.objectives) json["objectives"].push_back(number_or_null(objective));
  json["fidelity"] = t.fidelity;
  json["seconds"] = {{"hardware", number_or_null(t.seconds_hardware)},
                     {"accuracy", number_or_null(t.seconds_accuracy)},
                     {"total", number_or_null(t.seconds_total)}};
  json["finished_at"] = t.finished_at;
  json["metrics"] = t.metrics;
  json["accuracy_detail"] = t.accuracy_detail;
  return json;
}

OrderedJson to_json(const ValidationRecord& v) {
  return {{"trial", v.trial},
          {"agree", v.agree},
          {"message", v.message},
          {"rtl_latency_us", optional_json(v.rtl_latency_us)},
          {"analytic_latency_us", optional_json(v.analytic_latency_us)},
          {"rtl_energy_uj", optional_json(v.rtl_energy_uj)},
          {"analytic_energy_uj", optional_json(v.analytic_energy_uj)},
          {"retrained_accuracy", optional_json(v.retrained_accuracy)},
          {"finished_at", v.finished_at},
          {"rtl_metrics", v.rtl_metrics}};
}

}  // namespace tandem
