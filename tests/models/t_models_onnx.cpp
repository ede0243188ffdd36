// ONNX import and export: round trips, the QDQ semantics against an independent numpy
// reference, a torchvision-style MobileNetV2, explicit padding, and located errors.
// The models are made by tests/models/onnx/make_models.py (Debian python3-onnx + numpy).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/files.h"
#include "core/input_error.h"
#include "core/sha256.h"
#include "golden/golden.h"
#include "golden_file.h"
#include "models/network_io.h"
#include "models/npy.h"
#include "models/onnx.h"
#include "models/random_quantization.h"
#include "run_process.h"
#include "sim/network_simulation.h"

using namespace tandem;
namespace fs = std::filesystem;

namespace {

const char* const kPython = "/usr/bin/python3";  // Debian's, with python3-onnx (not a pyenv one)

// A directory of this test process, removed at exit.
struct ScratchDir {
  fs::path path;
  ScratchDir() {
    path = fs::path(TANDEM_TEST_OUTPUT_DIR) / ("onnx_" + std::to_string(getpid()));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};
const fs::path& scratch() {
  static ScratchDir dir;
  return dir.path;
}

// The test models, made once per process.
const std::string& models() {
  static const std::string dir = [] {
    const fs::path out = scratch() / "models";
    const auto result = test::run_process(std::string(kPython) + " tests/models/onnx/make_models.py " + out.string());
    if (result.exit_code != 0) throw std::runtime_error("make_models.py failed: " + result.err);
    return out.string();
  }();
  return dir;
}

std::string network_hash(const Network& network) { return sha256_hex(network_to_yaml(network)); }

// A small network with every layer kind and explicit padding, randomly quantized. Its explicit
// pads differ from what same/valid give: the importer maps pads equal to those onto them.
Network every_kind_network() {
  const std::string path = (scratch() / "every_kind.yaml").string();
  write_file(path, R"(network:
  name: every_kind
  input: [9, 10, 3]
  layers:
    - {name: stem, kind: conv2d, kernel: 3, stride: 2, padding: [1, 1, 1, 1], out_channels: 8, activation: relu6}
    - {name: dw, kind: depthwise_conv2d, kernel: 3, stride: 1, padding: same, activation: relu}
    - {name: pw, kind: conv2d, kernel: 1, stride: 1, out_channels: 8}
    - {name: res, kind: add, inputs: [stem, pw]}
    - {name: act, kind: activation, activation: relu}
    - {name: maxp, kind: max_pool, kernel: 2, stride: 1, padding: [1, 1, 0, 0]}
    - {name: avgp, kind: avg_pool, kernel: [3, 2], stride: 2, padding: [0, 1, 0, 0]}
    - {name: conv_valid, kind: conv2d, kernel: [2, 1], stride: 1, padding: valid, out_channels: 6}
    - {name: gap, kind: global_avg_pool}
    - {name: fc, kind: fully_connected, out_channels: 5}
)");
  Network network = load_network_file(path);
  quantize_randomly(network, 11);
  return network;
}

void check_round_trip(const Network& network, const std::string& name) {
  const std::string file = (scratch() / (name + ".onnx")).string();
  export_onnx(network, file);
  const OnnxImport back = import_onnx(file);
  CHECK(back.kind == OnnxImport::Kind::qdq);
  CHECK(network_hash(back.network) == network_hash(network));
  const Tensor8 input = random_input(network, 5);
  const auto expected = golden_network(network, input);
  const auto actual = golden_network(back.network, input);
  REQUIRE(expected.size() == actual.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("layer " << network.layers[i].name);
    CHECK(expected[i].data == actual[i].data);
  }
}

Tensor8 tensor_of(const TensorShape& shape, const nlohmann::json& values) {
  Tensor8 t = Tensor8::zeros(shape);
  REQUIRE(values.size() == t.data.size());
  for (std::size_t i = 0; i < t.data.size(); ++i) t.data[i] = static_cast<std::int8_t>(values[i].get<int>());
  return t;
}

struct ReferenceComparison {
  int elements = 0;
  int differing = 0;       // tandem != reference
  int near_ties = 0;       // elements within the fixed-point bound of a rounding tie
  int beyond_ties = 0;     // differing elements that are not near a tie (must be 0 for exact ops)
  int max_difference = 0;
};

// Every layer of the imported model evaluated by the golden reference on the reference's own
// inputs (so a difference cannot propagate), against the reference's int8 output.
std::map<std::string, ReferenceComparison> compare_with_reference(const std::string& model) {
  const Network network = import_onnx(models() + "/" + model + ".onnx").network;
  const auto ref = nlohmann::json::parse(read_file(models() + "/" + model + ".ref.json"));
  const Tensor8 input = tensor_of(network.input, ref["input"]);
  std::map<std::string, Tensor8> by_name;
  std::map<std::string, ReferenceComparison> result;
  for (const auto& entry : ref["layers"]) {
    const std::string name = entry["name"];
    const auto found = std::find_if(network.layers.begin(), network.layers.end(), [&](const Layer& l) { return l.name == name; });
    REQUIRE(found != network.layers.end());
    const Layer& layer = *found;
    std::vector<const Tensor8*> inputs;
    for (int producer : layer.inputs) {
      inputs.push_back(producer < 0 ? &input : &by_name.at(network.layers[static_cast<std::size_t>(producer)].name));
    }
    const Tensor8 expected = tensor_of(layer.output, entry["out"]);
    const Tensor8 actual = golden_layer(layer, inputs);
    ReferenceComparison& c = result[name];
    for (std::size_t i = 0; i < expected.data.size(); ++i) {
      const double pre = entry["pre"][i];
      // TFLite's requantization rounds twice (to 2^-right of an LSB, then to an integer) with a
      // 31-bit multiplier: it can only round the other way when the exact value lies within
      // 2^-(right+1) + 2^-20 LSB of a tie.
      const auto channel = i % static_cast<std::size_t>(layer.output.channels);
      const int right = has_weights(layer) ? std::max(0, -layer.quant->output_shifts[channel]) : 0;
      const double bound = std::ldexp(1.0, -(right + 1)) + std::ldexp(1.0, -20);
      // Max pool and activation outputs are (clamped) input values: no rounding, no ties.
      const bool passes_values = layer.kind == LayerKind::max_pool || layer.kind == LayerKind::activation;
      const bool near_tie = !passes_values && std::fabs(pre - std::floor(pre) - 0.5) < bound;
      const int difference = std::abs(expected.data[i] - actual.data[i]);
      ++c.elements;
      c.near_ties += near_tie;
      c.differing += difference != 0;
      c.beyond_ties += difference != 0 && !near_tie;
      c.max_difference = std::max(c.max_difference, difference);
    }
    by_name[name] = expected;
  }
  return result;
}

// Fully connected layers followed by an add with a 4-D tensor (global pool output) and by
// standalone activations: their ONNX tensors are [1, N], not [1, N, 1, 1].
Network fc_tail_network(bool quantized) {
  const std::string path = (scratch() / "fc_tail.yaml").string();
  write_file(path, R"(network:
  name: fc_tail
  input: [5, 5, 3]
  layers:
    - {name: conv, kind: conv2d, kernel: 3, stride: 1, padding: same, out_channels: 6, activation: relu}
    - {name: gap, kind: global_avg_pool}
    - {name: fc1, kind: fully_connected, out_channels: 6}
    - {name: sum, kind: add, inputs: [gap, fc1]}
    - {name: act, kind: activation, activation: relu}
    - {name: fc2, kind: fully_connected, out_channels: 4}
    - {name: act6, kind: activation, activation: relu6}
)");
  Network network = load_network_file(path);
  if (quantized) quantize_randomly(network, 12);
  return network;
}

Layer& layer_named(Network& network, const std::string& name) {
  for (Layer& layer : network.layers) {
    if (layer.name == name) return layer;
  }
  throw std::runtime_error("no layer " + name);
}

AcceleratorConfig small_accelerator() {
  AcceleratorConfig config;
  config.array = {8, 8, Dataflow::weight_stationary};
  config.buffers = {16, 16, 16, 2};
  config.vector.lanes = 4;
  config.dram = {8, 20};
  return config;
}

}  // namespace

TEST_CASE("t_models_onnx: quantized networks round-trip through ONNX QDQ (same hash, same golden outputs)", "[fast]") {
  check_round_trip(every_kind_network(), "every_kind");
  Network resnet = load_network("zoo:proxy_resnet");  // zoo:mobilenet_v2 works too, in ~50 s
  quantize_randomly(resnet, 3);
  check_round_trip(resnet, "proxy_resnet");
  check_round_trip(fc_tail_network(true), "fc_tail");  // [1, N] tensors after fully connected layers
}

TEST_CASE("t_models_onnx: a max pool / activation with another output quantization than its input's exports what tandem computes", "[fast]") {
  // validate() allows it; tandem passes the int8 input values on (clamped), it does not
  // requantize: the export quantizes them at the input's quantization, and the readers
  // dequantize them at their own input scales. Import gives that network back.
  Network network = every_kind_network();
  const auto rescale = [&](const std::string& name, const std::string& reader, float factor, int zero_point_shift) {
    Layer& layer = layer_named(network, name);
    LayerQuant& quant = *layer.quant;
    quant.output_scale = quant.input_scales.front() * factor;
    quant.output_zero_point = quant.input_zero_points.front() + zero_point_shift;
    activation_range(layer.activation, quant.output_scale, quant.output_zero_point, &quant.activation_min, &quant.activation_max);
    LayerQuant& next = *layer_named(network, reader).quant;
    next.input_scales.front() = quant.output_scale;
    next.input_zero_points.front() = quant.output_zero_point;
  };
  rescale("maxp", "avgp", 1.7f, 3);  // no activation: clamps at -128..127 either way
  rescale("act", "maxp", 0.6f, 0);   // relu: clamps at the (same) zero point either way
  REQUIRE_FALSE(network.validate());
  // What tandem computes: the same network with those layers' output quantization = input's.
  Network computed = network;
  for (const char* name : {"maxp", "act"}) {
    LayerQuant& quant = *layer_named(computed, name).quant;
    quant.output_scale = quant.input_scales.front();
    quant.output_zero_point = quant.input_zero_points.front();
  }
  const std::string file = (scratch() / "passthrough_quant.onnx").string();
  export_onnx(network, file);
  const Network back = import_onnx(file).network;
  CHECK(network_hash(back) == network_hash(computed));
  const Tensor8 input = random_input(computed, 6);
  const auto expected = golden_network(computed, input);
  const auto actual = golden_network(back, input);
  REQUIRE(expected.size() == actual.size());
  for (std::size_t i = 0; i < expected.size(); ++i) CHECK(expected[i].data == actual[i].data);

  // A relu whose output zero point differs clamps at another value than Relu at its input's
  // quantization: not expressible, an error naming the layer.
  rescale("act", "maxp", 1.0f, 5);
  CHECK_THROWS_WITH(export_onnx(network, file), Catch::Contains("layer 'act' (activation, relu) clamps its int8 input values to"));
}

TEST_CASE("t_models_onnx: unquantized networks round-trip their structure through a float ONNX graph", "[fast]") {
  for (const char* source : {"zoo:mobilenet_v2", "zoo:proxy_resnet"}) {
    INFO(source);
    const Network network = load_network(source);
    const std::string file = (scratch() / "float.onnx").string();
    export_onnx(network, file, 9);
    OnnxImportOptions options;
    options.quantize = false;
    const OnnxImport back = import_onnx(file, options);
    CHECK(back.kind == OnnxImport::Kind::float_model);
    CHECK(network_hash(back.network) == network_hash(network));
  }
}

TEST_CASE("t_models_onnx: exported models pass onnx.checker (full check)", "[fast]") {
  const std::string quantized = (scratch() / "checked_int8.onnx").string();
  const std::string floating = (scratch() / "checked_float.onnx").string();
  const std::string fc_tail_int8 = (scratch() / "checked_fc_tail_int8.onnx").string();
  const std::string fc_tail_float = (scratch() / "checked_fc_tail_float.onnx").string();
  export_onnx(every_kind_network(), quantized);
  export_onnx(load_network("zoo:mobilenet_v2"), floating);
  export_onnx(fc_tail_network(true), fc_tail_int8);
  export_onnx(fc_tail_network(false), fc_tail_float);
  // full_check runs strict shape inference: the declared output shape must be the inferred one.
  const auto result = test::run_process(
      std::string(kPython) + " -c \"import sys, onnx\nfor f in sys.argv[1:]: onnx.checker.check_model(onnx.load(f), full_check=True)\nprint('ok')\" " +
      quantized + " " + floating + " " + fc_tail_int8 + " " + fc_tail_float);
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.out == "ok\n");
  // The CLI writes the same file.
  const std::string cli_file = (scratch() / "cli.onnx").string();
  const auto cli = test::run_process(test::tandem_binary() + " model export zoo:mobilenet_v2 -o " + cli_file);
  CHECK(cli.exit_code == 0);
  CHECK(read_file(cli_file) == read_file(floating));
}

TEST_CASE("t_models_onnx: QDQ conv, depthwise, gemm, relu, relu6 and max pool equal the numpy reference", "[fast]") {
  const auto result = compare_with_reference("qdq_chain");
  CHECK(result.size() == 5);
  for (const auto& [name, c] : result) {
    INFO(name << ": " << c.elements << " outputs, " << c.differing << " differ, " << c.near_ties << " near a tie");
    CHECK(c.beyond_ties == 0);  // exact everywhere except (possibly) at near-ties
    CHECK(c.max_difference <= 1);
    WARN("qdq_chain " << name << ": " << c.elements << " outputs, " << c.differing << " differ from the reference ("
                      << c.near_ties << " lie within the fixed-point bound of a tie)");
  }
}

TEST_CASE("t_models_onnx: QDQ add, average pool and global average pool are within 1 LSB of the numpy reference", "[fast]") {
  const auto result = compare_with_reference("qdq_add_pool");
  CHECK(result.size() == 5);
  for (const auto& [name, c] : result) {
    INFO(name << ": " << c.elements << " outputs, " << c.differing << " differ");
    CHECK(c.max_difference <= 1);
    if (name.rfind("conv", 0) == 0) CHECK(c.beyond_ties == 0);
    WARN("qdq_add_pool " << name << ": " << c.elements << " outputs, " << c.differing << " differ by 1 LSB");
  }
}

TEST_CASE("t_models_onnx: QLinearConv (regular, depthwise) and QLinearMatMul equal the numpy reference, int8 and uint8", "[fast]") {
  for (const char* model : {"qlinear_int8", "qlinear_uint8"}) {
    INFO(model);
    const OnnxImport imported = import_onnx(models() + "/" + model + ".onnx");
    CHECK(imported.kind == OnnxImport::Kind::qlinear);
    REQUIRE(imported.network.layers.size() == 4);
    CHECK(imported.network.layers[1].kind == LayerKind::depthwise_conv2d);
    CHECK(imported.network.layers[1].padding == Padding::explicit_pads);  // stride 2, pads 1 on an even input
    CHECK(imported.network.layers[3].kind == LayerKind::fully_connected);
    const auto result = compare_with_reference(model);
    CHECK(result.size() == 4);
    for (const auto& [name, c] : result) {
      INFO(name << ": " << c.elements << " outputs, " << c.differing << " differ, " << c.near_ties << " near a tie");
      CHECK(c.beyond_ties == 0);  // exact everywhere except (possibly) at near-ties
      CHECK(c.max_difference <= 1);
      WARN(model << " " << name << ": " << c.elements << " outputs, " << c.differing << " differ from the reference ("
                 << c.near_ties << " lie within the fixed-point bound of a tie)");
    }
  }
}

TEST_CASE("t_models_onnx: QDQ MatMul + bias Add (Linear layers) import as fully_connected with that bias, exact", "[fast]") {
  const OnnxImport imported = import_onnx(models() + "/qdq_matmul_bias.onnx");
  CHECK(imported.kind == OnnxImport::Kind::qdq);
  const Network& net = imported.network;
  REQUIRE(net.layers.size() == 3);  // conv, linear1, linear2: each Add fused
  for (std::size_t i = 1; i < 3; ++i) {
    INFO(net.layers[i].name);
    CHECK(net.layers[i].kind == LayerKind::fully_connected);
    REQUIRE(net.layers[i].quant);
    CHECK(std::count(net.layers[i].quant->bias.begin(), net.layers[i].quant->bias.end(), 0) == 0);  // nonzero biases
  }
  const auto result = compare_with_reference("qdq_matmul_bias");
  CHECK(result.size() == 3);
  for (const auto& [name, c] : result) {
    INFO(name << ": " << c.elements << " outputs, " << c.differing << " differ, " << c.near_ties << " near a tie");
    CHECK(c.beyond_ties == 0);
    CHECK(c.max_difference <= 1);
    WARN("qdq_matmul_bias " << name << ": " << c.elements << " outputs, " << c.differing << " differ from the reference ("
                            << c.near_ties << " lie within the fixed-point bound of a tie)");
  }
  // The export writes the bias into a Gemm: the round trip keeps the network.
  const std::string file = (scratch() / "matmul_bias_back.onnx").string();
  export_onnx(net, file);
  CHECK(network_hash(import_onnx(file).network) == network_hash(net));
}

TEST_CASE("t_models_onnx: a Relu reading a Conv's output through Identity while an Add reads it too is not fused (float, QDQ)", "[fast]") {
  // ONNX: y = relu(c) + c. Fusing the Relu into the Conv would give relu(c) + relu(c).
  for (const char* model : {"alias_relu", "qdq_alias_relu"}) {
    INFO(model);
    const OnnxImport imported = import_onnx(models() + "/" + model + ".onnx");
    const Network& net = imported.network;
    REQUIRE(net.layers.size() == 3);
    CHECK(net.layers[0].kind == LayerKind::conv2d);
    CHECK(net.layers[0].activation == Activation::none);
    CHECK(net.layers[1].kind == LayerKind::activation);
    CHECK(net.layers[1].activation == Activation::relu);
    CHECK(net.layers[1].inputs == std::vector<int>{0});
    CHECK(net.layers[2].kind == LayerKind::add);
    CHECK(net.layers[2].inputs == std::vector<int>{1, 0});
    for (const Layer& layer : net.layers) REQUIRE(layer.quant);
    // The activation keeps the conv's quantization (it does not requantize).
    CHECK(net.layers[1].quant->input_scales.front() == net.layers[0].quant->output_scale);
    CHECK(net.layers[1].quant->output_scale == net.layers[0].quant->output_scale);
    CHECK(net.layers[1].quant->output_zero_point == net.layers[0].quant->output_zero_point);
    // Run (float: calibrated on random inputs): the add is relu(c) + c within an output LSB
    // where it does not saturate (random int8 inputs may go beyond the QDQ model's range).
    const Tensor8 input = random_input(net, 7);
    const auto out = golden_network(net, input);
    const LayerQuant& cq = *net.layers[0].quant;
    const LayerQuant& aq = *net.layers[2].quant;
    int negative = 0, compared = 0;
    double worst = 0;
    for (std::size_t i = 0; i < out[2].data.size(); ++i) {
      const double c = (out[0].data[i] - cq.output_zero_point) * static_cast<double>(cq.output_scale);
      const double sum = (out[2].data[i] - aq.output_zero_point) * static_cast<double>(aq.output_scale);
      if (out[0].data[i] == -128 || out[0].data[i] == 127 || out[2].data[i] == -128 || out[2].data[i] == 127) continue;
      ++compared;
      negative += c < 0;
      worst = std::max(worst, std::fabs(sum - (std::max(c, 0.0) + c)) / aq.output_scale);
    }
    CHECK(compared > 100);
    CHECK(negative > 20);  // relu(c) + relu(c) would differ there by |c|
    CHECK(worst <= 1.01);  // within one output LSB
    WARN(model << ": add = relu(c) + c within " << worst << " output LSB on " << compared << " unsaturated outputs of "
               << out[2].data.size() << ", " << negative << " of them with a negative conv output");
    CHECK(simulate_network(net, small_accelerator(), SimulationOptions{}).all_ok());
  }
  // QDQ: the numpy reference of the model's own semantics, layer by layer.
  const auto result = compare_with_reference("qdq_alias_relu");
  CHECK(result.size() == 3);
  for (const auto& [name, c] : result) {
    INFO(name << ": " << c.elements << " outputs, " << c.differing << " differ, " << c.near_ties << " near a tie");
    CHECK(c.max_difference <= 1);
    if (name != "add") CHECK(c.beyond_ties == 0);
    WARN("qdq_alias_relu " << name << ": " << c.elements << " outputs, " << c.differing << " differ from the reference ("
                           << c.near_ties << " lie within the fixed-point bound of a tie)");
  }
}

TEST_CASE("t_models_onnx: a torchvision-style float MobileNetV2 imports with its MACs and simulates", "[fast]") {
  const auto meta = nlohmann::json::parse(read_file(models() + "/mobilenet_v2.json"));
  OnnxImportOptions options;
  options.calibration_files = {models() + "/calibration.npy"};
  const OnnxImport imported = import_onnx(models() + "/mobilenet_v2.onnx", options);
  const Network& net = imported.network;
  CHECK(imported.kind == OnnxImport::Kind::float_model);
  CHECK(imported.warnings.empty());
  CHECK(total_macs(net) == meta["macs"].get<std::int64_t>());
  CHECK(net.input == TensorShape{64, 64, 3});
  CHECK(net.layers.back().output == TensorShape{1, 1, 10});
  int depthwise = 0, adds = 0, explicit_pads = 0, fused_relu6 = 0;
  for (const Layer& layer : net.layers) {
    depthwise += layer.kind == LayerKind::depthwise_conv2d;
    adds += layer.kind == LayerKind::add;
    explicit_pads += layer.padding == Padding::explicit_pads;
    fused_relu6 += layer.activation == Activation::relu6;
    CHECK(layer.kind != LayerKind::activation);  // every Clip fused into its conv
    REQUIRE(layer.quant);
  }
  CHECK(depthwise == 17);
  CHECK(adds == 11);  // width 0.25 makes the first block 8 -> 8 channels: a residual too
  CHECK(explicit_pads == 5);  // stride-2 3x3 convs pad 1 before: not TFLite's `same`
  CHECK(fused_relu6 == 35);
  CHECK(net.layers.size() == static_cast<std::size_t>(meta["layers_conv"].get<int>()) + adds + 2);

  SimulationOptions sim;
  const NetworkMetrics metrics = simulate_network(net, small_accelerator(), sim);
  CHECK(metrics.all_ok());
  CHECK(metrics.total_macs() == total_macs(net));
  CHECK(metrics.total_cycles() > 0);

  // Without calibration inputs the CLI warns and still imports.
  const auto cli = test::run_process(test::tandem_binary() + " model import " + models() + "/mobilenet_v2.onnx -o " +
                                     (scratch() / "mv2").string());
  CHECK(cli.exit_code == 0);
  CHECK_THAT(cli.err, Catch::Contains("warning") && Catch::Contains("random"));
  CHECK(fs::exists(scratch() / "mv2" / "network.yaml"));
  CHECK(network_hash(load_network((scratch() / "mv2" / "network.yaml").string())) ==
        network_hash(load_network(models() + "/mobilenet_v2.onnx")));
}

TEST_CASE("t_models_onnx: calibration inputs are float32 .npy files read by npy::read, and bad ones are located errors", "[fast]") {
  Network structure = every_kind_network();
  for (Layer& layer : structure.layers) layer.quant.reset();
  const std::string model = (scratch() / "calibrated.onnx").string();
  export_onnx(structure, model, 4);
  // Two samples as one [2, C, H, W] array, and the same samples as two [C, H, W] files.
  const TensorShape in = structure.input;
  const std::int64_t C = in.channels, H = in.height, W = in.width;
  std::vector<float> both(static_cast<std::size_t>(2 * C * H * W));
  for (std::size_t i = 0; i < both.size(); ++i) both[i] = std::sin(0.37f * static_cast<float>(i)) * 3.0f;
  const std::string four_d = (scratch() / "cal_nchw.npy").string();
  npy::write(four_d, {2, C, H, W}, both);
  const auto half = both.begin() + static_cast<std::ptrdiff_t>(both.size() / 2);
  const std::string first = (scratch() / "cal_0.npy").string(), second = (scratch() / "cal_1.npy").string();
  npy::write(first, {C, H, W}, std::vector<float>(both.begin(), half));
  npy::write(second, {C, H, W}, std::vector<float>(half, both.end()));
  OnnxImportOptions options;
  options.calibration_files = {four_d};
  const OnnxImport a = import_onnx(model, options);
  CHECK(a.warnings.empty());
  options.calibration_files = {first, second};
  const OnnxImport b = import_onnx(model, options);
  CHECK(network_hash(a.network) == network_hash(b.network));
  options.calibration_files = {first};  // other data: other ranges
  CHECK(network_hash(import_onnx(model, options).network) != network_hash(a.network));
  const OnnxImport random = import_onnx(model);
  REQUIRE(random.warnings.size() == 1);
  CHECK(network_hash(random.network) != network_hash(a.network));

  const auto error_of = [&](const std::string& file) {
    OnnxImportOptions bad;
    bad.calibration_files = {file};
    try {
      import_onnx(model, bad);
    } catch (const InputError& e) {
      CHECK(e.where().file == file);  // located at the .npy file, not the model
      return e.message();
    }
    return std::string("accepted");
  };
  const std::string ints = (scratch() / "cal_int8.npy").string();
  npy::write(ints, "i1", {3, 9, 10}, std::vector<std::int32_t>(270, 1));
  CHECK(error_of(ints) == "calibration inputs must be float32 ('<f4') arrays, the file has dtype 'i1'");
  const std::string nhwc = (scratch() / "cal_nhwc.npy").string();
  npy::write(nhwc, {1, H, W, C}, std::vector<float>(static_cast<std::size_t>(C * H * W), 0.5f));
  CHECK(error_of(nhwc) == "calibration array has shape [1, 9, 10, 3]; the model takes [N, 3, 9, 10] (or [C, H, W])");
  const std::string none = (scratch() / "cal_none.npy").string();
  npy::write(none, {0, C, H, W}, std::vector<float>{});
  CHECK(error_of(none) == "calibration array has shape [0, 3, 9, 10]: no samples");
  std::vector<float> with_nan(static_cast<std::size_t>(C * H * W), 0.5f);
  with_nan[7] = std::nanf("");
  const std::string nan_file = (scratch() / "cal_nan.npy").string();
  npy::write(nan_file, {C, H, W}, with_nan);
  CHECK(error_of(nan_file) == "calibration value 7 is nan (supported: finite numbers)");
  write_file((scratch() / "cal_text.npy").string(), "not an array");
  CHECK(error_of((scratch() / "cal_text.npy").string()) == "not a .npy file (no \\x93NUMPY magic)");
  CHECK(error_of((scratch() / "cal_missing.npy").string()) == "cannot open file: No such file or directory");
}

TEST_CASE("t_models_onnx: explicit padding: golden on a hand-computed case, analytic simulation", "[fast]") {
  // 4x4x1 input 1..16, 3x3 all-ones kernel, stride 2, padding top 1, left 1, bottom 0, right 0
  // (TFLite `same` would pad top 0, bottom 1): every scale 1, zero points 0.
  Network net;
  net.name = "explicit";
  net.input = {4, 4, 1};
  Layer conv;
  conv.name = "conv";
  conv.kind = LayerKind::conv2d;
  conv.inputs = {-1};
  conv.kernel_h = conv.kernel_w = 3;
  conv.stride_h = conv.stride_w = 2;
  conv.padding = Padding::explicit_pads;
  conv.pad_top = conv.pad_left = 1;
  conv.out_channels = 1;
  LayerQuant quant;
  quant.input_zero_points = {0};
  quant.input_scales = {1.0f};
  quant.weights.assign(9, 1);
  quant.bias = {0};
  quant.weight_scales = {1.0f};
  derive_requantization(quant);
  conv.quant = quant;
  net.layers.push_back(conv);
  REQUIRE_FALSE(infer_shapes(net));
  net.num_classes = 1;
  REQUIRE_FALSE(net.validate());
  CHECK(net.layers[0].output == TensorShape{2, 2, 1});
  Tensor8 input = Tensor8::zeros(net.input);
  for (int i = 0; i < 16; ++i) input.data[static_cast<std::size_t>(i)] = static_cast<std::int8_t>(i + 1);
  const auto out = golden_network(net, input);
  CHECK(out[0].data == std::vector<std::int8_t>{14, 30, 57, 99});

  // The YAML form reads back the same, and the pads show in the table.
  const std::string yaml = network_to_yaml(net);
  CHECK_THAT(yaml, Catch::Contains("padding: [1, 1, 0, 0]"));
  CHECK_THAT(network_table(net), Catch::Contains("pad 1,1,0,0"));
  const std::string path = (scratch() / "explicit.yaml").string();
  write_file(path, yaml);
  CHECK(network_hash(load_network_file(path)) == network_hash(net));

  SimulationOptions sim;
  sim.input = input;
  const NetworkMetrics metrics = simulate_network(net, small_accelerator(), sim);
  CHECK(metrics.all_ok());
  CHECK(metrics.total_macs() == 36);
}

TEST_CASE("t_models_onnx: unsupported and malformed models give located errors", "[fast]") {
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(models() + "/bad")) {
    ++cases;
    const std::string file = entry.path().string();
    SECTION(entry.path().filename().string()) {
      std::string message = test::input_error_of([&] { import_onnx(file); });
      INFO("model " << file);
      CHECK(message.rfind(file + ": error: ", 0) == 0);
      message.replace(0, file.size(), "MODEL_DIR/bad/" + entry.path().filename().string());
      test::check_golden("tests/data/models/onnx/bad/" + entry.path().stem().string() + ".err", message);
    }
  }
  CHECK(cases == 32);
}

TEST_CASE("t_models_onnx: the fuzz seeds are what make_models.py --seeds writes, and they import", "[fast]") {
  const fs::path out = scratch() / "seeds";
  const auto result = test::run_process(std::string(kPython) + " tests/models/onnx/make_models.py --seeds " + out.string());
  REQUIRE(result.exit_code == 0);
  int seeds = 0;
  for (const auto& entry : fs::directory_iterator("tests/data/models/onnx/seeds")) {
    ++seeds;
    const std::string name = entry.path().filename().string();
    INFO(name << ": regenerate with " << kPython << " tests/models/onnx/make_models.py --seeds tests/data/models/onnx/seeds");
    REQUIRE(fs::exists(out / name));
    CHECK(read_file(entry.path()) == read_file(out / name));
    const OnnxImport imported = import_onnx(entry.path().string());
    CHECK(imported.network.layers.size() >= 4);
  }
  CHECK(seeds == 3);
  CHECK(std::distance(fs::directory_iterator(out), fs::directory_iterator()) == 3);
}
