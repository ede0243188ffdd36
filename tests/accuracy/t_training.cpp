// Quantization-aware training (libtorch) of a small proxy network on a Fashion-MNIST subset:
// a sane accuracy in a short budget, int8 within a point of float, the exported int8 network
// on the golden reference predicting what the torch fake-quant model predicts, determinism.
#include <catch2/catch.hpp>

#include "accuracy/training/training.h"
#include "models/network_io.h"
#include "models/network_space.h"
#include "fashion_mnist_sets.h"

using namespace tandem;

namespace {

using test::test_set;
using test::train_set;

TrainingOutcome train(const Network& network, const TrainingRecipe& recipe) {
  return train_network(network, recipe, train_set(), test_set(), [](const std::string& line) { WARN(line); });
}

// A small genotype of the proxy space at resolution 20: the resize path and a searched network.
Network small_space_network() {
  const NetworkSpace& space = NetworkSpace::proxy();
  Genotype genotype = space.sample(1008);  // 3.9M MACs
  genotype[0] = 0;                          // resolution 20
  REQUIRE_FALSE(space.check(genotype));
  return space.decode(genotype);
}

}  // namespace

TEST_CASE("t_training: a proxy network trains to a sane accuracy, and int8 on the golden reference agrees", "[training][slow]") {
  TrainingRecipe recipe;
  recipe.epochs = 2;
  recipe.qat_epochs = 1;
  recipe.subset = 6000;
  recipe.test_subset = 1000;
  recipe.seed = 1;
  const TrainingOutcome outcome = train(load_network("zoo:proxy_mobilenet_v1"), recipe);
  WARN("float " << outcome.float_accuracy << ", int8 (fake-quant) " << outcome.int8_accuracy);
  CHECK(outcome.train_images == 6000);
  REQUIRE(outcome.int8_predictions.size() == 1000);
  // Sane for 6000 images and 3 epochs: chance is 0.10, a linear model reaches about 0.80.
  CHECK(outcome.float_accuracy > 0.70);
  CHECK(std::abs(outcome.int8_accuracy - outcome.float_accuracy) <= 0.01);

  // The exported network, through its files, on the golden int8 reference.
  const std::string dir = std::string(TANDEM_TEST_OUTPUT_DIR) + "/t_training_mobilenet_v1";
  const Network quantized = load_network_file(write_network_directory(outcome.quantized, dir));
  int agree = 0, right = 0;
  for (std::size_t n = 0; n < 1000; ++n) {
    const Tensor8 input = prepare_image(quantized, test_set().image(n), 28, 28);
    const int predicted = argmax(golden_network(quantized, input).back());
    agree += predicted == outcome.int8_predictions[n] ? 1 : 0;
    right += predicted == test_set().labels[n] ? 1 : 0;
  }
  WARN("golden int8: accuracy " << right / 1000.0 << ", agreement with fake-quant " << agree / 1000.0);
  CHECK(agree >= 990);
  CHECK(std::abs(right / 1000.0 - outcome.float_accuracy) <= 0.01);
}

TEST_CASE("t_training: the same seed gives the same network, another seed another", "[training][slow]") {
  TrainingRecipe recipe;
  recipe.epochs = 1;
  recipe.qat_epochs = 1;
  recipe.subset = 256;
  recipe.test_subset = 100;
  recipe.seed = 5;
  const Network network = small_space_network();
  REQUIRE(network.input.height == 20);
  const TrainingOutcome a = train(network, recipe);
  const TrainingOutcome b = train(network, recipe);
  CHECK(a.int8_predictions == b.int8_predictions);
  CHECK(a.float_accuracy == b.float_accuracy);
  for (std::size_t l = 0; l < a.quantized.layers.size(); ++l) {
    INFO(a.quantized.layers[l].name);
    CHECK(a.quantized.layers[l].quant->weights == b.quantized.layers[l].quant->weights);
    CHECK(a.quantized.layers[l].quant->output_scale == b.quantized.layers[l].quant->output_scale);
  }
  recipe.seed = 6;
  const TrainingOutcome c = train(network, recipe);
  CHECK(c.quantized.layers[0].quant->weights != a.quantized.layers[0].quant->weights);
}
