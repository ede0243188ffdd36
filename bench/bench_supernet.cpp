// bench_supernet: how well the weight-sharing supernet ranks networks (docs/accuracy.md,
// "Supernet"). Samples genotypes of the proxy space, trains each stand-alone (tandem-train
// through AccuracyMeter, cached under --cache-dir), evaluates each on the supernet
// (`tandem-supernet eval`, one process per genotype so that process start is in the figure) and
// prints both int8 accuracies, Kendall tau-b between them and the seconds per supernet
// candidate.
//
// Usage: bench_supernet --recipe flows/supernet-proxy.yaml --supernet-dir out/supernet/proxy
//        [--genotypes 20] [--max-macs 15000000] [--standalone-only] [--tandem-train PATH]
//        [--full-subset 6000 --full-epochs 2 --full-qat-epochs 1] [--test-subset 10000] [--full-seeds 1 2 3 4]
// The eval uses the recipe's evaluation fields (finetune_steps, ...). The supernet is trained first
// (with the recipe's threads) when --supernet-dir holds no finished one.
// Prints figures; asserts nothing.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "accuracy/accuracy.h"
#include "core/number_format.h"
#include "core/process.h"
#include "core/table.h"
#include "models/network_space.h"
#include "statistics.h"

using namespace tandem;

namespace {

struct Candidate {
  Genotype genotype;
  std::string hash;
  std::int64_t macs = 0;
  std::vector<AccuracyResult> standalone;  // one per stand-alone seed
  bool standalone_ok = true;
  double standalone_accuracy = 0, standalone_float = 0, standalone_seconds = 0;  // means over the seeds
  double supernet_accuracy = -1;
  double supernet_float_accuracy = -1;
  double supernet_seconds = 0;  // the whole `tandem-supernet eval` process (wall)
  double evaluation_seconds = 0;  // its own figure: the evaluation, without start-up and loading
};

// The first `count` genotypes (seeds 3000, 3001, ...) with at most `max_macs` MACs: larger
// networks do not train stand-alone within the time of a benchmark run on this machine.
std::vector<Candidate> sample_candidates(const NetworkSpace& space, int count, std::int64_t max_macs,
                                         int* rejected) {
  std::vector<Candidate> out;
  for (std::uint64_t seed = 3000; static_cast<int>(out.size()) < count; ++seed) {
    Candidate c;
    c.genotype = space.sample(seed);
    c.macs = total_macs(space.decode(c.genotype));
    if (c.macs > max_macs) {
      ++*rejected;
      continue;
    }
    c.hash = space.hash(c.genotype);
    out.push_back(c);
  }
  return out;
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_supernet: supernet vs stand-alone int8 accuracy ranking, seconds per candidate"};
  std::string recipe_file = "flows/supernet-proxy.yaml", supernet_dir = "out/supernet/proxy";
  std::string cache_dir = "build/bench-supernet-cache", tandem_train = TANDEM_TRAIN_BINARY;
  int genotypes = 20;
  double max_macs = 15e6;
  bool standalone_only = false;
  TrainingRecipe full;
  full.subset = 6000;
  full.epochs = 2;
  full.qat_epochs = 1;
  full.test_subset = 10000;
  full.golden_images = 0;
  app.add_option("--recipe", recipe_file, "supernet recipe YAML (`supernet: {...}`)");
  app.add_option("--supernet-dir", supernet_dir, "trained supernet directory (trained here if unfinished)");
  app.add_option("--genotypes", genotypes, "sampled genotypes (seeds 3000, ...)");
  app.add_option("--max-macs", max_macs, "skip sampled genotypes above this many MACs");
  app.add_flag("--standalone-only", standalone_only, "only the stand-alone trainings (to fill the cache)");
  app.add_option("--cache-dir", cache_dir, "stand-alone accuracy cache");
  app.add_option("--tandem-train", tandem_train,
                 "the trainer executable (its SHA-256 is part of the cache key: a stable copy keeps the cache)");
  app.add_option("--full-subset", full.subset);
  app.add_option("--full-epochs", full.epochs);
  app.add_option("--full-qat-epochs", full.qat_epochs);
  app.add_option("--test-subset", full.test_subset, "test images of the stand-alone accuracy");
  std::vector<std::uint64_t> seeds = {1, 2, 3, 4};
  app.add_option("--full-seeds", seeds,
                 "seeds of the stand-alone training; the reference is their mean, and two seeds' own tau is the "
                 "ceiling of any estimate");
  CLI11_PARSE(app, argc, argv);

  const NetworkSpace& space = NetworkSpace::proxy();
  int rejected = 0;
  std::vector<Candidate> candidates =
      sample_candidates(space, genotypes, static_cast<std::int64_t>(max_macs), &rejected);
  std::printf("%d genotypes (seeds from 3000; %d sampled ones above %.0f MACs skipped)\n", genotypes,
              rejected, max_macs);
  AccuracySpec spec;
  spec.recipe = full;
  spec.timeout_seconds = 3600;
  for (std::uint64_t seed : seeds) {
    spec.recipe.seed = seed;
    const AccuracyMeter meter(spec, cache_dir, tandem_train);
    std::printf("stand-alone recipe %s: %s\n", recipe_hash(spec.recipe).c_str(), recipe_to_json(spec.recipe).dump().c_str());
    for (Candidate& c : candidates) {
      const AccuracyResult& result = c.standalone.emplace_back(meter.measure(space.decode(c.genotype), c.hash));
      std::cerr << "  stand-alone " << c.hash << " seed " << seed << ": "
                << (result.ok ? std::to_string(result.accuracy) : "FAILED " + result.error)
                << (result.cached ? " (cached)" : "") << ", " << result.seconds << " s\n";
    }
  }
  const double per_seed = 1.0 / static_cast<double>(seeds.size());
  for (Candidate& c : candidates) {
    for (const AccuracyResult& result : c.standalone) {
      c.standalone_ok = c.standalone_ok && result.ok;
      c.standalone_accuracy += per_seed * result.accuracy;
      c.standalone_float += per_seed * result.float_accuracy.value_or(0);
      c.standalone_seconds += per_seed * result.seconds;
    }
  }
  if (standalone_only) return 0;

  ProcessOptions log;
  log.stderr_file = supernet_dir + ".train.log";
  // With the recipe's own threads: they are part of its training hash, which the evaluations check.
  const ProcessResult trained =
      run_process({TANDEM_SUPERNET_BINARY, "train", "--recipe", recipe_file, "-o", supernet_dir}, log);
  if (!trained.ok()) {
    std::fprintf(stderr, "supernet training %s (see %s.train.log)\n", trained.describe().c_str(), supernet_dir.c_str());
    return 1;
  }
  std::printf("supernet: %s\n", trained.out.c_str());
  for (Candidate& c : candidates) {
    const ProcessResult eval = run_process({TANDEM_SUPERNET_BINARY, "eval", "--supernet", supernet_dir, "--recipe",
                                            recipe_file, "--genotype", format_genotype(c.genotype), "--threads", "1"});
    c.supernet_seconds = eval.seconds;
    if (!eval.ok()) {
      std::cerr << "  supernet eval " << c.hash << " " << eval.describe() << ": " << eval.err << "\n";
      continue;
    }
    const nlohmann::json line = nlohmann::json::parse(eval.out);
    c.supernet_accuracy = line["accuracy"].get<double>();
    c.supernet_float_accuracy = line["float_accuracy"].get<double>();
    c.evaluation_seconds = line["seconds"].get<double>();
  }

  Table table;
  table.headers = {"genotype", "network", "MACs", "supernet int8", "supernet float", "stand-alone int8", "stand-alone float",
                   "stand-alone s", "supernet eval s (process)", "of it evaluation s"};
  std::vector<double> supernet, supernet_float, macs, standalone, seconds, evaluation_seconds;
  for (const Candidate& c : candidates) {
    table.rows.push_back({c.hash, space.describe(c.genotype), human_count(c.macs),
                          c.supernet_accuracy >= 0 ? fixed_number(c.supernet_accuracy, 3) : "failed",
                          c.supernet_accuracy >= 0 ? fixed_number(c.supernet_float_accuracy, 3) : "failed",
                          c.standalone_ok ? fixed_number(c.standalone_accuracy, 3) : "failed",
                          fixed_number(c.standalone_float, 3),
                          fixed_number(c.standalone_seconds, 0), fixed_number(c.supernet_seconds, 2),
                          fixed_number(c.evaluation_seconds, 2)});
    seconds.push_back(c.supernet_seconds);
    evaluation_seconds.push_back(c.evaluation_seconds);
    if (c.supernet_accuracy >= 0 && c.standalone_ok) {
      supernet.push_back(c.supernet_accuracy);
      supernet_float.push_back(c.supernet_float_accuracy);
      macs.push_back(static_cast<double>(c.macs));
      standalone.push_back(c.standalone_accuracy);
    }
  }
  std::printf("\n%s", table.markdown().c_str());
  // The reference's own reliability: two seeds against each other, and with four or more, the
  // mean of the first half of the seeds against the mean of the second half. No estimate can
  // agree with the reference much better than the reference agrees with itself.
  if (seeds.size() >= 2) {
    const std::size_t half = seeds.size() / 2;
    std::vector<double> first, second, first_half, second_half;
    for (const Candidate& c : candidates) {
      if (!c.standalone_ok) continue;
      first.push_back(c.standalone[0].accuracy);
      second.push_back(c.standalone[1].accuracy);
      double a = 0, b = 0;
      for (std::size_t k = 0; k < 2 * half; ++k) (k < half ? a : b) += c.standalone[k].accuracy / static_cast<double>(half);
      first_half.push_back(a);
      second_half.push_back(b);
    }
    std::printf("\nKendall tau-b of stand-alone seed %llu vs seed %llu (the reference's own noise): %.3f\n",
                static_cast<unsigned long long>(seeds[0]), static_cast<unsigned long long>(seeds[1]),
                bench::kendall_tau_b(first, second));
    if (half >= 2) {
      std::printf("Kendall tau-b of the mean of seeds 1..%zu vs the mean of seeds %zu..%zu (in --full-seeds order): %.3f\n",
                  half, half + 1, 2 * half, bench::kendall_tau_b(first_half, second_half));
    }
  }
  std::printf("\nKendall tau-b (supernet vs stand-alone int8 accuracy, mean over %zu seeds) over %zu genotypes: %.3f\n",
              seeds.size(), supernet.size(), bench::kendall_tau_b(supernet, standalone));
  std::printf("  the supernet's float accuracy instead: %.3f; MACs alone (a baseline any estimate must beat): %.3f\n",
              bench::kendall_tau_b(supernet_float, standalone), bench::kendall_tau_b(macs, standalone));
  std::printf("supernet eval seconds per candidate (whole process, 1 thread): median %.2f, max %.2f\n",
              median(seconds), seconds.empty() ? 0.0 : *std::max_element(seconds.begin(), seconds.end()));
  std::printf("of it the evaluation (extract, recalibrate, float and int8 test): median %.2f, max %.2f\n",
              median(evaluation_seconds),
              evaluation_seconds.empty() ? 0.0 : *std::max_element(evaluation_seconds.begin(), evaluation_seconds.end()));
  return 0;
}
