// bench_efficiency: how busy the generated accelerator keeps its array (docs/results.md).
// For the zoo networks and SCALE-Sim's own mobilenet.csv rows, on 16x16 weight- and
// output-stationary accelerators with 64/64/64 KiB buffers and 64 B/cycle DRAM: cycles, array
// utilization (the layers' useful MACs / (cycles x rows x cols)) and the cycle breakdown, per
// network and per large layer, from the analytic model (cycle-equal to the RTL, held by
// t_analytic_rtl). SCALE-Sim rows are independent layers in SCALE-Sim's semantics (no padding,
// `Num Filter` output channels) next to SCALE-Sim v2's measured compute cycles.
//
// Usage: bench_efficiency [--networks zoo:resnet50,...] [--layers N] [--scalesim FILE.csv]
// Prints figures; asserts nothing.
#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/files.h"
#include "core/number_format.h"
#include "models/network_io.h"
#include "models/topology_csv.h"
#include "sim/network_simulation.h"

using namespace tandem;

namespace {

AcceleratorConfig bench_config(Dataflow dataflow) {
  AcceleratorConfig c;
  c.array = {16, 16, dataflow};
  c.buffers = {64, 64, 64, 4};
  c.vector.lanes = 16;
  c.dram.bytes_per_cycle = 64;
  return c;
}

const char* dataflow_label(Dataflow d) { return d == Dataflow::weight_stationary ? "WS" : "OS"; }

double utilization(std::int64_t macs, std::uint64_t cycles, const AcceleratorConfig& c) {
  return cycles ? static_cast<double>(macs) / (static_cast<double>(cycles) * c.array.rows * c.array.cols) : 0.0;
}

std::uint64_t counter(const LayerMetrics& layer, const char* name) {
  const auto it = layer.counters.find(name);
  return it == layer.counters.end() ? 0 : it->second;
}

void print_layer_header() {
  std::printf("  %-22s %-10s %12s %10s %6s %10s %10s %10s %10s\n", "layer", "kind", "MACs", "cycles", "util",
              "compute", "vector", "dma", "dma stall");
}

void print_layer(const LayerMetrics& layer, const AcceleratorConfig& c) {
  if (!layer.ok()) {
    std::printf("  %-22s %-10s %12lld  not mapped: %s\n", layer.name.c_str(), layer.kind.c_str(),
                static_cast<long long>(layer.macs), layer.error.c_str());
    return;
  }
  std::printf("  %-22s %-10s %12lld %10llu %5.1f%% %10llu %10llu %10llu %10llu\n", layer.name.c_str(),
              layer.kind.c_str(), static_cast<long long>(layer.macs),
              static_cast<unsigned long long>(layer.cycles), 100 * utilization(layer.macs, layer.cycles, c),
              static_cast<unsigned long long>(counter(layer, "array_busy_cycles")),
              static_cast<unsigned long long>(counter(layer, "vector_busy_cycles")),
              static_cast<unsigned long long>(counter(layer, "dma_busy_cycles")),
              static_cast<unsigned long long>(counter(layer, "stall_on_dma_cycles")));
}

NetworkMetrics simulate(const Network& network, const AcceleratorConfig& config) {
  SimulationOptions options;
  options.evaluator = "analytic";
  return simulate_network(network, config, options);
}

// One network on one accelerator: the totals, time per layer kind, and the `top` layers with
// the most MACs.
void bench_network(const std::string& source, const AcceleratorConfig& config, int top) {
  const NetworkMetrics m = simulate(load_network(source), config);
  std::int64_t macs = 0;
  std::uint64_t cycles = 0;
  int unmapped = 0;
  std::map<std::string, std::pair<std::int64_t, std::uint64_t>> by_kind;  // macs, cycles
  for (const LayerMetrics& layer : m.layers) {
    if (!layer.ok()) {
      ++unmapped;
      continue;
    }
    macs += layer.macs;
    cycles += layer.cycles;
    by_kind[layer.kind].first += layer.macs;
    by_kind[layer.kind].second += layer.cycles;
  }
  std::printf("%s on 16x16 %s: %zu layers, %d not mapped, %llu cycles, %.1f%% array utilization\n",
              source.c_str(), dataflow_label(config.array.dataflow), m.layers.size(), unmapped,
              static_cast<unsigned long long>(cycles), 100 * utilization(macs, cycles, config));
  for (const auto& [kind, figures] : by_kind) {
    std::printf("  %-12s %5.1f%% of cycles at %5.1f%% utilization\n", kind.c_str(),
                cycles ? 100.0 * static_cast<double>(figures.second) / static_cast<double>(cycles) : 0.0,
                100 * utilization(figures.first, figures.second, config));
  }
  std::vector<const LayerMetrics*> layers;
  for (const LayerMetrics& layer : m.layers) layers.push_back(&layer);
  std::stable_sort(layers.begin(), layers.end(),
                   [](const LayerMetrics* a, const LayerMetrics* b) { return a->macs > b->macs; });
  if (top > 0) print_layer_header();
  for (int i = 0; i < top && i < static_cast<int>(layers.size()); ++i) print_layer(*layers[i], config);
  for (const LayerMetrics* layer : layers) {
    if (!layer->ok()) std::printf("  not mapped: %s: %s\n", layer->name.c_str(), layer->error.c_str());
  }
}

void bench_scalesim(const std::string& path, const AcceleratorConfig& config, int count) {
  // SCALE-Sim v2's compute cycles on a 16x16 WS array (../shared/scale-sim/README.md).
  const std::vector<std::uint64_t> scalesim_ws = {50359, 218627, 100719, 114551, 101823, 213263, 203647};
  std::printf("SCALE-Sim %s rows on 16x16 %s (SCALE-Sim v2 compute cycles: 16x16 WS)\n", path.c_str(),
              dataflow_label(config.array.dataflow));
  std::printf("  %-8s %-28s %10s %10s %6s %10s %10s %10s %8s\n", "row", "shape", "cycles", "scalesim", "ratio",
              "compute", "vector", "dma stall", "util");
  const std::vector<TopologyRow> rows = parse_topology_rows(read_file(path), path);
  for (int i = 0; i < count && i < static_cast<int>(rows.size()); ++i) {
    const TopologyRow& r = rows[static_cast<std::size_t>(i)];
    const NetworkMetrics m = simulate(topology_row_network(r), config);
    const LayerMetrics& layer = m.layers.at(0);
    char shape[64];
    std::snprintf(shape, sizeof shape, "%dx%dx%d k%dx%d s%d -> %d", r.ifmap_h, r.ifmap_w, r.channels, r.filter_h,
                  r.filter_w, r.stride, r.filters);
    if (!layer.ok()) {
      std::printf("  %-8s %-28s not mapped: %s\n", r.name.c_str(), shape, layer.error.c_str());
      continue;
    }
    const bool known = static_cast<std::size_t>(i) < scalesim_ws.size();
    const std::uint64_t reference = known ? scalesim_ws[static_cast<std::size_t>(i)] : 0;
    std::printf("  %-8s %-28s %10llu %10s %6s %10llu %10llu %10llu %7.1f%%\n", r.name.c_str(), shape,
                static_cast<unsigned long long>(layer.cycles), known ? std::to_string(reference).c_str() : "-",
                known ? fixed_number(static_cast<double>(layer.cycles) / static_cast<double>(reference), 2).c_str() : "-",
                static_cast<unsigned long long>(counter(layer, "array_busy_cycles")),
                static_cast<unsigned long long>(counter(layer, "vector_busy_cycles")),
                static_cast<unsigned long long>(counter(layer, "stall_on_dma_cycles")),
                100 * utilization(layer.macs, layer.cycles, config));
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_efficiency: array utilization of the generated accelerator"};
  std::vector<std::string> networks = {"zoo:resnet50", "zoo:mobilenet_v2", "zoo:efficientnet_edgetpu_s"};
  int top = 8;
  int scalesim_rows = 7;
  std::string scalesim = "../shared/scale-sim/topologies/conv_nets/mobilenet.csv";
  app.add_option("--networks", networks, "networks (zoo:NAME, YAML, CSV)")->delimiter(',');
  app.add_option("--layers", top, "per network, the layers with the most MACs to list");
  app.add_option("--scalesim", scalesim, "a SCALE-Sim topology whose rows are run as independent layers");
  app.add_option("--scalesim-rows", scalesim_rows, "how many of its rows");
  CLI11_PARSE(app, argc, argv);
  try {
    for (Dataflow dataflow : {Dataflow::weight_stationary, Dataflow::output_stationary}) {
      const AcceleratorConfig config = bench_config(dataflow);
      for (const std::string& network : networks) {
        bench_network(network, config, top);
        std::printf("\n");
      }
      if (!scalesim.empty() && scalesim_rows > 0) {
        bench_scalesim(scalesim, config, scalesim_rows);
        std::printf("\n");
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_efficiency: %s\n", e.what());
    return 1;
  }
  return 0;
}
