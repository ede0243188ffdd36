// `tandem-supernet train|eval`: the weight-sharing supernet of the proxy space
// (docs/accuracy.md, "Supernet"). train: resumable training into a directory; eval: per
// genotype one JSON line with its int8 accuracy from inherited weights. A separate executable
// so that `tandem` itself never loads libtorch.
#include <CLI/CLI.hpp>
#include <sys/prctl.h>

#include <csignal>

#include <chrono>
#include <fstream>
#include <iostream>

#include "accuracy/supernet_recipe.h"
#include "accuracy/training/supernet_evaluation.h"
#include "accuracy/training/supernet_training.h"
#include "core/files.h"
#include "core/input_error.h"
#include "core/version.h"
#include "models/network_io.h"

namespace {

using namespace tandem;

int train(const std::string& recipe_file, const std::string& out_dir, int threads, long stop_after_steps,
          const std::string& dataset_dir) {
  SupernetRecipe recipe = load_supernet_recipe_file(recipe_file);
  if (threads > 0) recipe.threads = threads;
  const std::string hash = supernet_training_hash(recipe);
  auto print_summary = [&] {
    std::cout << read_file(std::filesystem::path(out_dir) / "supernet.json");
  };
  const std::string finished = finished_supernet_hash(out_dir);
  if (finished == hash) {  // done before: no data loading, no torch start-up work
    print_summary();
    return 0;
  }
  const ImageDataset data = load_fashion_mnist(DatasetSplit::train, dataset_dir);
  std::cerr << "tandem-supernet: training supernet " << hash << " into " << out_dir << "\n";
  SupernetTrainingOptions options;
  options.progress = [](const std::string& line) { std::cerr << line << "\n"; };
  options.stop_after_steps = stop_after_steps;
  if (!train_supernet(recipe, out_dir, data, options)) {
    std::cerr << "tandem-supernet: stopped after " << stop_after_steps << " steps; run again to continue\n";
    return 0;
  }
  print_summary();
  return 0;
}

std::vector<Genotype> read_genotypes(const std::vector<std::string>& texts, const std::string& file) {
  std::vector<std::string> lines = texts;
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot open genotype file " + file);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line[0] != '#') lines.push_back(line);
    }
  }
  std::vector<Genotype> genotypes;
  for (const std::string& line : lines) genotypes.push_back(parse_genotype(line));
  return genotypes;
}

// The evaluation fields come from `recipe_file` when given (its training fields must be the
// supernet's), else from the supernet's own recipe.
int eval(const std::string& supernet_dir, const std::string& recipe_file, const std::vector<Genotype>& genotypes,
         const std::string& out_dir, int threads, const std::string& dataset_dir) {
  torch::set_num_threads(threads);
  const TrainedSupernet trained = load_trained_supernet(supernet_dir);
  SupernetRecipe recipe = trained.recipe;
  if (!recipe_file.empty()) {
    recipe = load_supernet_recipe_file(recipe_file);
    if (supernet_training_hash(recipe) != supernet_training_hash(trained.recipe)) {
      throw std::invalid_argument(recipe_file + " trains another supernet (" + supernet_training_hash(recipe) +
                                  ") than the one in " + supernet_dir + " (" +
                                  supernet_training_hash(trained.recipe) + ")");
    }
  }
  const NetworkSpace& space = trained.supernet->space();
  for (const Genotype& genotype : genotypes) {  // every one checked before any work
    if (auto problem = space.check(genotype)) {
      throw std::invalid_argument("genotype " + format_genotype(genotype) + ": " + *problem);
    }
  }
  const ImageDataset train = load_fashion_mnist(DatasetSplit::train, dataset_dir);
  const ImageDataset test = load_fashion_mnist(DatasetSplit::test, dataset_dir);
  SupernetEvaluator evaluator(*trained.supernet, recipe, train, test);
  for (const Genotype& genotype : genotypes) {
    const auto start = std::chrono::steady_clock::now();
    const CandidateAccuracy result = evaluator.evaluate(genotype, !out_dir.empty());
    if (result.quantized) write_network_directory(*result.quantized, out_dir);
    nlohmann::ordered_json line;
    line["genotype"] = format_genotype(genotype);
    line["network_hash"] = space.hash(genotype);
    line["accuracy"] = result.int8_accuracy;
    line["float_accuracy"] = result.float_accuracy;
    line["test_images"] = result.test_images;
    line["calibration_images"] = result.calibration_images;
    line["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << line.dump() << std::endl;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Die with the process that started us (a search killed with kill -9 cannot stop us itself).
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  CLI::App app{"The weight-sharing supernet of the proxy network space (libtorch, CPU; docs/accuracy.md, "
               "\"Supernet\")."};
  app.require_subcommand(1);
  std::string dataset_dir;
  app.add_option("--dataset-dir", dataset_dir, std::string("Fashion-MNIST folder (default ") + kFashionMnistDir + ")");
  app.set_version_flag("--version", std::string("tandem ") + version());

  auto* train_command = app.add_subcommand("train", "train the supernet into a directory (resumes a stopped run)");
  std::string recipe_file, out_dir;
  int train_threads = 0;
  long stop_after_steps = -1;
  train_command->add_option("--recipe", recipe_file, "supernet recipe YAML (`supernet: {...}`)")->required();
  train_command->add_option("-o,--output", out_dir, "supernet directory")->required();
  train_command->add_option("--threads", train_threads, "torch threads (overrides the recipe's)")->check(CLI::Range(1, 256));
  train_command->add_option("--stop-after-steps", stop_after_steps, "checkpoint and stop after N steps (testing)");
  train_command->add_option("--dataset-dir", dataset_dir, "Fashion-MNIST folder");

  auto* eval_command = app.add_subcommand("eval", "int8 accuracy of genotypes from inherited supernet weights");
  std::string supernet_dir, genotype_file, eval_out;
  std::vector<std::string> genotype_texts;
  int eval_threads = 1;
  eval_command->add_option("--supernet", supernet_dir, "trained supernet directory")->required();
  auto* one = eval_command->add_option("--genotype", genotype_texts, "genotype, comma-separated gene indices");
  auto* many = eval_command->add_option("--genotypes", genotype_file, "file with one genotype per line");
  one->excludes(many);
  std::string eval_recipe_file;
  eval_command->add_option("--recipe", eval_recipe_file,
                           "supernet recipe YAML whose evaluation fields to use (calibration_images, test_subset, "
                           "finetune_*); default: the supernet's own");
  eval_command->add_option("-o,--output", eval_out, "write the int8 subnet to OUT/network.yaml (one genotype)");
  eval_command->add_option("--threads", eval_threads, "torch threads")->check(CLI::Range(1, 256));
  eval_command->add_option("--dataset-dir", dataset_dir, "Fashion-MNIST folder");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    if (*train_command) return train(recipe_file, out_dir, train_threads, stop_after_steps, dataset_dir);
    const std::vector<Genotype> genotypes = read_genotypes(genotype_texts, genotype_file);
    if (genotypes.empty()) throw std::invalid_argument("give --genotype G or --genotypes FILE");
    if (!eval_out.empty() && genotypes.size() != 1) throw std::invalid_argument("-o takes one genotype");
    return eval(supernet_dir, eval_recipe_file, genotypes, eval_out, eval_threads, dataset_dir);
  } catch (const InputError& e) {
    std::cerr << e.what() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "tandem-supernet: error: " << e.what() << "\n";
  }
  return 1;
}
