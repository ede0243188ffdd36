// The built-in strategies' own defaults for options a flow leaves unset. `population` means a
// population to the evolutionary strategies and a batch to the controllers, whose best values
// differ (bench_strategies: 30 genes, 300-1000 trials).
#pragma once

#include "search/strategy.h"

namespace tandem {

constexpr int default_evolution_population = 16;  // evolution, nsga2
constexpr int default_controller_batch = 4;       // controller, ppo

// options.population, or `fallback` when it is 0 (unset).
inline int population_or(const StrategyOptions& options, int fallback) {
  return options.population != 0 ? options.population : fallback;
}

}  // namespace tandem
