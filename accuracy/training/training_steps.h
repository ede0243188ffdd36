// The pieces of a training schedule shared by the stand-alone trainer (trainer.cpp) and the
// supernet (supernet_training.cpp, supernet_evaluation.cpp): batches, shuffling, optimizers,
// observer calibration, prediction.
#pragma once

#include <torch/torch.h>

#include <chrono>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "accuracy/accuracy.h"
#include "accuracy/training/torch_network.h"

namespace tandem {

// The prepared real-valued inputs [N, C, H, W] of the given images at the network's input
// shape (prepare_image_real), and their labels [N].
std::pair<torch::Tensor, torch::Tensor> prepare_batch_source(const Network& network, const ImageDataset& data,
                                                             const std::vector<std::size_t>& images);

// Fisher-Yates with the library-independent uniform_index: the same order everywhere.
void shuffle(std::vector<std::int64_t>& order, std::mt19937_64& rng);

// "adam" or "sgd" (momentum 0.9).
std::unique_ptr<torch::optim::Optimizer> make_optimizer(const std::string& name, std::vector<torch::Tensor> params,
                                                        double learning_rate, double weight_decay);
void set_learning_rate(torch::optim::Optimizer& optimizer, double learning_rate);
// The schedules' cosine decay: `base` at progress 0, 0 at progress 1.
double cosine_learning_rate(double base, double progress);
// One step on one batch: zero the gradients, cross entropy of the model's logits, backward,
// optimizer step; returns the loss.
double train_batch(TorchNetwork& model, torch::optim::Optimizer& optimizer, const torch::Tensor& x,
                   const torch::Tensor& y);

// Quantized phase, after fold_batch_norm: sets the activation observers from up to
// `max_batches` batches of x (no activation fake-quant meanwhile), then turns fake-quant on.
void calibrate_observers(TorchNetwork& model, const torch::Tensor& x, int batch, int max_batches);

// Top-1 class per image, in eval mode without gradients.
std::vector<int> predict(TorchNetwork& model, const torch::Tensor& x);
double accuracy_of(const std::vector<int>& predictions, const std::vector<int>& labels);

double seconds_since(std::chrono::steady_clock::time_point start);

}  // namespace tandem
