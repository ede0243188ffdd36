// The YAML network format: good files parse, every bad file gives the one-line error pinned in
// its .err golden file (regenerate with TANDEM_UPDATE_GOLDEN=1), the writer round trips, and
// weights can come from .npy files.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "core/input_error.h"
#include "golden_file.h"
#include "models/network_io.h"
#include "models/npy.h"
#include "models/zoo.h"

using namespace tandem;

namespace {

// Bad topologies named csv_chained_* are read with their rows chained, the others as SCALE-Sim
// reads them (independent rows).
std::string error_of(const std::string& file) {
  const bool chained = file.find("/csv_chained_") != std::string::npos;
  return test::input_error_of(
      [&] { load_workload(file, chained ? TopologyMode::chained : TopologyMode::independent); });
}

}  // namespace

TEST_CASE("t_models: good YAML networks parse with their shapes", "[models][yaml]") {
  const Network tiny = load_network_file("tests/data/models/good/tiny_residual.yaml");
  CHECK_FALSE(tiny.validate());
  REQUIRE(tiny.layers.size() == 7);
  CHECK(tiny.num_classes == 4);
  CHECK(tiny.layers[0].output == TensorShape{4, 4, 8});
  CHECK(tiny.layers[2].kind == LayerKind::depthwise_conv2d);
  CHECK(tiny.layers[4].inputs == std::vector<int>{0, 3});
  CHECK(tiny.layers[6].output == TensorShape{1, 1, 4});

  const Network ops = load_network_file("tests/data/models/good/standalone_ops.yaml");
  CHECK(ops.layers[0].output == TensorShape{7, 7, 4});  // 3x1 kernel, valid
  CHECK(ops.layers[1].kind == LayerKind::activation);
  CHECK(ops.layers[1].activation == Activation::relu);
  CHECK(ops.layers[2].output == TensorShape{3, 3, 4});
  CHECK(ops.layers[3].output == TensorShape{3, 3, 4});
  CHECK(ops.num_classes == 3);
}

TEST_CASE("t_models: inline quantization is read and the requantization derived", "[models][yaml]") {
  const Network network = load_network_file("tests/data/models/good/quantized_fc.yaml");
  REQUIRE(network.layers[0].quant);
  const LayerQuant& quant = *network.layers[0].quant;
  CHECK(quant.weights == std::vector<std::int8_t>{1, -2, 3, -4, 127, -128, 0, 5});
  CHECK(quant.bias == std::vector<std::int32_t>{100, -200});
  CHECK(quant.output_zero_point == -10);
  REQUIRE(quant.output_multipliers.size() == 2);
  std::int32_t multiplier = 0;
  int shift = 0;
  quantize_multiplier(0.5 * static_cast<double>(0.02f) / 0.25, &multiplier, &shift);
  CHECK(quant.output_multipliers[1] == multiplier);
  CHECK(quant.output_shifts[1] == shift);
  CHECK(quant.activation_min == -10);  // ReLU: the zero point
  CHECK(quant.activation_max == 127);
}

TEST_CASE("t_models: weights and bias from .npy files beside the YAML", "[models][yaml][npy]") {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "tandem_t_models_npy";
  std::filesystem::create_directories(dir);
  // conv2d 1x1, 2 -> 3 channels: OHWI = 3 x 1 x 1 x 2.
  npy::write((dir / "w.npy").string(), "i1", {3, 1, 1, 2}, {1, 2, -3, 4, -128, 127});
  npy::write((dir / "b.npy").string(), "i4", {3}, {-70000, 0, 70000});
  npy::write((dir / "wrong_type.npy").string(), "i4", {6}, {1, 2, 3, 4, 5, 6});
  auto write_yaml = [&](const std::string& weights_file) {
    std::ofstream((dir / "net.yaml").string())
        << "network:\n  name: npy\n  input: [2, 2, 2]\n  layers:\n"
           "    - name: pw\n      kind: conv2d\n      kernel: 1\n      out_channels: 3\n"
           "      quant:\n        input_zero_points: [0]\n        input_scales: [1.0]\n"
           "        output_zero_point: 0\n        output_scale: 1.0\n"
           "        weight_scales: [0.5, 0.5, 0.5]\n        weights_file: " << weights_file
        << "\n        bias_file: b.npy\n";
  };
  write_yaml("w.npy");
  const Network network = load_network_file((dir / "net.yaml").string());
  REQUIRE(network.layers[0].quant);
  CHECK(network.layers[0].quant->weights == std::vector<std::int8_t>{1, 2, -3, 4, -128, 127});
  CHECK(network.layers[0].quant->bias == std::vector<std::int32_t>{-70000, 0, 70000});

  write_yaml("wrong_type.npy");
  CHECK_THROWS_WITH(load_network_file((dir / "net.yaml").string()),
                    Catch::EndsWith("network.layers[0].quant.weights_file: expected dtype i1 (int8), the file has i4"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("t_models: every bad network file gives its golden one-line error", "[models][yaml][bad]") {
  CHECK(test::check_bad_input_goldens("tests/data/models/bad", {".yaml", ".csv"}, error_of) >= 30);
}

TEST_CASE("t_models: a YAML error carries line, column and field", "[models][yaml][bad]") {
  try {
    load_network_file("tests/data/models/bad/unknown_input_layer.yaml");
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    CHECK(e.where().line == 6);
    CHECK(e.field() == "network.layers[1].inputs");
    CHECK_THAT(e.message(), Catch::Contains("did you mean 'stem'?"));
  }
}

TEST_CASE("t_models: zoo networks written as YAML read back the same", "[models][yaml]") {
  for (const std::string name : {"mobilenet_v2", "resnet18", "efficientnet_edgetpu_s", "proxy_edgetpu"}) {
    INFO(name);
    const Network original = find_zoo_model(name)->build();
    YAML::Node root = YAML::Load(network_to_yaml(original));
    const Network reread = parse_network(root["network"], name + ".yaml");
    CHECK(same_structure(original, reread));
  }
  const Network quantized = load_network_file("tests/data/models/good/quantized_fc.yaml");
  YAML::Node root = YAML::Load(network_to_yaml(quantized));
  const Network reread = parse_network(root["network"], "quantized.yaml");
  REQUIRE(reread.layers[0].quant);
  CHECK(reread.layers[0].quant->weights == quantized.layers[0].quant->weights);
  CHECK(reread.layers[0].quant->output_multipliers == quantized.layers[0].quant->output_multipliers);
}

TEST_CASE("t_models: load_network takes zoo names", "[models][yaml]") {
  CHECK(load_network("zoo:proxy_resnet").name == "proxy_resnet");
  CHECK_THROWS_WITH(load_network("zoo:mobilenet_v9"),
                    Catch::StartsWith("<input>: error: unknown zoo model 'mobilenet_v9' (valid: "));
}
