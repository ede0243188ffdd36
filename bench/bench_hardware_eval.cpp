// bench_hardware_eval: the search's per-candidate hardware evaluation (analytic model) on
// sampled proxy-space networks, three ways:
//   golden     : random weights, the golden reference run for every layer's real input
//                (what the search did before synthetic operands);
//   cold       : synthetic operands, empty layer memo (a network unlike any seen before);
//   warm       : synthetic operands, the same network again (every layer memoized);
// and the search's own mix: a random-walk of one-gene mutations (network or accelerator), as
// an evolutionary search proposes them. Also the figures' agreement: cycles must be equal,
// energy differs only through the zero-operand estimate.
//
// Usage: bench_hardware_eval [--networks N] [--mutations N] [--seed S]
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "core/random.h"
#include "models/network_space.h"
#include "sim/network_simulation.h"

using namespace tandem;
using Clock = std::chrono::steady_clock;

namespace {

struct Timed {
  NetworkMetrics metrics;
  double ms = 0;
};

Timed evaluate(const Network& network, const AcceleratorConfig& config, bool synthetic) {
  SimulationOptions options;
  options.evaluator = "analytic";
  options.synthetic_operands = synthetic;
  const auto start = Clock::now();
  Timed timed;
  timed.metrics = simulate_network(network, config, options);
  timed.ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  return timed;
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[static_cast<std::size_t>(std::lround(p * static_cast<double>(values.size() - 1)))];
}

void print_row(const char* name, const std::vector<double>& ms) {
  double sum = 0;
  for (double v : ms) sum += v;
  std::printf("| %-34s | %6zu | %8.2f | %8.2f | %8.2f |\n", name, ms.size(), sum / static_cast<double>(ms.size()),
              percentile(ms, 0.5), percentile(ms, 1.0));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Per-candidate hardware evaluation time of the search's inner loop (analytic model)"};
  int networks = 30, mutations = 300;
  std::uint64_t seed = 1;
  app.add_option("--networks", networks, "sampled proxy-space networks")->check(CLI::Range(1, 100000));
  app.add_option("--mutations", mutations, "steps of the one-gene mutation walk")->check(CLI::Range(0, 1000000));
  app.add_option("--seed", seed, "sampling seed");
  CLI11_PARSE(app, argc, argv);

  const NetworkSpace& space = NetworkSpace::proxy();
  AcceleratorConfig config;  // 16x16 weight-stationary, the default
  std::vector<double> golden_ms, cold_ms, warm_ms;
  double worst_energy_error = 0, sum_energy_error = 0;
  int cycle_mismatches = 0;
  for (int n = 0; n < networks; ++n) {
    const Network network = space.decode(space.sample(seed * 1000003 + static_cast<std::uint64_t>(n)));
    const Timed golden = evaluate(network, config, false);
    // A configuration no other network used: every layer is new to the memo.
    AcceleratorConfig fresh = config;
    fresh.dram.latency_cycles = 100 + n + 1;
    const Timed reference = evaluate(network, fresh, false);
    const Timed cold = evaluate(network, fresh, true);
    const Timed warm = evaluate(network, fresh, true);
    golden_ms.push_back(golden.ms);
    cold_ms.push_back(cold.ms);
    warm_ms.push_back(warm.ms);
    if (cold.metrics.total_cycles() != reference.metrics.total_cycles()) ++cycle_mismatches;
    const double e_ref = reference.metrics.total_energy_pj()["total"];
    const double error = std::fabs(cold.metrics.total_energy_pj()["total"] - e_ref) / e_ref;
    worst_energy_error = std::max(worst_energy_error, error);
    sum_energy_error += error;
  }

  // The search's mix: mutate one gene at a time (network decision, or the array shape).
  std::mt19937_64 rng(seed);
  Genotype genotype = space.sample(rng);
  AcceleratorConfig walk = config;
  const std::vector<int> sizes = {8, 16, 32};
  std::vector<double> walk_ms;
  for (int step = 0; step < mutations; ++step) {
    if (uniform_index(rng, 4) == 0) {
      walk.array.rows = sizes[static_cast<std::size_t>(uniform_index(rng, 3))];
      walk.array.cols = sizes[static_cast<std::size_t>(uniform_index(rng, 3))];
    } else {
      Genotype next = space.sample(rng);
      const auto gene = static_cast<std::size_t>(uniform_index(rng, static_cast<int>(genotype.size())));
      Genotype mutated = genotype;
      mutated[gene] = next[gene];
      if (!space.check(mutated)) genotype = mutated;
    }
    walk_ms.push_back(evaluate(space.decode(genotype), walk, true).ms);
  }

  std::printf("Per-candidate hardware evaluation, proxy space, 16x16 WS (ms, one thread)\n\n");
  std::printf("| %-34s | %6s | %8s | %8s | %8s |\n", "evaluation", "runs", "mean", "median", "max");
  std::printf("|%s|%s|%s|%s|%s|\n", std::string(36, '-').c_str(), std::string(8, '-').c_str(),
              std::string(10, '-').c_str(), std::string(10, '-').c_str(), std::string(10, '-').c_str());
  print_row("golden activations (before)", golden_ms);
  print_row("synthetic operands, cold memo", cold_ms);
  print_row("synthetic operands, warm memo", warm_ms);
  if (!walk_ms.empty()) print_row("synthetic, one-gene mutation walk", walk_ms);
  std::printf("\ncycles equal to the golden-driven evaluation: %d of %d networks\n", networks - cycle_mismatches, networks);
  std::printf("energy vs golden-driven: mean |error| %.4f%%, max %.4f%% (zero-operand estimate only)\n",
              100 * sum_energy_error / networks, 100 * worst_energy_error);
  return cycle_mismatches == 0 ? 0 : 1;
}
