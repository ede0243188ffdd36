// `tandem-train NETWORK [options] -o OUT` (also reached as `tandem train`): quantization-aware
// training on Fashion-MNIST; prints float and int8 test accuracy and writes the int8 network.
// A separate executable so that `tandem` itself never loads libtorch.
#include <CLI/CLI.hpp>
#include <sys/prctl.h>

#include <csignal>

#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "accuracy/accuracy.h"
#include "accuracy/training/training.h"
#include "core/files.h"
#include "core/version.h"
#include "models/network_io.h"
#include "golden/golden.h"

namespace {

using namespace tandem;

struct GoldenCheck {
  int images = 0;
  double accuracy = 0;   // the int8 golden reference's top-1
  double agreement = 0;  // fraction where it predicts what the fake-quant model predicts
};

// The exported network on the golden reference, for the first `images` test images.
GoldenCheck check_on_golden(const Network& quantized, const ImageDataset& test,
                            const TrainingOutcome& outcome, int images) {
  GoldenCheck check;
  check.images = std::min<int>(images, static_cast<int>(outcome.int8_predictions.size()));
  int right = 0, agree = 0;
  for (int n = 0; n < check.images; ++n) {
    const auto k = static_cast<std::size_t>(n);
    const Tensor8 input = prepare_image(quantized, test.image(k), test.rows, test.cols);
    const int predicted = argmax(golden_network(quantized, input).back());
    right += predicted == outcome.test_labels[k] ? 1 : 0;
    agree += predicted == outcome.int8_predictions[k] ? 1 : 0;
  }
  if (check.images > 0) {
    check.accuracy = static_cast<double>(right) / check.images;
    check.agreement = static_cast<double>(agree) / check.images;
  }
  return check;
}

double mean(const std::vector<double>& values, std::size_t begin, std::size_t end) {
  double sum = 0;
  for (std::size_t i = begin; i < end; ++i) sum += values[i];
  return end > begin ? sum / static_cast<double>(end - begin) : 0.0;
}

int run(const std::string& network_source, const TrainingRecipe& recipe, const std::string& out_dir,
        const std::string& dataset_dir) {
  const auto start = std::chrono::steady_clock::now();
  const Network network = load_network(network_source);
  const ImageDataset train = load_fashion_mnist(DatasetSplit::train, dataset_dir);
  const ImageDataset test = load_fashion_mnist(DatasetSplit::test, dataset_dir);
  std::cerr << "tandem-train: " << network.name << ", recipe " << recipe_hash(recipe) << "\n";
  const TrainingOutcome outcome =
      train_network(network, recipe, train, test, [](const std::string& line) { std::cerr << line << "\n"; });
  const GoldenCheck golden = check_on_golden(outcome.quantized, test, outcome, recipe.golden_images);
  const std::string yaml = write_network_directory(outcome.quantized, out_dir);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const auto float_epochs = static_cast<std::size_t>(outcome.float_epochs);
  nlohmann::ordered_json summary;
  summary["network"] = network.name;
  summary["network_file"] = "network.yaml";
  summary["accuracy"] = outcome.int8_accuracy;
  summary["float_accuracy"] = outcome.float_accuracy;
  summary["int8_accuracy"] = outcome.int8_accuracy;
  summary["test_images"] = outcome.test_labels.size();
  summary["train_images"] = outcome.train_images;
  summary["golden"] = {{"images", golden.images}, {"accuracy", golden.accuracy}, {"agreement", golden.agreement}};
  summary["recipe"] = recipe_to_json(recipe);
  summary["recipe_hash"] = recipe_hash(recipe);
  summary["epoch_seconds"] = outcome.epoch_seconds;
  summary["seconds_per_float_epoch"] = mean(outcome.epoch_seconds, 0, float_epochs);
  summary["seconds_per_qat_epoch"] = mean(outcome.epoch_seconds, float_epochs, outcome.epoch_seconds.size());
  summary["seconds"] = seconds;
  summary["tandem_version"] = version();
  write_file_atomically(std::filesystem::path(out_dir) / "train.json", summary.dump(2) + "\n");

  std::cout << std::fixed << std::setprecision(4) << "float accuracy: " << outcome.float_accuracy
            << " (" << outcome.test_labels.size() << " test images)\n"
            << "int8 accuracy:  " << outcome.int8_accuracy << " (fake-quant model; golden int8 reference on "
            << golden.images << " images: " << golden.accuracy << ", same prediction for "
            << golden.agreement * 100 << "%)\n"
            << "wrote " << yaml << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Die with the process that started us (a search killed with kill -9 cannot stop us itself).
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  CLI::App app{"Quantization-aware training of a network on Fashion-MNIST (libtorch, CPU). Prints "
               "float and int8 test accuracy; writes OUT/network.yaml with int8 weights in "
               "OUT/weights/*.npy and OUT/train.json (docs/accuracy.md).",
               "tandem train"};
  std::string network_source, out_dir, recipe_file, dataset_dir;
  TrainingRecipe recipe;
  app.add_option("NETWORK", network_source, "network YAML, an ONNX model (.onnx) or zoo:NAME (structure; 10 classes)")->required();
  app.add_option("-o,--output", out_dir, "output directory")->required();
  app.add_option("--recipe", recipe_file, "recipe YAML (`recipe: {...}`); the options below override it");
  auto* epochs = app.add_option("--epochs", recipe.epochs, "float epochs")->check(CLI::Range(0, 1000));
  auto* qat_epochs = app.add_option("--qat-epochs", recipe.qat_epochs, "quantization-aware epochs")->check(CLI::Range(0, 1000));
  auto* subset = app.add_option("--subset", recipe.subset, "training images (0: all 60000)")->check(CLI::Range(0, 60000));
  auto* test_subset = app.add_option("--test-subset", recipe.test_subset, "test images (0: all 10000)")->check(CLI::Range(0, 10000));
  auto* golden = app.add_option("--golden-images", recipe.golden_images, "test images also run on the golden reference")->check(CLI::Range(0, 10000));
  auto* batch = app.add_option("--batch", recipe.batch, "batch size")->check(CLI::Range(1, 4096));
  auto* optimizer = app.add_option("--optimizer", recipe.optimizer, "adam or sgd")->check(CLI::IsMember(recipe_optimizers()));
  auto* lr = app.add_option("--learning-rate", recipe.learning_rate, "learning rate")->check(CLI::PositiveNumber);
  auto* qat_lr = app.add_option("--qat-learning-rate", recipe.qat_learning_rate, "quantization-aware phase learning rate")->check(CLI::PositiveNumber);
  auto* seed = app.add_option("--seed", recipe.seed, "seed (weights init, subset, shuffling)");
  auto* threads = app.add_option("--threads", recipe.threads, "torch intra-op threads")->check(CLI::Range(1, 256));
  app.add_option("--dataset-dir", dataset_dir, std::string("Fashion-MNIST folder (default ") + kFashionMnistDir + ")");
  app.set_version_flag("--version", std::string("tandem ") + version());
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    if (!recipe_file.empty()) {
      // The file gives the base; options given on the command line win.
      const TrainingRecipe flags = recipe;
      recipe = load_training_recipe_file(recipe_file);
      if (*epochs) recipe.epochs = flags.epochs;
      if (*qat_epochs) recipe.qat_epochs = flags.qat_epochs;
      if (*subset) recipe.subset = flags.subset;
      if (*test_subset) recipe.test_subset = flags.test_subset;
      if (*golden) recipe.golden_images = flags.golden_images;
      if (*batch) recipe.batch = flags.batch;
      if (*optimizer) recipe.optimizer = flags.optimizer;
      if (*lr) recipe.learning_rate = flags.learning_rate;
      if (*qat_lr) recipe.qat_learning_rate = flags.qat_learning_rate;
      if (*seed) recipe.seed = flags.seed;
      if (*threads) recipe.threads = flags.threads;
    }
    if (recipe.epochs + recipe.qat_epochs == 0) {
      std::cerr << "tandem train: error: --epochs and --qat-epochs are both 0\n";
      return 1;
    }
    return run(network_source, recipe, out_dir, dataset_dir);
  } catch (const InputError& e) {
    std::cerr << e.what() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "tandem train: error: " << e.what() << "\n";
  }
  return 1;
}
