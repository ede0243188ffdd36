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
#include "core/table.h"
#include "models/network_io.h"
#include "models/topology_csv.h"
#include "sim/network_simulation.h"

using namespace tandem;

namespace {

AcceleratorConfig bench_config(Dataflow dataflow, int depthwise_kernel) {
  AcceleratorConfig c;
  c.vector.depthwise_kernel = depthwise_kernel;
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

std::string percent(double fraction) { return fixed_number(100 * fraction, 1) + "%"; }

// A layer's row: what it costs and where its cycles go (cycle_breakdown, core/metrics.h).
std::vector<std::string> layer_figures(const LayerMetrics& layer, const AcceleratorConfig& c) {
  const auto breakdown = cycle_breakdown(layer);
  return {std::to_string(layer.cycles), percent(utilization(layer.macs, layer.cycles, c)),
          breakdown["compute"].dump(), breakdown["vector"].dump(), breakdown["dma"].dump(),
          breakdown["dma_stall"].dump()};
}
const std::vector<std::string> kFigureHeaders = {"cycles", "util", "compute", "vector", "dma", "dma stall"};

Table figures_table(std::vector<std::string> leading) {
  Table table;
  table.headers = std::move(leading);
  table.headers.insert(table.headers.end(), kFigureHeaders.begin(), kFigureHeaders.end());
  table.right_aligned.assign(table.headers.size(), true);
  return table;
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
  std::printf("%s on 16x16 %s (depthwise kernel %d): %zu layers, %d not mapped, %llu cycles, %s array utilization\n",
              source.c_str(), dataflow_label(config.array.dataflow), config.vector.depthwise_kernel, m.layers.size(),
              unmapped,
              static_cast<unsigned long long>(cycles), percent(utilization(macs, cycles, config)).c_str());
  Table kinds;
  kinds.headers = {"layer kind", "share of cycles", "utilization"};
  kinds.right_aligned = {false, true, true};
  for (const auto& [kind, figures] : by_kind) {
    kinds.rows.push_back({kind, percent(cycles ? static_cast<double>(figures.second) / static_cast<double>(cycles) : 0.0),
                          percent(utilization(figures.first, figures.second, config))});
  }
  std::printf("%s", kinds.text("  ").c_str());
  std::vector<const LayerMetrics*> layers;
  for (const LayerMetrics& layer : m.layers) layers.push_back(&layer);
  std::stable_sort(layers.begin(), layers.end(),
                   [](const LayerMetrics* a, const LayerMetrics* b) { return a->macs > b->macs; });
  Table table = figures_table({"layer", "kind", "MACs"});
  table.right_aligned[0] = table.right_aligned[1] = false;
  for (int i = 0; i < top && i < static_cast<int>(layers.size()); ++i) {
    const LayerMetrics& layer = *layers[static_cast<std::size_t>(i)];
    if (!layer.ok()) continue;
    std::vector<std::string> row = {layer.name, layer.kind, std::to_string(layer.macs)};
    for (std::string& cell : layer_figures(layer, config)) row.push_back(std::move(cell));
    table.rows.push_back(std::move(row));
  }
  if (!table.rows.empty()) std::printf("%s", table.text("  ").c_str());
  for (const LayerMetrics* layer : layers) {
    if (!layer->ok()) std::printf("  not mapped: %s: %s\n", layer->name.c_str(), layer->error.c_str());
  }
}

void bench_scalesim(const std::string& path, const AcceleratorConfig& config, int count) {
  // SCALE-Sim v2's compute cycles on a 16x16 WS array (../shared/scale-sim/README.md).
  const std::vector<std::uint64_t> scalesim_ws = {50359, 218627, 100719, 114551, 101823, 213263, 203647};
  std::printf("SCALE-Sim %s rows on 16x16 %s (SCALE-Sim v2 compute cycles: 16x16 WS)\n", path.c_str(),
              dataflow_label(config.array.dataflow));
  Table table = figures_table({"row", "shape", "scalesim", "ratio"});
  table.right_aligned[0] = table.right_aligned[1] = false;
  const std::vector<TopologyRow> rows = parse_topology_rows(read_file(path), path);
  for (int i = 0; i < count && i < static_cast<int>(rows.size()); ++i) {
    const TopologyRow& r = rows[static_cast<std::size_t>(i)];
    const LayerMetrics layer = simulate(topology_row_network(r), config).layers.at(0);
    const std::string shape = std::to_string(r.ifmap_h) + "x" + std::to_string(r.ifmap_w) + "x" +
                              std::to_string(r.channels) + " k" + std::to_string(r.filter_h) + "x" +
                              std::to_string(r.filter_w) + " s" + std::to_string(r.stride_h) + " -> " +
                              std::to_string(r.filters);
    if (!layer.ok()) {
      table.rows.push_back({r.name, shape, "not mapped: " + layer.error});
      continue;
    }
    const bool known = static_cast<std::size_t>(i) < scalesim_ws.size();
    const std::uint64_t reference = known ? scalesim_ws[static_cast<std::size_t>(i)] : 0;
    std::vector<std::string> row = {
        r.name, shape, known ? std::to_string(reference) : "-",
        known ? fixed_number(static_cast<double>(layer.cycles) / static_cast<double>(reference), 2) : "-"};
    for (std::string& cell : layer_figures(layer, config)) row.push_back(std::move(cell));
    table.rows.push_back(std::move(row));
  }
  std::printf("%s", table.text("  ").c_str());
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_efficiency: array utilization of the generated accelerator"};
  std::vector<std::string> networks = {"zoo:resnet50", "zoo:mobilenet_v2", "zoo:efficientnet_edgetpu_s"};
  int top = 8;
  int scalesim_rows = 7;
  int depthwise_kernel = AcceleratorConfig{}.vector.depthwise_kernel;
  std::string scalesim = "../shared/scale-sim/topologies/conv_nets/mobilenet.csv";
  app.add_option("--networks", networks, "networks (zoo:NAME, YAML, CSV)")->delimiter(',');
  app.add_option("--layers", top, "per network, the layers with the most MACs to list");
  app.add_option("--scalesim", scalesim, "a SCALE-Sim topology whose rows are run as independent layers");
  app.add_option("--scalesim-rows", scalesim_rows, "how many of its rows");
  app.add_option("--depthwise-kernel", depthwise_kernel,
                 "vector.depthwise_kernel of the benchmarked accelerators (0: no sliding window)")
      ->check(CLI::Range(0, 15));
  CLI11_PARSE(app, argc, argv);
  try {
    for (Dataflow dataflow : {Dataflow::weight_stationary, Dataflow::output_stationary}) {
      const AcceleratorConfig config = bench_config(dataflow, depthwise_kernel);
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
