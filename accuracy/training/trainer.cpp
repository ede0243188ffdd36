// The training schedule: float epochs with batch norm (cosine learning rate), fold batch norm,
// calibrate the activation observers, quantization-aware epochs, evaluate, export.
#include <chrono>
#include <numeric>
#include <sstream>

#include "accuracy/training/torch_network.h"
#include "accuracy/training/training.h"
#include "accuracy/training/training_steps.h"

namespace tandem {

namespace {

constexpr int kCalibrationBatches = 32;

// One epoch over the training images in a fresh seeded order; returns the mean loss.
// `learning_rate(step)` gives each step's rate (step counts within the epoch).
template <typename LearningRate>
double run_epoch(TorchNetwork& model, torch::optim::Optimizer& optimizer, const torch::Tensor& x,
                 const torch::Tensor& y, int batch, std::mt19937_64& rng, LearningRate learning_rate) {
  std::vector<std::int64_t> order(static_cast<std::size_t>(x.size(0)));
  std::iota(order.begin(), order.end(), 0);
  shuffle(order, rng);
  const torch::Tensor order_tensor = torch::tensor(order, torch::kInt64);
  double loss_sum = 0;
  int steps = 0;
  for (std::int64_t begin = 0; begin < x.size(0); begin += batch) {
    const torch::Tensor index = order_tensor.slice(0, begin, std::min<std::int64_t>(begin + batch, x.size(0)));
    set_learning_rate(optimizer, learning_rate(steps));
    loss_sum += train_batch(model, optimizer, x.index_select(0, index), y.index_select(0, index));
    ++steps;
  }
  return steps ? loss_sum / steps : 0.0;
}

}  // namespace

TrainingOutcome train_network(const Network& network, const TrainingRecipe& recipe,
                              const ImageDataset& train, const ImageDataset& test,
                              const std::function<void(const std::string&)>& progress) {
  if (network.num_classes != 10) {
    throw std::invalid_argument("network '" + network.name + "' has " + std::to_string(network.num_classes) +
                                " classes; Fashion-MNIST has 10");
  }
  torch::set_num_threads(recipe.threads);
  torch::manual_seed(recipe.seed);
  std::mt19937_64 rng(recipe.seed);

  // The training subset: the first N of a seeded permutation of the training set.
  std::vector<std::int64_t> permutation(train.size());
  std::iota(permutation.begin(), permutation.end(), 0);
  shuffle(permutation, rng);
  const std::size_t train_count = recipe.subset > 0 ? std::min<std::size_t>(recipe.subset, train.size()) : train.size();
  const std::vector<std::size_t> train_images(permutation.begin(), permutation.begin() + static_cast<std::ptrdiff_t>(train_count));
  const std::size_t test_count = recipe.test_subset > 0 ? std::min<std::size_t>(recipe.test_subset, test.size()) : test.size();
  std::vector<std::size_t> test_images(test_count);
  std::iota(test_images.begin(), test_images.end(), 0);
  const auto [train_x, train_y] = prepare_batch_source(network, train, train_images);
  const auto [test_x, test_y] = prepare_batch_source(network, test, test_images);

  TrainingOutcome outcome;
  outcome.train_images = static_cast<int>(train_count);
  outcome.float_epochs = recipe.epochs;
  for (std::size_t n = 0; n < test_count; ++n) outcome.test_labels.push_back(test.labels[test_images[n]]);

  TorchNetwork model(network);
  const auto steps_per_epoch = static_cast<int>((train_count + static_cast<std::size_t>(recipe.batch) - 1) /
                                                static_cast<std::size_t>(recipe.batch));
  const double total_steps = static_cast<double>(steps_per_epoch) * recipe.epochs;
  auto optimizer = make_optimizer(recipe.optimizer, model.trainable(), recipe.learning_rate, recipe.weight_decay);
  for (int epoch = 0; epoch < recipe.epochs; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    model.train();
    const double loss = run_epoch(model, *optimizer, train_x, train_y, recipe.batch, rng, [&](int step) {
      const double t = (static_cast<double>(epoch) * steps_per_epoch + step) / total_steps;
      return cosine_learning_rate(recipe.learning_rate, t);
    });
    outcome.epoch_seconds.push_back(seconds_since(start));
    std::ostringstream line;
    line << "epoch " << epoch + 1 << "/" << recipe.epochs << " (float): loss " << loss << ", "
         << outcome.epoch_seconds.back() << " s";
    progress(line.str());
  }
  outcome.float_accuracy = accuracy_of(predict(model, test_x), outcome.test_labels);

  // Quantized phase: fold batch norm, calibrate observers without activation fake-quant, then
  // train with everything fake-quantized at the (small, constant) QAT rate: without batch norm a
  // fresh Adam's first steps move every folded weight by about the rate, so 1e-3 already costs
  // accuracy (measured, docs/results.md).
  model.fold_batch_norm();
  calibrate_observers(model, train_x, recipe.batch, kCalibrationBatches);
  auto qat_optimizer = make_optimizer(recipe.optimizer, model.trainable(), recipe.qat_learning_rate, recipe.weight_decay);
  for (int epoch = 0; epoch < recipe.qat_epochs; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    model.train();
    model.set_observing(true);
    const double loss = run_epoch(model, *qat_optimizer, train_x, train_y, recipe.batch, rng,
                                  [&](int) { return recipe.qat_learning_rate; });
    outcome.epoch_seconds.push_back(seconds_since(start));
    std::ostringstream line;
    line << "epoch " << epoch + 1 << "/" << recipe.qat_epochs << " (quantization-aware): loss " << loss
         << ", " << outcome.epoch_seconds.back() << " s";
    progress(line.str());
  }
  model.set_observing(false);  // frozen: what is evaluated is what is exported
  outcome.int8_predictions = predict(model, test_x);
  outcome.int8_accuracy = accuracy_of(outcome.int8_predictions, outcome.test_labels);
  outcome.quantized = model.export_quantized();
  return outcome;
}

}  // namespace tandem
