// Shared pieces of the training schedules (training_steps.h).
#include "accuracy/training/training_steps.h"

#include <cmath>

#include "core/random.h"

namespace tandem {

namespace {
constexpr int kEvaluationBatch = 256;
}  // namespace

std::pair<torch::Tensor, torch::Tensor> prepare_batch_source(const Network& network,
                                                             const ImageDataset& data,
                                                             const std::vector<std::size_t>& images) {
  const TensorShape& shape = network.input;
  torch::Tensor x = torch::empty({static_cast<std::int64_t>(images.size()), shape.height, shape.width, shape.channels});
  torch::Tensor y = torch::empty({static_cast<std::int64_t>(images.size())}, torch::kInt64);
  float* xs = x.data_ptr<float>();
  const auto per_image = static_cast<std::size_t>(shape.elements());
  for (std::size_t n = 0; n < images.size(); ++n) {
    const std::vector<float> real = prepare_image_real(network, data.image(images[n]), data.rows, data.cols);
    std::copy(real.begin(), real.end(), xs + n * per_image);
    y[static_cast<std::int64_t>(n)] = static_cast<std::int64_t>(data.labels[images[n]]);
  }
  return {x.permute({0, 3, 1, 2}).contiguous(), y};
}

void shuffle(std::vector<std::int64_t>& order, std::mt19937_64& rng) {
  for (std::size_t i = order.size(); i > 1; --i) {
    std::swap(order[i - 1], order[static_cast<std::size_t>(uniform_index(rng, static_cast<int>(i)))]);
  }
}

std::unique_ptr<torch::optim::Optimizer> make_optimizer(const std::string& name, std::vector<torch::Tensor> params,
                                                        double lr, double weight_decay) {
  if (name == "sgd") {
    return std::make_unique<torch::optim::SGD>(params,
                                               torch::optim::SGDOptions(lr).momentum(0.9).weight_decay(weight_decay));
  }
  return std::make_unique<torch::optim::Adam>(params, torch::optim::AdamOptions(lr).weight_decay(weight_decay));
}

void set_learning_rate(torch::optim::Optimizer& optimizer, double lr) {
  for (auto& group : optimizer.param_groups()) group.options().set_lr(lr);
}

double cosine_learning_rate(double base, double progress) { return base * 0.5 * (1.0 + std::cos(M_PI * progress)); }

double train_batch(TorchNetwork& model, torch::optim::Optimizer& optimizer, const torch::Tensor& x,
                   const torch::Tensor& y) {
  optimizer.zero_grad();
  const torch::Tensor loss = torch::nn::functional::cross_entropy(model.forward(x), y);
  loss.backward();
  optimizer.step();
  return loss.item<double>();
}

void calibrate_observers(TorchNetwork& model, const torch::Tensor& x, int batch, int max_batches) {
  torch::NoGradGuard no_grad;
  model.eval();
  model.set_fake_quant_activations(false);
  model.set_observing(true);
  for (int b = 0; b < max_batches && static_cast<std::int64_t>(b) * batch < x.size(0); ++b) {
    model.forward(x.slice(0, static_cast<std::int64_t>(b) * batch,
                          std::min<std::int64_t>((b + 1) * static_cast<std::int64_t>(batch), x.size(0))));
  }
  model.set_fake_quant_activations(true);
}

std::vector<int> predict(TorchNetwork& model, const torch::Tensor& x) {
  torch::NoGradGuard no_grad;
  model.eval();
  std::vector<int> predictions;
  for (std::int64_t begin = 0; begin < x.size(0); begin += kEvaluationBatch) {
    // argmax returns the first maximal index, as tandem::argmax does for int8 logits.
    const torch::Tensor best = model.forward(x.slice(0, begin, std::min<std::int64_t>(begin + kEvaluationBatch, x.size(0))))
                                   .argmax(1);
    for (std::int64_t n = 0; n < best.size(0); ++n) predictions.push_back(static_cast<int>(best[n].item<std::int64_t>()));
  }
  return predictions;
}

double accuracy_of(const std::vector<int>& predictions, const std::vector<int>& labels) {
  std::size_t right = 0;
  for (std::size_t n = 0; n < predictions.size(); ++n) right += predictions[n] == labels[n] ? 1 : 0;
  return predictions.empty() ? 0.0 : static_cast<double>(right) / static_cast<double>(predictions.size());
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace tandem
