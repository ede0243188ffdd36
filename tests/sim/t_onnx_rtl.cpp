// t_onnx_rtl: ONNX models imported by tandem run on the generated RTL: a torchvision-style float
// MobileNetV2 (quantized by tandem, PyTorch's explicit padding) and pre-quantized QDQ and QLinear
// models (their own scales and zero points): every layer bit-exact against the golden reference
// and cycle- and counter-equal to the analytic model (evaluator "both"). The models are made by
// tests/models/onnx/make_models.py (Debian's python3-onnx), as in t_models_onnx.
#include <catch2/catch.hpp>

#include <filesystem>

#include "models/onnx.h"
#include "run_process.h"
#include "sim/network_simulation.h"

using namespace tandem;

TEST_CASE("t_onnx_rtl: imported ONNX models run bit-exact on the RTL, analytic == RTL", "[rtl][onnx]") {
  const std::string out = std::string(TANDEM_TEST_OUTPUT_DIR) + "/t_onnx_rtl";
  std::filesystem::remove_all(out);
  const auto made = test::run_process("/usr/bin/python3 tests/models/onnx/make_models.py " + out);
  INFO(made.err);
  REQUIRE(made.exit_code == 0);

  AcceleratorConfig config;
  config.array = {4, 4, Dataflow::weight_stationary};
  config.buffers = {4, 4, 4, 2};
  config.vector.lanes = 4;
  SimulationOptions options;
  options.evaluator = "both";
  options.cosim.cache_dir = TANDEM_COSIM_TEST_CACHE;

  OnnxImportOptions calibrated;
  calibrated.calibration_files = {out + "/calibration.npy"};
  const struct {
    std::string model;
    OnnxImportOptions import;
    OnnxImport::Kind kind;
  } cases[] = {{"mobilenet_v2.onnx", calibrated, OnnxImport::Kind::float_model},
               {"qdq_chain.onnx", {}, OnnxImport::Kind::qdq},
               {"qlinear_uint8.onnx", {}, OnnxImport::Kind::qlinear}};
  for (const auto& c : cases) {
    INFO(c.model);
    const OnnxImport imported = import_onnx(out + "/" + c.model, c.import);
    CHECK(imported.kind == c.kind);
    const NetworkMetrics metrics = simulate_network(imported.network, config, options);
    REQUIRE(metrics.layers.size() == imported.network.layers.size());
    for (const LayerMetrics& layer : metrics.layers) {
      INFO(layer.name << ": " << layer.error);
      CHECK(layer.ok());
      CHECK(layer.bit_exact == std::optional<bool>(true));
      CHECK(layer.analytic_cycles == std::optional<std::uint64_t>(layer.cycles));
    }
  }
}
