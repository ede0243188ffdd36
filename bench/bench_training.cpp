// bench_training: what quantization-aware training costs and how well a short budget ranks
// networks (docs/results.md, "Accuracy (issue 8)").
//   1. every proxy zoo network trained with the zoo recipe: seconds per epoch (float and
//      quantization-aware), float and int8 accuracy, golden-reference agreement;
//   2. N genotypes sampled from the proxy network space, each trained with the short and the
//      full recipe; Kendall tau-b between the two accuracy rankings.
// Trains through AccuracyMeter (tandem-train subprocesses, `--workers` at once, one torch
// thread each), so results are cached under --cache-dir and a rerun only prints.
//
// Usage: bench_training [--genotypes 10] [--candidates 10] [--workers 2] [--skip-zoo] [--skip-ranking]
//        [--cache-dir build/bench-training-cache]
//        [--zoo-subset 3000 --zoo-epochs 3] [--test-subset 2000] [--ranking-test-subset 1000]
//        [--short-subset 1500 --short-epochs 1 --short-qat-epochs 1]
//        [--full-subset 4500 --full-epochs 3 --full-qat-epochs 1] [--qat-learning-rate 0.0001]
// Prints figures; asserts nothing.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <future>
#include <iostream>
#include <mutex>
#include <string>
#include <vector>

#include "accuracy/accuracy.h"
#include "core/number_format.h"
#include "core/table.h"
#include "models/network_io.h"
#include "models/network_space.h"
#include "models/zoo.h"
#include "statistics.h"

using namespace tandem;

namespace {

struct Job {
  std::string label;
  Network network;
  std::string hash;
  const AccuracyMeter* meter;
  AccuracyResult result;
};

// Runs the jobs `workers` at a time (each evaluate() is one tandem-train process).
void run_all(std::vector<Job>& jobs, int workers) {
  std::mutex mutex;
  std::size_t next = 0;
  auto worker = [&] {
    while (true) {
      std::size_t index = 0;
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (next >= jobs.size()) return;
        index = next++;
      }
      Job& job = jobs[index];
      job.result = job.meter->measure(job.network, job.hash);
      std::lock_guard<std::mutex> lock(mutex);
      std::cerr << "  done " << job.label << ": "
                << (job.result.ok ? std::to_string(job.result.accuracy) : "FAILED " + job.result.error)
                << (job.result.cached ? " (cached)" : "") << ", " << job.result.seconds << " s\n";
    }
  };
  std::vector<std::future<void>> threads;
  for (int w = 0; w < workers; ++w) threads.push_back(std::async(std::launch::async, worker));
  for (auto& thread : threads) thread.get();
}

double number(const nlohmann::json& detail, const char* key) {
  return detail.contains(key) && detail[key].is_number() ? detail[key].get<double>() : 0.0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_training: training cost, proxy zoo accuracy, short-budget ranking quality"};
  int genotypes = 10, candidates = 10, workers = 2, test_subset = 2000, ranking_test_subset = 1000;
  bool skip_zoo = false, skip_ranking = false;
  std::string cache_dir = "build/bench-training-cache";
  TrainingRecipe zoo_recipe, short_recipe, full_recipe;
  zoo_recipe.subset = 3000;
  zoo_recipe.epochs = 3;
  zoo_recipe.qat_epochs = 1;
  short_recipe.subset = 1500;
  short_recipe.epochs = 1;
  short_recipe.qat_epochs = 1;
  full_recipe.subset = 4500;
  full_recipe.epochs = 3;
  full_recipe.qat_epochs = 1;
  app.add_option("--genotypes", genotypes, "sampled genotypes for the ranking");
  app.add_option("--candidates", candidates,
                 "sample this many genotypes (seeds 1000, 1001, ...) and rank the --genotypes of them "
                 "with the fewest MACs (to fit the machine; default: all sampled)");
  app.add_flag("--skip-zoo", skip_zoo, "only the ranking");
  app.add_flag("--skip-ranking", skip_ranking, "only the zoo proxies");
  app.add_option("--workers", workers, "trainings at once (one torch thread each)");
  app.add_option("--cache-dir", cache_dir, "accuracy cache");
  app.add_option("--test-subset", test_subset, "test images per zoo accuracy");
  app.add_option("--ranking-test-subset", ranking_test_subset, "test images per ranking accuracy");
  app.add_option("--zoo-subset", zoo_recipe.subset);
  app.add_option("--zoo-epochs", zoo_recipe.epochs);
  app.add_option("--short-subset", short_recipe.subset);
  app.add_option("--short-epochs", short_recipe.epochs);
  app.add_option("--short-qat-epochs", short_recipe.qat_epochs);
  app.add_option("--full-subset", full_recipe.subset);
  app.add_option("--full-epochs", full_recipe.epochs);
  app.add_option("--full-qat-epochs", full_recipe.qat_epochs);
  double qat_learning_rate = TrainingRecipe{}.qat_learning_rate;
  app.add_option("--qat-learning-rate", qat_learning_rate, "quantization-aware learning rate of every recipe");
  CLI11_PARSE(app, argc, argv);
  zoo_recipe.qat_learning_rate = short_recipe.qat_learning_rate = full_recipe.qat_learning_rate = qat_learning_rate;
  candidates = std::max(candidates, genotypes);
  zoo_recipe.test_subset = test_subset;
  short_recipe.test_subset = full_recipe.test_subset = ranking_test_subset;
  zoo_recipe.golden_images = short_recipe.golden_images = full_recipe.golden_images = 200;

  AccuracySpec zoo_spec, short_spec, full_spec;
  zoo_spec.recipe = zoo_recipe;
  short_spec.recipe = short_recipe;
  full_spec.recipe = full_recipe;
  zoo_spec.timeout_seconds = short_spec.timeout_seconds = full_spec.timeout_seconds = 3600;
  const AccuracyMeter zoo_meter(zoo_spec, cache_dir, TANDEM_TRAIN_BINARY);
  const AccuracyMeter short_meter(short_spec, cache_dir, TANDEM_TRAIN_BINARY);
  const AccuracyMeter full_meter(full_spec, cache_dir, TANDEM_TRAIN_BINARY);
  std::printf("recipes: zoo = %s (%s)\n", recipe_hash(zoo_recipe).c_str(), recipe_to_json(zoo_recipe).dump().c_str());
  std::printf("recipes: short = %s (%s), full = %s (%s)\n", recipe_hash(short_recipe).c_str(),
              recipe_to_json(short_recipe).dump().c_str(), recipe_hash(full_recipe).c_str(),
              recipe_to_json(full_recipe).dump().c_str());

  std::vector<Job> zoo_jobs;
  for (const ZooModel& model : zoo_models()) {
    if (skip_zoo || model.name.rfind("proxy_", 0) != 0) continue;
    zoo_jobs.push_back({model.name, model.build(), "zoo-" + model.name, &zoo_meter, {}});
  }
  const NetworkSpace& space = NetworkSpace::proxy();
  std::vector<Job> space_jobs;
  std::vector<std::pair<std::int64_t, Genotype>> sampled;
  for (int g = 0; g < candidates; ++g) {
    const Genotype genotype = space.sample(static_cast<std::uint64_t>(1000 + g));
    sampled.emplace_back(total_macs(space.decode(genotype)), genotype);
  }
  // Stable: equal MACs keep the sampling order.
  std::stable_sort(sampled.begin(), sampled.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  if (skip_ranking) sampled.clear();
  for (int g = 0; g < std::min<int>(genotypes, static_cast<int>(sampled.size())); ++g) {
    const Genotype& genotype = sampled[static_cast<std::size_t>(g)].second;
    const std::string hash = space.hash(genotype);
    const Network network = space.decode(genotype);
    space_jobs.push_back({"short " + hash, network, hash, &short_meter, {}});
    space_jobs.push_back({"full " + hash, network, hash, &full_meter, {}});
  }
  std::cerr << "training " << zoo_jobs.size() << " zoo proxies and " << space_jobs.size() / 2 << " genotypes x 2 budgets, "
            << workers << " at a time\n";
  run_all(zoo_jobs, workers);
  run_all(space_jobs, workers);

  Table zoo;
  zoo.headers = {"network", "MACs", "params", "s/epoch float (" + std::to_string(zoo_recipe.subset) + " img)",
                 "s/epoch QAT", "float acc", "int8 acc", "golden agreement"};
  for (const Job& job : zoo_jobs) {
    const auto& d = job.result.detail;
    if (!job.result.ok) {
      zoo.rows.push_back({job.label, "failed: " + job.result.error});
      continue;
    }
    zoo.rows.push_back({job.label, human_count(total_macs(job.network)), human_count(total_params(job.network)),
                        fixed_number(number(d, "seconds_per_float_epoch"), 1),
                        fixed_number(number(d, "seconds_per_qat_epoch"), 1),
                        fixed_number(job.result.float_accuracy.value_or(0), 4), fixed_number(job.result.accuracy, 4),
                        fixed_number(d.contains("golden") ? number(d["golden"], "agreement") : 0.0, 3)});
  }
  std::printf("\n%s", zoo.markdown().c_str());

  Table ranking;
  ranking.headers = {"genotype", "network", "MACs", "short int8 acc", "full int8 acc", "full float acc", "full s/epoch"};
  std::vector<double> short_accuracy, full_accuracy;
  for (std::size_t j = 0; j + 1 < space_jobs.size(); j += 2) {
    const Job& s = space_jobs[j];
    const Job& f = space_jobs[j + 1];
    ranking.rows.push_back({s.hash, space.describe(space.encode(s.network)), human_count(total_macs(s.network)),
                            s.result.ok ? std::to_string(s.result.accuracy) : "failed",
                            f.result.ok ? std::to_string(f.result.accuracy) : "failed",
                            fixed_number(f.result.float_accuracy.value_or(0), 4),
                            fixed_number(number(f.result.detail, "seconds_per_float_epoch"), 1)});
    if (s.result.ok && f.result.ok) {
      short_accuracy.push_back(s.result.accuracy);
      full_accuracy.push_back(f.result.accuracy);
    }
  }
  std::printf("\n%s", ranking.markdown().c_str());
  std::printf("\nKendall tau-b (short vs full budget, int8 accuracy) over %zu genotypes: %.3f\n",
              short_accuracy.size(), bench::kendall_tau_b(short_accuracy, full_accuracy));
  return 0;
}
