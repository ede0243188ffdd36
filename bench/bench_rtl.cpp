// bench_rtl: how fast tandem generates RTL, how big the generated accelerators synthesize, and
// how fast the RTL co-simulation runs. Prints tables; asserts nothing.
//   build/release/bench/bench_rtl [--sections gen,synth,sim] [--sizes 8,16,32]
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "core/files.h"
#include "core/process.h"
#include "generator/generator.h"
#include "handoff/handoff.h"
#include "models/network_builder.h"
#include "models/random_quantization.h"
#include "compiler/compiler.h"
#include "golden/golden.h"
#include "cosim/rtl_cosim.h"

using namespace tandem;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

AcceleratorConfig square(int n, int lanes, int kib) {
  AcceleratorConfig config;
  config.array = {n, n, Dataflow::weight_stationary};
  config.buffers = {kib, kib, kib, 4};
  config.vector.lanes = lanes;
  return config;
}

void bench_generation() {
  std::printf("\n== RTL generation (in memory, mean of 20) ==\n%-10s %12s %12s\n", "array", "ms/package", "KiB of RTL");
  for (int n : {2, 8, 16, 32, 64}) {
    const AcceleratorConfig config = square(n, 16, 64);
    const auto start = Clock::now();
    std::size_t bytes = 0;
    for (int i = 0; i < 20; ++i) {
      bytes = 0;
      for (const auto* file : generate_rtl(config).all_files()) bytes += file->text.size();
    }
    std::printf("%-10s %12.3f %12.1f\n", (std::to_string(n) + "x" + std::to_string(n)).c_str(),
                seconds_since(start) * 1000 / 20, bytes / 1024.0);
  }
}

void bench_synthesis(const std::vector<int>& sizes, const std::filesystem::path& work) {
  std::printf("\n== Yosys generic synthesis (synth.ys of the package; 4 lanes, 2 KiB buffers kept as memories) ==\n"
              "%-8s %10s %10s %10s %10s\n", "array", "cells", "PE cells", "memories", "seconds");
  for (int n : sizes) {
    const RtlPackage package = generate_rtl(square(n, 4, 2));
    const auto dir = work / ("synth_" + std::to_string(n));
    std::filesystem::remove_all(dir);
    write_package(package, dir);
    const auto start = Clock::now();
    ProcessOptions options;
    options.directory = dir.string();
    const bool synthesized = run_process({"yosys", "-q", "-l", "synth.log", "-s", "synth.ys"}, options).ok();
    const double seconds = seconds_since(start);
    const std::string stat = synthesized ? read_file(dir / "synth_stat.txt") : std::string();
    // The whole design (the last block), the PE module and the scratchpad banks ($mem_v2 cells).
    auto figure = [&](const std::string& module, const std::string& type) -> std::string {
      try {
        const auto block = parse_yosys_stat(stat, module);
        if (type.empty()) return std::to_string(block["cells"].get<long long>());
        return std::to_string(block["cell_types"].value(type, 0LL));
      } catch (const std::exception&) {
        return "?";
      }
    };
    const std::string total = figure("", ""), pe = figure("tandem_pe", ""), memories = figure("", "$mem_v2");
    std::printf("%-8s %10s %10s %10s %10.1f\n", (std::to_string(n) + "x" + std::to_string(n)).c_str(), total.c_str(),
                pe.c_str(), memories.c_str(), seconds);
  }
}

// A large convolution: 28x28x64 -> 64 channels, 3x3, for simulation speed.
Network large_convolution() {
  NetworkBuilder builder("bench_conv", {28, 28, 64}, 0);
  builder.conv("conv3x3", NetworkBuilder::network_input, 64, 3, 1, Activation::relu);
  Network net = builder.finish();
  quantize_randomly(net, 1);
  return net;
}

void bench_simulation(const std::vector<int>& sizes, const std::filesystem::path& work) {
  std::printf("\n== RTL co-simulation (Verilator + SystemC) of a 28x28x64->64 3x3 convolution ==\n"
              "%-8s %10s %10s %12s %10s %12s %14s %8s\n", "array", "build s", "cached s", "cycles", "sim s",
              "cycles/s", "MACs/s (host)", "exact");
  const Network net = large_convolution();
  const Tensor8 input = random_input(net, 2);
  const Tensor8 expected = golden_layer(net.layers[0], {&input});
  for (int n : sizes) {
    const AcceleratorConfig config = square(n, 16, 256);
    CosimOptions options;
    options.cache_dir = (work / ("cache_" + std::to_string(n))).string();
    std::filesystem::remove_all(options.cache_dir);  // cold build
    auto start = Clock::now();
    ensure_simulator(config, options);
    const double build = seconds_since(start);
    start = Clock::now();
    ensure_simulator(config, options);
    const double cached = seconds_since(start);
    const Program program = compile_layer(net.layers[0], {&input}, config);
    const CosimResult result = run_rtl_cosim(program, options);
    const bool exact = result.ok && decode_layer_output(net.layers[0], config, result.outputs.at(0)).data == expected.data;
    std::printf("%-8s %10.1f %10.3f %12llu %10.2f %12.3g %14.3g %8s\n",
                (std::to_string(n) + "x" + std::to_string(n)).c_str(), build, cached,
                static_cast<unsigned long long>(result.cycles), result.seconds, result.cycles / result.seconds,
                static_cast<double>(macs(net.layers[0])) / result.seconds, exact ? "yes" : "NO");
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tandem RTL benchmarks: generation, synthesis, co-simulation speed"};
  std::vector<std::string> sections = {"gen", "synth", "sim"};
  std::vector<int> synth_sizes = {2, 4, 6, 8};
  std::vector<int> sim_sizes = {8, 16, 32};
  std::string work = "bench_work";
  app.add_option("--sections", sections, "gen, synth, sim")->delimiter(',');
  app.add_option("--synth-sizes", synth_sizes, "array sizes to synthesize")->delimiter(',');
  app.add_option("--sim-sizes", sim_sizes, "array sizes to simulate")->delimiter(',');
  app.add_option("--work", work, "scratch directory");
  CLI11_PARSE(app, argc, argv);
  std::filesystem::create_directories(work);
  auto wants = [&](const char* name) { return std::find(sections.begin(), sections.end(), name) != sections.end(); };
  if (wants("gen")) bench_generation();
  if (wants("synth")) bench_synthesis(synth_sizes, work);
  if (wants("sim")) bench_simulation(sim_sizes, work);
  return 0;
}
