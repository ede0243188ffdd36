// bench_strategies: every registered strategy on synthetic constrained problems (its table is in
// docs/search.md, "Choosing a strategy"). The space has 30 genes of 2-4 choices, half ordinal
// (numbers, like array sizes) and half categorical (names, like activation kinds), plus one
// conditional gene and one cross-field constraint like the joint space's. The hidden reward is a
// sum of per-gene contributions, pairwise interactions and noise; a hidden cost budget (growing
// with the ordinal genes, which also tend to raise the reward, as accuracy does) makes about 40% of
// the space infeasible (told ok = false). Per strategy, over the seeds: best feasible reward after
// 50/100/300 trials (mean and standard deviation), trials until the best reaches a target
// (random's mean best at the full budget), the fraction of infeasible proposals, and ask()
// seconds per run. Optionally: ask() seconds of `bayesian` after 100/300/1000 told points, and
// sweeps of the controllers' learning rate and batch and of bayesian's initial points and
// candidates (how the defaults were chosen).
//
// Usage: bench_strategies [--trials 300] [--seeds 5] [--batch 4] [--strategies a,b]
//                         [--sweep-controllers] [--sweep-bayesian] [--ask-timing]
// Prints figures; asserts nothing.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "core/random.h"
#include "search/point_operators.h"
#include "search/strategy.h"

using namespace tandem;

namespace {

constexpr int gene_count = 30;

double normal(std::mt19937_64& rng) {  // Box-Muller on the portable unit_interval
  const double u = 1 - unit_interval(rng), v = unit_interval(rng);
  return std::sqrt(-2 * std::log(u)) * std::cos(2 * 3.14159265358979323846 * v);
}

// The synthetic space: gene g has 2 + g % 3 choices; even genes ordinal, odd ones categorical.
// Gene 1 is pinned to its first choice while gene 0 is at its first; genes 2 and 4 may not both
// be at their last choice.
class SyntheticSpace : public SearchSpace {
 public:
  SyntheticSpace() {
    const std::vector<std::string> names = {"relu", "hswish", "gelu", "silu"};
    for (int g = 0; g < gene_count; ++g) {
      Gene gene{"g" + std::to_string(g), {}};
      for (int c = 0; c < 2 + g % 3; ++c) {
        gene.choices.push_back(g % 2 == 0 ? std::to_string(1 << c)
                                          : names[static_cast<std::size_t>(c)]);
      }
      genes_.push_back(gene);
    }
  }
  const std::vector<Gene>& genes() const override { return genes_; }
  std::vector<int> allowed(const Point& point, std::size_t gene) const override {
    if (gene == 1 && point[0] == 0) return {0};
    std::vector<int> all;
    for (int c = 0; c < static_cast<int>(genes_[gene].choices.size()); ++c) all.push_back(c);
    return all;
  }
  std::optional<std::string> check(const Point& point) const override {
    for (std::size_t g = 0; g < point.size(); ++g) {
      const auto ok = allowed(point, g);
      if (std::find(ok.begin(), ok.end(), point[g]) == ok.end()) return "g" + std::to_string(g);
    }
    if (point[2] == 2 && point[4] == 1) return std::string("g2 and g4 both at their last");
    return std::nullopt;
  }

 private:
  std::vector<Gene> genes_;
};

// The hidden problem, drawn from `problem_seed`.
class Problem {
 public:
  Problem(const SearchSpace& space, std::uint64_t problem_seed, double infeasible_share)
      : noise_rng_(problem_seed * 7 + 1) {
    std::mt19937_64 rng(problem_seed);
    for (const Gene& gene : space.genes()) {
      std::vector<double> value, cost;
      const bool ordinal = gene.choices[0] == "1";
      for (std::size_t c = 0; c < gene.choices.size(); ++c) {
        // Ordinal genes: bigger tends to be better and costs more (like width or array size).
        value.push_back(normal(rng) + (ordinal ? 0.8 * static_cast<double>(c) : 0.0));
        cost.push_back(ordinal ? static_cast<double>(c) * (0.5 + unit_interval(rng))
                               : 0.3 * unit_interval(rng));
      }
      values_.push_back(value);
      costs_.push_back(cost);
    }
    for (int k = 0; k < 40; ++k) {
      const int a = uniform_index(rng, gene_count), b = uniform_index(rng, gene_count);
      if (a == b) continue;
      interactions_.push_back(
          {a, b, uniform_index(rng, 2), uniform_index(rng, 2), 1.5 * normal(rng)});
    }
    // The budget: the (1 - infeasible_share) quantile of the cost of random points.
    std::vector<double> sampled;
    for (int i = 0; i < 4000; ++i) sampled.push_back(cost(space.sample(rng)));
    std::sort(sampled.begin(), sampled.end());
    budget_ = sampled[static_cast<std::size_t>((1 - infeasible_share) * (sampled.size() - 1))];
  }

  Feedback evaluate(const Point& point) {
    Feedback feedback;
    feedback.ok = cost(point) <= budget_;
    if (!feedback.ok) return feedback;
    feedback.reward = value(point) + 0.1 * normal(noise_rng_);
    feedback.objectives = {-feedback.reward, cost(point)};
    return feedback;
  }

 private:
  struct Interaction {
    int a, b, choice_a, choice_b;
    double weight;
  };
  double value(const Point& point) const {
    double v = 0;
    for (std::size_t g = 0; g < point.size(); ++g)
      v += values_[g][static_cast<std::size_t>(point[g])];
    for (const Interaction& i : interactions_) {
      if (point[static_cast<std::size_t>(i.a)] == i.choice_a &&
          point[static_cast<std::size_t>(i.b)] == i.choice_b) {
        v += i.weight;
      }
    }
    return v;
  }
  double cost(const Point& point) const {
    double c = 0;
    for (std::size_t g = 0; g < point.size(); ++g)
      c += costs_[g][static_cast<std::size_t>(point[g])];
    return c;
  }

  std::vector<std::vector<double>> values_, costs_;
  std::vector<Interaction> interactions_;
  double budget_ = 0;
  std::mt19937_64 noise_rng_;
};

struct Run {
  std::vector<double> best_after;  // best feasible reward after each trial (-inf before any)
  int infeasible = 0;
  double ask_seconds = 0;
};

Run run(const std::string& name, const SearchSpace& space, const StrategyOptions& options,
        std::uint64_t problem_seed, int trials, int batch) {
  Problem problem(space, problem_seed, 0.4);
  auto strategy = make_strategy(name, space, options);
  Run result;
  double best = -std::numeric_limits<double>::infinity();
  while (static_cast<int>(result.best_after.size()) < trials) {
    const auto count = static_cast<std::size_t>(
        std::min(batch, trials - static_cast<int>(result.best_after.size())));
    const auto start = std::chrono::steady_clock::now();
    const std::vector<Point> points = strategy->ask(count);
    result.ask_seconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (const Point& point : points) {
      const Feedback feedback = problem.evaluate(point);
      if (feedback.ok) best = std::max(best, feedback.reward);
      result.infeasible += feedback.ok ? 0 : 1;
      result.best_after.push_back(best);
      strategy->tell(point, feedback);
    }
  }
  return result;
}

struct Summary {
  double mean = 0, sd = 0;
};
Summary summarize(const std::vector<double>& values) {
  Summary s;
  for (double v : values) s.mean += v / static_cast<double>(values.size());
  for (double v : values) s.sd += (v - s.mean) * (v - s.mean) / static_cast<double>(values.size());
  s.sd = std::sqrt(s.sd);
  return s;
}

std::vector<Run> runs_of(const std::string& name, const SearchSpace& space, StrategyOptions options,
                         int seeds, int trials, int batch) {
  std::vector<Run> runs;
  for (int seed = 1; seed <= seeds; ++seed) {
    options.seed = static_cast<std::uint64_t>(seed);
    // One problem per seed, the same for every strategy.
    runs.push_back(
        run(name, space, options, 100 + static_cast<std::uint64_t>(seed), trials, batch));
  }
  return runs;
}

void print_row(const std::string& label, const std::vector<Run>& runs, int trials, double target) {
  std::printf("%-28s", label.c_str());
  for (int at : {50, 100, trials}) {
    std::vector<double> best;
    for (const Run& r : runs)
      best.push_back(r.best_after[static_cast<std::size_t>(std::min(at, trials) - 1)]);
    const Summary s = summarize(best);
    std::printf(" %7.2f ±%5.2f", s.mean, s.sd);
  }
  std::vector<double> reached, infeasible, seconds;
  int missed = 0;
  for (const Run& r : runs) {
    const auto hit = std::find_if(r.best_after.begin(), r.best_after.end(),
                                  [&](double b) { return b >= target; });
    if (hit == r.best_after.end()) {
      ++missed;
    } else {
      reached.push_back(static_cast<double>(hit - r.best_after.begin() + 1));
    }
    infeasible.push_back(static_cast<double>(r.infeasible) / static_cast<double>(trials));
    seconds.push_back(r.ask_seconds);
  }
  std::sort(reached.begin(), reached.end());
  std::string reach = "never";
  if (!reached.empty()) {
    reach = std::to_string(static_cast<int>(reached[reached.size() / 2])) +
            (missed > 0 ? " (" + std::to_string(runs.size() - static_cast<std::size_t>(missed)) +
                              "/" + std::to_string(runs.size()) + ")"
                        : "");
  }
  std::printf("  %-10s %6.2f %9.3f\n", reach.c_str(), summarize(infeasible).mean,
              summarize(seconds).mean);
}

void print_header(int trials) {
  std::printf("%-28s %14s %14s %14s  %-10s %6s %9s\n", "strategy", "best@50", "best@100",
              ("best@" + std::to_string(trials)).c_str(), "to-target", "infeas", "ask s/run");
}

// ask() seconds of `name` after `told` random points told (the first ask refits the model).
void ask_timing(const std::string& name, const SearchSpace& space) {
  std::printf(
      "\nask() seconds of %s after n told points (first ask includes the hyperparameter fit)\n",
      name.c_str());
  std::printf("%6s %12s %12s %12s\n", "n", "ask(1) first", "ask(1) next", "ask(4) next");
  for (int told : {100, 300, 1000}) {
    Problem problem(space, 101, 0.4);
    StrategyOptions options;
    auto strategy = make_strategy(name, space, options);
    std::mt19937_64 rng(5);
    for (int i = 0; i < told; ++i) {
      const Point point = space.sample(rng);
      strategy->tell(point, problem.evaluate(point));
    }
    auto time_ask = [&](std::size_t count) {
      const auto start = std::chrono::steady_clock::now();
      const auto points = strategy->ask(count);
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      for (const Point& point : points) strategy->tell(point, problem.evaluate(point));
      return seconds;
    };
    const double first = time_ask(1);
    const double next = time_ask(1);  // told + 1: the posterior is rebuilt, usually not refitted
    const double batch = time_ask(4);
    std::printf("%6d %12.3f %12.3f %12.3f\n", told, first, next, batch);
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_strategies: strategies on synthetic constrained problems"};
  int trials = 300, seeds = 5, batch = 4;
  std::vector<std::string> names = strategy_names();
  bool sweep = false, sweep_bayesian = false, timing = false;
  app.add_option("--trials", trials, "trials per run")->check(CLI::Range(50, 100000));
  app.add_option("--seeds", seeds, "seeds (and problems) per strategy")->check(CLI::Range(1, 100));
  app.add_option("--batch", batch, "points per ask()")->check(CLI::Range(1, 64));
  app.add_option("--strategies", names, "strategies to run")->delimiter(',');
  app.add_flag("--sweep-controllers", sweep, "learning rate x batch grid of controller and ppo");
  app.add_flag("--sweep-bayesian", sweep_bayesian, "initial_points x candidates grid of bayesian");
  app.add_flag("--ask-timing", timing, "ask() seconds of bayesian after 100/300/1000 told points");
  CLI11_PARSE(app, argc, argv);

  const SyntheticSpace space;
  std::printf("%d genes, %d trials, %d seeds, batch %d, ~40%% of the space infeasible\n",
              gene_count, trials, seeds, batch);
  const std::vector<Run> random_runs = runs_of("random", space, {}, seeds, trials, batch);
  double target = 0;
  for (const Run& r : random_runs) target += r.best_after.back() / seeds;
  std::printf("target: random's mean best after %d trials, %.2f\n\n", trials, target);
  print_header(trials);
  for (const std::string& name : names) {
    print_row(name, name == "random" ? random_runs : runs_of(name, space, {}, seeds, trials, batch),
              trials, target);
    std::fflush(stdout);
  }
  // One row per variant of a strategy's options.
  struct Variant {
    std::string name, label;
    StrategyOptions options;
  };
  const auto print_sweep = [&](const char* title, const std::vector<Variant>& variants) {
    std::printf("\n%s\n", title);
    print_header(trials);
    for (const Variant& v : variants) {
      print_row(v.label, runs_of(v.name, space, v.options, seeds, trials, batch), trials, target);
      std::fflush(stdout);
    }
  };
  if (sweep) {
    std::vector<Variant> variants;
    for (const char* name : {"controller", "ppo"}) {
      for (double rate : {0.05, 0.1, 0.2}) {
        for (int population : {4, 8, 16}) {
          Variant v{name,
                    std::string(name) + " lr " + std::to_string(rate).substr(0, 4) + " batch " +
                        std::to_string(population),
                    {}};
          v.options.learning_rate = rate;
          v.options.population = population;
          variants.push_back(v);
        }
      }
    }
    print_sweep("controller and ppo: learning_rate x population (the batch)", variants);
  }
  if (sweep_bayesian) {
    std::vector<Variant> variants;
    for (int initial : {5, 10, 20}) {
      for (int candidates : {128, 256, 512}) {
        Variant v{
            "bayesian",
            "bayesian init " + std::to_string(initial) + " cand " + std::to_string(candidates),
            {}};
        v.options.initial_points = initial;
        v.options.candidates = candidates;
        variants.push_back(v);
      }
    }
    print_sweep("bayesian: initial_points x candidates", variants);
  }
  if (timing) ask_timing("bayesian", space);
  return 0;
}
