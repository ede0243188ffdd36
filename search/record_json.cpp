// The JSON form of the study's records (study show --json, validation.json, the report).
#include <cmath>
#include <limits>
#include <stdexcept>
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

// Reading back what number_or_null/optional_json wrote: null is NaN or absent.
double number_or_nan(const nlohmann::json& value) {
  return value.is_null() ? std::numeric_limits<double>::quiet_NaN() : value.get<double>();
}

template <typename T>
std::optional<T> optional_from(const nlohmann::json& value) {
  if (value.is_null()) return std::nullopt;
  return value.get<T>();
}

}  // namespace

// JSON has no infinities or NaN; objectives of failed trials may be +inf, so they are spelled
// as strings and read back exactly.
nlohmann::json doubles_to_json(const std::vector<double>& values) {
  nlohmann::json array = nlohmann::json::array();
  for (double value : values) {
    if (std::isfinite(value)) array.push_back(value);
    else if (std::isnan(value)) array.push_back("nan");
    else array.push_back(value > 0 ? "inf" : "-inf");
  }
  return array;
}

std::vector<double> doubles_from_json(const nlohmann::json& array) {
  std::vector<double> values;
  for (const auto& value : array) {
    if (value.is_number()) { values.push_back(value.get<double>()); continue; }
    const std::string text = value.get<std::string>();
    if (text == "nan") values.push_back(std::numeric_limits<double>::quiet_NaN());
    else values.push_back(text == "inf" ? std::numeric_limits<double>::infinity()
                                        : -std::numeric_limits<double>::infinity());
  }
  return values;
}

TrialRecord trial_from_json(const nlohmann::json& json) {
  const auto field = [&json](const char* key) -> const nlohmann::json& {
    if (!json.is_object() || !json.contains(key)) throw std::runtime_error(std::string("no field '") + key + "'");
    return json.at(key);
  };
  try {
    TrialRecord t;
    t.number = field("number").get<std::int64_t>();
    t.batch = field("batch").get<std::int64_t>();
    const std::string status = field("status").get<std::string>();
    const auto parsed = parse_trial_status(status);
    if (!parsed) throw std::runtime_error("unknown status '" + status + "'");
    t.status = *parsed;
    t.reason = field("reason").get<std::string>();
    t.point = field("point").get<Point>();
    t.genotype = field("genotype").get<Genotype>();
    t.network = field("network").get<std::string>();
    t.network_hash = field("network_hash").get<std::string>();
    t.accelerator = accelerator_from_json(field("accelerator"));
    t.accelerator_hash = field("accelerator_hash").get<std::string>();
    t.accuracy = optional_from<double>(field("accuracy"));
    t.latency_us = optional_from<double>(field("latency_us"));
    t.energy_uj = optional_from<double>(field("energy_uj"));
    t.area_mm2 = optional_from<double>(field("area_mm2"));
    t.cycles = optional_from<std::uint64_t>(field("cycles"));
    t.macs = optional_from<std::int64_t>(field("macs"));
    t.reward = number_or_nan(field("reward"));
    t.objectives = doubles_from_json(field("objectives"));
    t.fidelity = field("fidelity").get<std::string>();
    const nlohmann::json& seconds = field("seconds");
    t.seconds_hardware = number_or_nan(seconds.at("hardware"));
    t.seconds_accuracy = number_or_nan(seconds.at("accuracy"));
    t.seconds_total = number_or_nan(seconds.at("total"));
    t.finished_at = field("finished_at").get<std::string>();
    t.metrics = field("metrics");
    t.accuracy_detail = field("accuracy_detail");
    return t;
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("not a trial record: ") + e.what());
  }
}

ValidationRecord validation_from_json(const nlohmann::json& json) {
  try {
    ValidationRecord v;
    v.trial = json.at("trial").get<std::int64_t>();
    v.agree = json.at("agree").get<bool>();
    v.message = json.at("message").get<std::string>();
    v.rtl_latency_us = optional_from<double>(json.at("rtl_latency_us"));
    v.analytic_latency_us = optional_from<double>(json.at("analytic_latency_us"));
    v.rtl_energy_uj = optional_from<double>(json.at("rtl_energy_uj"));
    v.analytic_energy_uj = optional_from<double>(json.at("analytic_energy_uj"));
    v.retrained_accuracy = optional_from<double>(json.at("retrained_accuracy"));
    v.finished_at = json.at("finished_at").get<std::string>();
    v.rtl_metrics = json.at("rtl_metrics");
    return v;
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("not a validation record: ") + e.what());
  }
}

OrderedJson to_json(const JobRecord& j) {
  return {{"job_id", j.job_id},     {"kind", j.kind},         {"key", j.key},
          {"attempt", j.attempt},   {"state", j.state},       {"reason", j.reason},
          {"log_file", j.log_file}, {"submitted_at", j.submitted_at}, {"finished_at", j.finished_at},
          {"result", j.result}};
}

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
  json["objectives"] = doubles_to_json(t.objectives);
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
