// bench_mesh: one big array against meshes of small cores (docs/mesh.md, docs/results.md
// "Meshes"), at equal MACs per cycle, equal total scratchpad, equal total vector lanes and equal
// total DRAM bandwidth: a 16x16 core, 2x1 cores of 16x8, 2x2 cores of 8x8 and 4x4 cores of 4x4.
// For the zoo networks (weight-stationary, analytic model on the search's synthetic operands:
// the cycles of the RTL, held by t_mesh_rtl and t_analytic_rtl): cycles, array utilization,
// latency at each design's estimated sky130 clock, energy, area, DRAM traffic, unmapped layers.
//
// --splits: how good the compiler's split rule is (docs/compiler.md, "Meshes"): every layer
// compiled with each candidate split on the 2x2 and 4x4 meshes, the analytic cycles of the rule's
// pick against the best candidate's (an oracle), every-core-on-rows and every-core-on-channels.
//
// Usage: bench_mesh [--networks zoo:resnet50,...] [--bytes-per-cycle N] [--dataflow ws|os] [--splits]
// Prints figures; asserts nothing.
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <limits>
#include <optional>

#include "analytic/analytic_model.h"
#include "compiler/compiler.h"
#include "core/number_format.h"
#include "core/table.h"
#include "cost/cost.h"
#include "models/network_io.h"
#include "models/random_quantization.h"
#include "sim/network_simulation.h"

using namespace tandem;

namespace {

// `cores` = x * y cores sharing 256 PEs, 192 KiB of scratchpad, 16 lanes and `bpc` bytes/cycle.
AcceleratorConfig mesh_design(int x, int y, int rows, int cols, int bpc, Dataflow dataflow) {
  const int cores = x * y;
  AcceleratorConfig c;
  c.array = {rows, cols, dataflow};
  c.buffers = {64 / cores, 64 / cores, 64 / cores, 4};
  c.vector.lanes = 16 / cores;
  c.dram.bytes_per_cycle = bpc / cores;
  c.mesh = {x, y};
  return c;
}

std::string design_name(const AcceleratorConfig& c) {
  return std::to_string(c.mesh.x) + "x" + std::to_string(c.mesh.y) + " of " + std::to_string(c.array.rows) +
         "x" + std::to_string(c.array.cols);
}

// The split rule against the alternatives, over a network's layers on one mesh.
void bench_splits(const std::string& source, const AcceleratorConfig& config) {
  Network network = load_network(source);
  quantize_randomly(network, 1);
  constexpr std::uint64_t kUnmapped = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t rule = 0, oracle = 0, rows = 0, channels = 0;
  int layers = 0, best_picked = 0;
  for (const Layer& layer : network.layers) {
    std::vector<Tensor8> inputs;
    for (const TensorShape& shape : layer.input_shapes) inputs.push_back(Tensor8::zeros(shape));
    std::vector<const Tensor8*> pointers;
    for (const Tensor8& t : inputs) pointers.push_back(&t);
    auto cycles = [&](const MeshSplit& split) {
      try {
        return evaluate_analytic(compile_layer_on_mesh(layer, pointers, config, split)).cycles;
      } catch (const MappingError&) {
        return kUnmapped;
      }
    };
    // Each candidate compiled and timed once; the rule's pick is one of them.
    const MeshSplit chosen = choose_mesh_split(layer, config);
    std::uint64_t picked = kUnmapped, best = kUnmapped, all_rows = kUnmapped, all_channels = kUnmapped;
    for (const MeshSplit& split : candidate_mesh_splits(layer, config)) {
      const std::uint64_t c = cycles(split);
      best = std::min(best, c);
      if (split.row_bands == chosen.row_bands && split.channel_groups == chosen.channel_groups) picked = c;
      if (split.channel_groups == 1 && split.row_bands > 1) all_rows = c;
      if (split.row_bands == 1 && split.channel_groups > 1) all_channels = c;
    }
    if (picked == kUnmapped) continue;
    ++layers;
    best_picked += picked == best ? 1 : 0;
    rule += picked;
    oracle += best;
    rows += all_rows == kUnmapped ? picked : all_rows;  // a layer without rows (or channels) keeps the rule's
    channels += all_channels == kUnmapped ? picked : all_channels;
  }
  auto ratio = [&](std::uint64_t c) { return fixed_number(static_cast<double>(c) / static_cast<double>(oracle), 3); };
  std::printf("  %-20s %-12s layers %3d  rule picks the best on %3d  cycles / oracle: rule %s, all rows %s, all channels %s\n",
              source.c_str(), design_name(config).c_str(), layers, best_picked, ratio(rule).c_str(),
              ratio(rows).c_str(), ratio(channels).c_str());
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_mesh: one big array vs meshes of small cores at equal resources"};
  std::vector<std::string> networks = {"zoo:resnet50", "zoo:mobilenet_v2", "zoo:mnasnet_a1",
                                       "zoo:efficientnet_b0"};
  int bpc = 32;
  std::string dataflow = "ws";
  app.add_option("--networks", networks, "networks (zoo:NAME or files)")->delimiter(',');
  app.add_option("--bytes-per-cycle", bpc, "total DRAM bytes per cycle, divided among the cores")
      ->check(CLI::IsMember({4, 8, 16, 32, 64, 128}));
  app.add_option("--dataflow", dataflow, "ws or os")->check(CLI::IsMember({"ws", "os"}));
  bool splits = false;
  app.add_flag("--splits", splits, "the split rule against the best candidate, per layer");
  CLI11_PARSE(app, argc, argv);
  const Dataflow flow = dataflow == "ws" ? Dataflow::weight_stationary : Dataflow::output_stationary;
  if (splits) {
    std::printf("split rule vs the best candidate split (analytic cycles, summed over the mapped layers)\n");
    for (const std::string& source : networks) {
      for (const AcceleratorConfig& c : {mesh_design(2, 2, 8, 8, bpc, flow), mesh_design(4, 4, 4, 4, bpc, flow)}) {
        bench_splits(source, c);
      }
    }
    return 0;
  }

  const std::vector<AcceleratorConfig> designs = {
      mesh_design(1, 1, 16, 16, bpc, flow), mesh_design(2, 1, 16, 8, bpc, flow),
      mesh_design(2, 2, 8, 8, bpc, flow), mesh_design(4, 4, 4, 4, bpc, flow)};
  std::printf("designs: 256 PEs, 192 KiB scratchpad, 16 vector lanes and %d DRAM bytes/cycle in all, %s\n",
              bpc, dataflow == "ws" ? "weight-stationary" : "output-stationary");
  Table areas;
  areas.headers = {"design", "per core", "area mm^2", "fmax MHz"};
  areas.right_aligned = {false, false, true, true};
  for (const AcceleratorConfig& c : designs) {
    areas.rows.push_back({design_name(c),
                          std::to_string(c.buffers.input_kib) + "/" + std::to_string(c.buffers.weight_kib) + "/" +
                              std::to_string(c.buffers.output_kib) + " KiB, " + std::to_string(c.vector.lanes) +
                              " lanes, " + std::to_string(c.dram.bytes_per_cycle) + " B/cycle",
                          fixed_number(estimate_area(c, default_technology()).total(), 3),
                          fixed_number(estimate_clock(c).fmax_mhz, 0)});
  }
  std::printf("%s\n", areas.text("  ").c_str());

  for (const std::string& source : networks) {
    const Network network = load_network(source);
    Table table;
    table.headers = {"design", "cycles", "util", "latency us", "energy uJ", "DRAM MB", "unmapped"};
    table.right_aligned = {false, true, true, true, true, true, true};
    for (const AcceleratorConfig& base : designs) {
      AcceleratorConfig c = base;
      c.clock_mhz = static_cast<int>(estimate_clock(c).fmax_mhz);
      SimulationOptions options;
      options.synthetic_operands = true;
      const NetworkMetrics m = simulate_network(network, c, options);
      std::uint64_t cycles = 0, dram = 0;
      std::int64_t macs = 0;
      int unmapped = 0;
      for (const LayerMetrics& layer : m.layers) {
        if (!layer.ok()) {
          ++unmapped;
          continue;
        }
        cycles += layer.cycles;
        macs += layer.macs;
        dram += layer.counters.at("dram_read_bytes") + layer.counters.at("dram_write_bytes");
      }
      const double util = cycles ? static_cast<double>(macs) / (static_cast<double>(cycles) * 256) : 0;
      table.rows.push_back({design_name(c), std::to_string(cycles), fixed_number(100 * util, 1) + "%",
                            fixed_number(static_cast<double>(cycles) / c.clock_mhz, 0),
                            fixed_number(m.total_energy_pj().at("total") / 1e6, 1),
                            fixed_number(static_cast<double>(dram) / 1e6, 1), std::to_string(unmapped)});
    }
    std::printf("%s (%lld MACs)\n%s\n", source.c_str(), static_cast<long long>(total_macs(network)),
                table.text("  ").c_str());
  }
  return 0;
}
