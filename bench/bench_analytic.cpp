// bench_analytic: speed of the analytic model (analytic/analytic_model.h) on whole networks
// (MobileNetV2-224, ResNet-50 from the zoo, randomly quantized), per layer and per network,
// with compilation time reported beside it; and the area model (cost/cost.h) against the cell
// count of Yosys generic synthesis of generated arrays (docs/energy-area.md).
//
// Usage: bench_analytic [--no-yosys] [--sizes 2,4,6,8] [--repeat N]
// Run from the source tree or anywhere: the zoo is built in. Prints figures; asserts nothing.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "bench/statistics.h"
#include "core/files.h"
#include "core/process.h"
#include "generator/generator.h"
#include "handoff/handoff.h"
#include "models/network_io.h"
#include "models/random_quantization.h"
#include "analytic/analytic_model.h"
#include "cost/cost.h"
#include "compiler/compiler.h"

using namespace tandem;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Random int8 data of the shape a layer reads: compile_layer needs the bytes, the timing does
// not depend on them (only the exact zero count does, and only in its cost).
Tensor8 random_tensor(const TensorShape& shape, std::mt19937& rng) {
  Tensor8 t = Tensor8::zeros(shape);
  std::uniform_int_distribution<int> byte(-128, 127);
  for (auto& v : t.data) v = static_cast<std::int8_t>(byte(rng));
  return t;
}

struct NetworkFigures {
  int layers = 0, mapped = 0;
  double compile_s = 0, analytic_s = 0, exact_s = 0, max_layer_us = 0;
  std::uint64_t cycles = 0, instructions = 0;
  EnergyBreakdown energy;
  std::vector<std::string> unmapped;
};

NetworkFigures bench_network(const std::string& source, const AcceleratorConfig& config, int repeat) {
  Network net = load_network(source);
  quantize_randomly(net, 1);
  std::mt19937 rng(7);
  NetworkFigures f;
  for (const Layer& layer : net.layers) {
    ++f.layers;
    std::vector<Tensor8> inputs;
    for (const TensorShape& shape : layer.input_shapes) inputs.push_back(random_tensor(shape, rng));
    std::vector<const Tensor8*> pointers;
    for (const Tensor8& t : inputs) pointers.push_back(&t);
    Program program;
    const auto compile_start = Clock::now();
    try {
      program = compile_layer(layer, pointers, config);
    } catch (const MappingError& e) {
      f.unmapped.push_back(layer.name + ": " + e.what());
      continue;
    }
    f.compile_s += seconds_since(compile_start);
    ++f.mapped;
    AnalyticResult result;
    const auto start = Clock::now();
    for (int r = 0; r < repeat; ++r) result = evaluate_analytic(program);
    const double per_run = seconds_since(start) / repeat;
    f.analytic_s += per_run;
    f.max_layer_us = std::max(f.max_layer_us, per_run * 1e6);
    AnalyticOptions exact;
    exact.exact_zero_operand_macs = true;
    const auto exact_start = Clock::now();
    evaluate_analytic(program, exact);
    f.exact_s += seconds_since(exact_start);
    f.cycles += result.cycles;
    f.instructions += program.instructions.size();
    f.energy += estimate_energy(config, result.counters, default_technology());
  }
  return f;
}

AcceleratorConfig make_config(int rows, int cols, Dataflow dataflow, int kib) {
  AcceleratorConfig c;
  c.array = {rows, cols, dataflow};
  c.buffers = {kib, kib, kib, 4};
  return c;
}

void print_network_table(int repeat) {
  std::printf("== analytic model speed (per layer: mean of %d runs; compile time separate) ==\n", repeat);
  std::printf("%-18s %-24s %6s %6s %10s %9s %9s %9s %10s %12s %12s %9s\n", "network", "accelerator", "layers",
              "mapped", "insns", "us/layer", "max us", "ms/net", "exact ms", "compile ms", "cycles", "energy uJ");
  const std::vector<std::pair<std::string, AcceleratorConfig>> configs = {
      {"16x16 WS 64KiB", make_config(16, 16, Dataflow::weight_stationary, 64)},
      {"8x8 OS 32KiB", make_config(8, 8, Dataflow::output_stationary, 32)},
      {"32x32 WS 256KiB", make_config(32, 32, Dataflow::weight_stationary, 256)},
  };
  for (const std::string network : {"zoo:mobilenet_v2", "zoo:resnet50"}) {
    for (const auto& [label, config] : configs) {
      const NetworkFigures f = bench_network(network, config, repeat);
      std::printf("%-18s %-24s %6d %6d %10llu %9.2f %9.1f %9.3f %10.2f %12.1f %12llu %9.1f\n", network.c_str(),
                  label.c_str(), f.layers, f.mapped, static_cast<unsigned long long>(f.instructions),
                  f.mapped ? f.analytic_s / f.mapped * 1e6 : 0.0, f.max_layer_us, f.analytic_s * 1e3,
                  f.exact_s * 1e3, f.compile_s * 1e3, static_cast<unsigned long long>(f.cycles), f.energy.total() / 1e6);
      for (const std::string& why : f.unmapped) std::printf("    not mapped: %s\n", why.c_str());
    }
  }
}

// Cells reported by Yosys `stat` for the generated package of `config` (scratchpads stay
// $mem_v2 cells, one per bank: they are SRAM macros, not logic).
long synthesized_cells(const AcceleratorConfig& config, double* seconds) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("tandem-bench-area-" + std::to_string(config.array.rows) + "x" +
                                     std::to_string(config.array.cols) + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  write_package(generate_rtl(config), dir);
  const auto start = Clock::now();
  ProcessOptions options;
  options.directory = dir.string();
  const bool synthesized = run_process({"yosys", "-q", "-l", "synth.log", "-s", "synth.ys"}, options).ok();
  *seconds = seconds_since(start);
  const std::string s = synthesized ? read_file(dir / "synth_stat.txt") : std::string();
  std::filesystem::remove_all(dir);
  // `stat` lists every module, then the whole design: its last block.
  return synthesized ? static_cast<long>(parse_yosys_stat(s)["cells"].get<long long>()) : -1;
}

void print_area_vs_yosys(const std::vector<int>& sizes) {
  std::printf("\n== area model vs Yosys generic synthesis (logic only: scratchpads are macros) ==\n");
  std::printf("%-8s %10s %12s %12s %12s %12s %8s\n", "array", "cells", "logic mm2", "um2/cell", "total mm2",
              "sram mm2", "synth s");
  std::vector<double> cells, logic;
  for (int n : sizes) {
    AcceleratorConfig config = make_config(n, n, Dataflow::weight_stationary, 4);
    config.buffers.banks = 2;
    config.vector.lanes = 4;
    double seconds = 0;
    const long c = synthesized_cells(config, &seconds);
    const AreaBreakdown area = estimate_area(config, default_technology());
    if (c <= 0) {
      std::printf("%dx%d: yosys failed\n", n, n);
      continue;
    }
    cells.push_back(static_cast<double>(c));
    logic.push_back(area.logic());
    std::printf("%-8s %10ld %12.4f %12.2f %12.4f %12.4f %8.1f\n", (std::to_string(n) + "x" + std::to_string(n)).c_str(),
                c, area.logic(), area.logic() * 1e6 / static_cast<double>(c), area.total(), area.buffers(), seconds);
  }
  if (cells.size() >= 2) {
    std::printf("Pearson correlation (modelled logic area, synthesized cells): %.4f\n", bench::correlation(cells, logic));
  }
}

}  // namespace

int main(int argc, char** argv) {
  bool yosys = true;
  int repeat = 20;
  std::vector<int> sizes = {2, 4, 6, 8};
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--no-yosys") {
      yosys = false;
    } else if (a == "--repeat" && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--sizes" && i + 1 < argc) {
      sizes.clear();
      std::stringstream list(argv[++i]);
      for (std::string item; std::getline(list, item, ',');) sizes.push_back(std::stoi(item));
    } else {
      std::cerr << "usage: bench_analytic [--no-yosys] [--sizes 2,4,6,8] [--repeat N]\n";
      return 2;
    }
  }
  print_network_table(repeat);
  if (yosys) print_area_vs_yosys(sizes);
  return 0;
}
