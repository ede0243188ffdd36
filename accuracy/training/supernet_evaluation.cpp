#include "accuracy/training/supernet_evaluation.h"

#include <filesystem>
#include <numeric>
#include <tuple>

#include "accuracy/training/training_steps.h"
#include "accuracy/training/supernet_training.h"

namespace tandem {

namespace {

constexpr int kRecalibrationBatch = 256;

std::vector<std::size_t> first(std::size_t count, std::size_t available) {
  std::vector<std::size_t> images(std::min(count, available));
  std::iota(images.begin(), images.end(), 0);
  return images;
}

// Batch norm statistics of this subnet, not the supernet's running mix of all subnets: each
// batch normalized by its own statistics (training mode), the running mean and variance set to
// the mean over the batches (momentum 1/(k+1)); one batch for up to 256 images: exact.
void recalibrate_batch_norm(TorchNetwork& model, const torch::Tensor& x) {
  torch::NoGradGuard no_grad;
  model.train();
  int batches = 0;
  for (std::int64_t begin = 0; begin < x.size(0); begin += kRecalibrationBatch, ++batches) {
    model.set_batch_norm_momentum(1.0 / (batches + 1));
    model.forward(x.slice(0, begin, std::min<std::int64_t>(begin + kRecalibrationBatch, x.size(0))));
  }
  model.eval();
}

// The candidate's own training from its inherited weights: `steps` Adam steps over `x` (in
// order, wrapping), batch norm in training mode, cosine decay to 0. The batches are fixed, so
// the result is deterministic.
void fine_tune(TorchNetwork& model, const torch::Tensor& x, const torch::Tensor& y, int steps, int batch,
               double learning_rate) {
  if (steps <= 0) return;
  model.train();
  auto optimizer = make_optimizer("adam", model.trainable(), learning_rate, 0.0);
  const std::int64_t n = x.size(0);
  for (int step = 0; step < steps; ++step) {
    const std::int64_t begin = (static_cast<std::int64_t>(step) * batch) % n;
    const std::int64_t end = std::min<std::int64_t>(begin + batch, n);
    set_learning_rate(*optimizer, cosine_learning_rate(learning_rate, static_cast<double>(step) / steps));
    train_batch(model, *optimizer, x.slice(0, begin, end), y.slice(0, begin, end));
  }
}

}  // namespace

TrainedSupernet load_trained_supernet(const std::string& dir) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(dir)) throw std::runtime_error("no supernet directory " + dir);
  if (finished_supernet_hash(dir).empty()) {
    throw std::runtime_error(dir + " holds no finished supernet (no supernet.json; train it with "
                             "`tandem-supernet train --recipe R -o " + dir + "`)");
  }
  TrainedSupernet trained;
  trained.recipe = load_supernet_recipe_file((fs::path(dir) / "recipe.yaml").string());
  if (finished_supernet_hash(dir) != supernet_training_hash(trained.recipe)) {
    throw std::runtime_error(dir + ": recipe.yaml does not match supernet.json's recipe hash");
  }
  const NetworkSpace* space = NetworkSpace::find(trained.recipe.space);
  if (!space) throw std::runtime_error(dir + ": unknown network space '" + trained.recipe.space + "'");
  trained.supernet = std::make_unique<Supernet>(*space, false);
  torch::serialize::InputArchive archive;
  archive.load_from((fs::path(dir) / "supernet.pt").string());
  trained.supernet->load(archive);
  return trained;
}

SupernetEvaluator::SupernetEvaluator(const Supernet& supernet, const SupernetRecipe& recipe, const ImageDataset& train,
                                     const ImageDataset& test)
    : supernet_(supernet), recipe_(recipe), train_(train), test_(test) {
  for (std::size_t n : first(static_cast<std::size_t>(recipe.test_subset), test.size())) test_labels_.push_back(test.labels[n]);
}

const SupernetEvaluator::Images& SupernetEvaluator::images_at(const Network& network) {
  auto found = by_resolution_.find(network.input.height);
  if (found != by_resolution_.end()) return found->second;
  Images images;
  images.calibration_x =
      prepare_batch_source(network, train_, first(static_cast<std::size_t>(recipe_.calibration_images), train_.size())).first;
  if (recipe_.finetune_steps > 0) {
    // The images after the calibration ones, one batch per step, at most the training set once.
    const std::size_t count =
        std::min<std::size_t>(static_cast<std::size_t>(recipe_.finetune_steps) * static_cast<std::size_t>(recipe_.batch),
                              train_.size());
    std::vector<std::size_t> ids(count);
    for (std::size_t n = 0; n < count; ++n) ids[n] = (static_cast<std::size_t>(recipe_.calibration_images) + n) % train_.size();
    std::tie(images.finetune_x, images.finetune_y) = prepare_batch_source(network, train_, ids);
  }
  images.test_x = prepare_batch_source(network, test_, first(test_labels_.size(), test_.size())).first;
  return by_resolution_[network.input.height] = images;
}

CandidateAccuracy SupernetEvaluator::evaluate(const Genotype& genotype, bool export_network) {
  const std::shared_ptr<TorchNetwork> model = supernet_.extract(genotype);  // throws for a bad genotype
  const Images& images = images_at(supernet_.space().decode(genotype));
  CandidateAccuracy result;
  result.test_images = static_cast<int>(test_labels_.size());
  result.calibration_images = static_cast<int>(images.calibration_x.size(0));
  fine_tune(*model, images.finetune_x, images.finetune_y, recipe_.finetune_steps, recipe_.batch,
            recipe_.finetune_learning_rate);
  recalibrate_batch_norm(*model, images.calibration_x);
  result.float_accuracy = accuracy_of(predict(*model, images.test_x), test_labels_);
  model->fold_batch_norm();
  // As the stand-alone trainer calibrates before its quantization-aware epochs.
  calibrate_observers(*model, images.calibration_x, recipe_.batch, result.calibration_images);
  model->set_observing(false);
  result.int8_accuracy = accuracy_of(predict(*model, images.test_x), test_labels_);
  if (export_network) result.quantized = model->export_quantized();
  return result;
}

}  // namespace tandem
