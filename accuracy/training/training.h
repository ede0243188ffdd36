// Internal to tandem-train (library tandem_training, the only one that links libtorch; this
// header itself has no torch types): quantization-aware training of a Network on Fashion-MNIST
// and its export to the int8 Network. See docs/accuracy.md.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "accuracy/accuracy.h"

namespace tandem {

struct TrainingOutcome {
  Network quantized;               // every layer's LayerQuant filled, derived fields included
  double float_accuracy = 0;       // float model (batch norm, before folding) on the test subset
  double int8_accuracy = 0;        // fake-quant model on the test subset
  std::vector<int> int8_predictions;   // fake-quant model, one per test image used
  std::vector<int> test_labels;        // same images
  std::vector<double> epoch_seconds;   // float epochs, then QAT epochs
  int float_epochs = 0;
  int train_images = 0;
};

// Trains `network` (its structure; any quantization is ignored) with `recipe`. Deterministic
// for a seed and thread count. `progress` gets one line per epoch. Throws std::invalid_argument
// for a network the trainer cannot build (input channels other than the data set's, ...).
TrainingOutcome train_network(const Network& network, const TrainingRecipe& recipe,
                              const ImageDataset& train, const ImageDataset& test,
                              const std::function<void(const std::string&)>& progress);

}  // namespace tandem
