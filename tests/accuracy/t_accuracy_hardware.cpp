// Accuracy measured on the simulated accelerator (measure_hardware_accuracy, behind
// `tandem simulate --images`): with the analytic model the golden reference's logits stand in
// for the hardware's, so the predictions are the golden network's on the prepared images.
// The RTL path (bit-exact logits) is t_accuracy_rtl's.
#include <catch2/catch.hpp>

#include "accuracy/accuracy.h"
#include "models/network_io.h"
#include "models/random_quantization.h"

using namespace tandem;

TEST_CASE("t_accuracy: accuracy over images on the analytic model is the golden reference's", "[accuracy]") {
  Network network = load_network("zoo:proxy_mobilenet_v1");
  const ImageDataset test = load_fashion_mnist(DatasetSplit::test);
  AcceleratorConfig config;
  SimulationOptions options;
  CHECK_THROWS_AS(measure_hardware_accuracy(network, config, options, test, 2), std::invalid_argument);
  REQUIRE(unquantized_layer(network) == &network.layers[0]);
  quantize_randomly(network, 1);
  network.layers[0].quant->input_scales = {kInputScale};
  network.layers[0].quant->input_zero_points = {kInputZeroPoint};
  CHECK(unquantized_layer(network) == nullptr);

  std::vector<int> seen;
  const HardwareAccuracy run = measure_hardware_accuracy(
      network, config, options, test, 3, [&](const ImagePrediction& image) { seen.push_back(image.index); });
  CHECK(seen == std::vector<int>{0, 1, 2});
  CHECK(run.images == 3);
  CHECK(run.evaluator == "analytic");
  CHECK(run.all_ok);
  CHECK(run.bit_exact_images == 0);
  CHECK(run.metrics.layers.size() == network.layers.size());
  CHECK(run.hardware_predictions == run.golden_predictions);
  int correct = 0;
  for (std::size_t k = 0; k < 3; ++k) {
    CHECK(run.labels[k] == test.labels[k]);
    const Tensor8 input = prepare_image(network, test.image(k), test.rows, test.cols);
    CHECK(run.golden_predictions[k] == argmax(golden_network(network, input).back()));
    correct += run.golden_predictions[k] == run.labels[k] ? 1 : 0;
  }
  CHECK(run.golden_correct == correct);
  CHECK(run.hardware_accuracy() == Approx(correct / 3.0));
  const auto json = to_json(run);
  CHECK(json["images"] == 3);
  CHECK(json["labels"].size() == 3);

  options.only_layers = {"stem"};
  CHECK_THROWS_AS(measure_hardware_accuracy(network, config, options, test, 1), std::invalid_argument);
  options.only_layers.clear();
  CHECK_THROWS_AS(measure_hardware_accuracy(network, config, options, test, 10001), std::invalid_argument);
}
