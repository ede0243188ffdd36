// A candidate's accuracy from inherited supernet weights (docs/accuracy.md, "Supernet"): the
// subnet's weights copied out, batch norm recalibrated on training images, folded, observers
// calibrated as the stand-alone trainer does, the fake-quant int8 model on the test images.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "accuracy/accuracy.h"
#include "accuracy/supernet_recipe.h"
#include "accuracy/training/supernet.h"

namespace tandem {

struct CandidateAccuracy {
  double int8_accuracy = 0;   // fake-quant model, what the hardware computes
  double float_accuracy = 0;  // float model with the recalibrated batch norm
  int test_images = 0;
  int calibration_images = 0;
  std::optional<Network> quantized;  // the int8 network, when asked for
};

// A trained supernet directory (train_supernet's): its recipe and tensors.
struct TrainedSupernet {
  SupernetRecipe recipe;
  std::unique_ptr<Supernet> supernet;
};
// Throws std::runtime_error naming `dir` when it holds no finished supernet.
TrainedSupernet load_trained_supernet(const std::string& dir);

class SupernetEvaluator {
 public:
  // Calibration: the first recipe.calibration_images training images; test: the first
  // recipe.test_subset test images.
  SupernetEvaluator(const Supernet& supernet, const SupernetRecipe& recipe, const ImageDataset& train,
                    const ImageDataset& test);
  // Throws std::invalid_argument (NetworkSpace::check's reason) for a genotype not in the space.
  CandidateAccuracy evaluate(const Genotype& genotype, bool export_network = false);

 private:
  struct Images {
    torch::Tensor calibration_x, test_x;
    torch::Tensor finetune_x, finetune_y;  // recipe.finetune_steps > 0
  };
  const Images& images_at(const Network& network);

  const Supernet& supernet_;
  SupernetRecipe recipe_;
  const ImageDataset& train_;
  const ImageDataset& test_;
  std::vector<int> test_labels_;
  std::map<int, Images> by_resolution_;
};

}  // namespace tandem
