// The metrics record: what an evaluation of a network on an accelerator yields, per layer and in
// total. One definition for the simulators, the energy model, the search and the reports.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tandem {

struct LayerMetrics {
  std::string name;
  std::string kind;       // layer kind name
  std::string evaluator;  // "rtl", "analytic" or "both" (RTL, checked against the model)
  std::string error;      // why the layer has no numbers (unmappable, stalled); empty when fine
  std::int64_t macs = 0;  // useful MACs of the layer (network IR); counters["macs"] counts issued
  std::uint64_t cycles = 0;  // the evaluator's: measured on the RTL for "rtl" and "both"
  std::map<std::string, std::uint64_t> counters;  // docs/isa.md activity counters by name
  std::optional<bool> bit_exact;  // against the golden reference, when outputs were computed
  std::vector<std::string> estimated;  // counters that are estimates (analytic evaluator)
  std::map<std::string, double> energy_pj;  // per component and "total"; empty if not priced
  double seconds = 0;             // host time of the evaluation
  // Evaluator "both": the analytic model's figures beside the RTL's (cycles, counters and
  // energy_pj above are the RTL's), so that a report can show both.
  std::optional<std::uint64_t> analytic_cycles;
  std::optional<double> analytic_energy_pj;  // total

  bool ok() const { return error.empty(); }
};

struct NetworkMetrics {
  std::string network;
  std::string accelerator_hash;
  int clock_mhz = 0;
  std::vector<LayerMetrics> layers;
  std::map<std::string, double> area_mm2;  // of the accelerator, per component and "total"

  std::uint64_t total_cycles() const;
  double latency_us() const;  // total cycles at the configured clock
  std::int64_t total_macs() const;
  std::map<std::string, double> total_energy_pj() const;  // per component, summed over layers
  // Evaluator "both": the analytic model's totals over the layers; absent when a layer has none.
  std::optional<std::uint64_t> total_analytic_cycles() const;
  std::optional<double> total_analytic_energy_pj() const;
  bool all_ok() const;        // every layer evaluated and, where checked, bit-exact
};

// Cycle breakdown of a layer from its counters (docs/cosim.md): compute = array busy,
// vector = vector busy, dma_stall = dispatch stalls waiting on the DMA.
nlohmann::ordered_json cycle_breakdown(const LayerMetrics& layer);
nlohmann::ordered_json to_json(const LayerMetrics& layer);
nlohmann::ordered_json to_json(const NetworkMetrics& metrics);

}  // namespace tandem
