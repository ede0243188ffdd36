#include "core/metrics.h"

#include <algorithm>

namespace tandem {

std::uint64_t NetworkMetrics::total_cycles() const {
  std::uint64_t total = 0;
  for (const auto& layer : layers) total += layer.cycles;
  return total;
}

double NetworkMetrics::latency_us() const {
  return clock_mhz > 0 ? static_cast<double>(total_cycles()) / clock_mhz : 0.0;
}

std::int64_t NetworkMetrics::total_macs() const {
  std::int64_t total = 0;
  for (const auto& layer : layers) total += layer.macs;
  return total;
}

std::map<std::string, double> NetworkMetrics::total_energy_pj() const {
  std::map<std::string, double> total;
  for (const auto& layer : layers) {
    for (const auto& [component, pj] : layer.energy_pj) total[component] += pj;
  }
  return total;
}

std::optional<std::uint64_t> NetworkMetrics::total_analytic_cycles() const {
  std::uint64_t total = 0;
  for (const auto& layer : layers) {
    if (!layer.analytic_cycles) return std::nullopt;
    total += *layer.analytic_cycles;
  }
  return total;
}

std::optional<double> NetworkMetrics::total_analytic_energy_pj() const {
  double total = 0;
  for (const auto& layer : layers) {
    if (!layer.analytic_energy_pj) return std::nullopt;
    total += *layer.analytic_energy_pj;
  }
  return total;
}

bool NetworkMetrics::all_ok() const {
  return std::all_of(layers.begin(), layers.end(), [](const LayerMetrics& layer) {
    return layer.ok() && layer.bit_exact.value_or(true);
  });
}

namespace {
std::uint64_t counter(const LayerMetrics& layer, const char* name) {
  auto found = layer.counters.find(name);
  return found == layer.counters.end() ? 0 : found->second;
}
}  // namespace

nlohmann::ordered_json cycle_breakdown(const LayerMetrics& layer) {
  return {{"compute", counter(layer, "array_busy_cycles")},
          {"vector", counter(layer, "vector_busy_cycles")},
          {"dma", counter(layer, "dma_busy_cycles")},
          {"dma_stall", counter(layer, "stall_on_dma_cycles")},
          {"idle", counter(layer, "idle_cycles")}};
}

nlohmann::ordered_json to_json(const LayerMetrics& layer) {
  nlohmann::ordered_json json;
  json["name"] = layer.name;
  json["kind"] = layer.kind;
  json["evaluator"] = layer.evaluator;
  if (!layer.ok()) json["error"] = layer.error;
  json["macs"] = layer.macs;
  json["cycles"] = layer.cycles;
  if (layer.bit_exact) json["bit_exact"] = *layer.bit_exact;
  json["breakdown"] = cycle_breakdown(layer);
  if (!layer.energy_pj.empty()) json["energy_pj"] = layer.energy_pj;
  json["counters"] = layer.counters;
  if (!layer.estimated.empty()) json["estimated_counters"] = layer.estimated;
  if (layer.analytic_cycles) json["analytic_cycles"] = *layer.analytic_cycles;
  if (layer.analytic_energy_pj) json["analytic_energy_pj"] = *layer.analytic_energy_pj;
  json["seconds"] = layer.seconds;
  return json;
}

nlohmann::ordered_json to_json(const NetworkMetrics& metrics) {
  nlohmann::ordered_json json;
  json["network"] = metrics.network;
  json["accelerator_hash"] = metrics.accelerator_hash;
  json["layers"] = nlohmann::ordered_json::array();
  for (const auto& layer : metrics.layers) json["layers"].push_back(to_json(layer));
  json["total"] = {{"cycles", metrics.total_cycles()},
                   {"latency_us", metrics.latency_us()},
                   {"macs", metrics.total_macs()},
                   {"ok", metrics.all_ok()}};
  const auto energy = metrics.total_energy_pj();
  if (!energy.empty()) json["total"]["energy_pj"] = energy;
  if (const auto cycles = metrics.total_analytic_cycles(); cycles && !metrics.layers.empty()) {
    json["total"]["analytic_cycles"] = *cycles;
    if (const auto pj = metrics.total_analytic_energy_pj()) json["total"]["analytic_energy_pj"] = *pj;
  }
  if (!metrics.area_mm2.empty()) json["total"]["area_mm2"] = metrics.area_mm2;
  return json;
}

}  // namespace tandem
