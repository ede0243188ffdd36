// Fashion-MNIST reading, the shared image preparation, and trained-network files (.npy).
#include <catch2/catch.hpp>

#include <filesystem>

#include "accuracy/accuracy.h"
#include "models/network_io.h"
#include "models/random_quantization.h"

using namespace tandem;

TEST_CASE("t_accuracy: Fashion-MNIST reads as 60000 + 10000 labelled 28x28 images", "[accuracy]") {
  const ImageDataset train = load_fashion_mnist(DatasetSplit::train);
  const ImageDataset test = load_fashion_mnist(DatasetSplit::test);
  REQUIRE(train.size() == 60000);
  REQUIRE(test.size() == 10000);
  CHECK(train.rows == 28);
  CHECK(test.cols == 28);
  CHECK(test.pixels.size() == 10000u * 28 * 28);
  // The data set is balanced: 6000 and 1000 images per class.
  std::vector<int> train_counts(10), test_counts(10);
  for (auto label : train.labels) ++train_counts[label];
  for (auto label : test.labels) ++test_counts[label];
  CHECK(train_counts == std::vector<int>(10, 6000));
  CHECK(test_counts == std::vector<int>(10, 1000));
  // The first image of each split is an ankle boot (class 9), as the data set's README shows.
  CHECK(train.labels[0] == 9);
  CHECK(test.labels[0] == 9);
}

TEST_CASE("t_accuracy: a missing data set folder names the file and the package", "[accuracy]") {
  try {
    load_fashion_mnist(DatasetSplit::test, "/nonexistent/fmnist");
    FAIL("no error");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()) ==
          "cannot open /nonexistent/fmnist/t10k-images-idx3-ubyte[.gz] (Fashion-MNIST: install the "
          "Debian package dataset-fashion-mnist or set TANDEM_FASHION_MNIST_DIR)");
  }
}

TEST_CASE("t_accuracy: the area resize is exact integer averaging", "[accuracy]") {
  const std::vector<std::uint8_t> square = {1, 2, 3, 4};
  CHECK(resize_image(square.data(), 2, 2, 1, 1) == std::vector<std::uint8_t>{3});  // 2.5 rounds up
  CHECK(resize_image(square.data(), 2, 2, 2, 2) == square);                         // identity
  const std::vector<std::uint8_t> row = {0, 30, 90};
  // 3 -> 2: output 0 is (2*0 + 1*30) / 3, output 1 is (1*30 + 2*90) / 3.
  CHECK(resize_image(row.data(), 1, 3, 1, 2) == std::vector<std::uint8_t>{10, 70});
  const ImageDataset test = load_fashion_mnist(DatasetSplit::test);
  for (int size : {20, 24}) {
    const std::vector<std::uint8_t> flat(28 * 28, 77);
    CHECK(resize_image(flat.data(), 28, 28, size, size) == std::vector<std::uint8_t>(static_cast<std::size_t>(size * size), 77));
    // Area averaging keeps the mean brightness (up to the rounding of each pixel).
    const auto small = resize_image(test.image(0), 28, 28, size, size);
    double mean_in = 0, mean_out = 0;
    for (int n = 0; n < 28 * 28; ++n) mean_in += test.image(0)[n] / (28.0 * 28.0);
    for (auto p : small) mean_out += p / static_cast<double>(small.size());
    CHECK(std::abs(mean_in - mean_out) < 0.5);
  }
}

TEST_CASE("t_accuracy: prepare_image quantizes with the network input's quantization", "[accuracy]") {
  Network network = load_network("zoo:proxy_mobilenet_v1");
  const ImageDataset test = load_fashion_mnist(DatasetSplit::test);
  CHECK_THROWS_AS(prepare_image(network, test.image(0), 28, 28), std::invalid_argument);
  quantize_randomly(network, 1);
  network.layers[0].quant->input_scales = {kInputScale};
  network.layers[0].quant->input_zero_points = {kInputZeroPoint};
  const Tensor8 input = prepare_image(network, test.image(0), 28, 28);
  REQUIRE(input.shape == network.input);
  for (std::size_t n = 0; n < input.data.size(); ++n) REQUIRE(input.data[n] == test.image(0)[n] - 128);
  // Another input quantization: real p / 255 at scale 2/255, zero point 0.
  network.layers[0].quant->input_scales = {2.0f / 255.0f};
  network.layers[0].quant->input_zero_points = {0};
  const Tensor8 coarse = prepare_image(network, test.image(0), 28, 28);
  for (std::size_t n = 0; n < coarse.data.size(); ++n) {
    REQUIRE(coarse.data[n] == std::min(127L, std::lround(test.image(0)[n] / 2.0)));
  }
}

TEST_CASE("t_accuracy: argmax breaks ties towards the lowest index", "[accuracy]") {
  Tensor8 logits = Tensor8::zeros({1, 1, 4});
  logits.data = {-5, 7, 7, 3};
  CHECK(argmax(logits) == 1);
}

TEST_CASE("t_accuracy: a network directory with .npy weights loads back the same int8 network", "[accuracy]") {
  Network network = load_network("zoo:proxy_resnet");
  quantize_randomly(network, 3);
  const std::string dir = std::string(TANDEM_TEST_OUTPUT_DIR) + "/t_accuracy_network_dir";
  std::filesystem::remove_all(dir);
  const std::string yaml = write_network_directory(network, dir);
  CHECK(yaml == dir + "/network.yaml");
  CHECK(std::filesystem::exists(dir + "/weights/stem.weights.npy"));
  CHECK(std::filesystem::exists(dir + "/weights/stem.bias.npy"));
  const Network loaded = load_network_file(yaml);
  REQUIRE(same_structure(network, loaded));
  for (std::size_t l = 0; l < network.layers.size(); ++l) {
    const LayerQuant& a = *network.layers[l].quant;
    const LayerQuant& b = *loaded.layers[l].quant;
    INFO(network.layers[l].name);
    CHECK(a.weights == b.weights);
    CHECK(a.bias == b.bias);
    CHECK(a.weight_scales == b.weight_scales);  // floats written with full precision
    CHECK(a.input_scales == b.input_scales);
    CHECK(a.output_scale == b.output_scale);
    CHECK(a.output_multipliers == b.output_multipliers);
    CHECK(a.output_shifts == b.output_shifts);
  }
}
