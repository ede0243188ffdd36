// t_onnx_rtl: ONNX models imported by tandem run on the generated RTL: a torchvision-style float
// MobileNetV2 (quantized by tandem, PyTorch's explicit padding) and pre-quantized QDQ and QLinear
// models (their own scales and zero points): every layer bit-exact against the golden reference
// and cycle- and counter-equal to the analytic model (evaluator "both"). The models are made by
// tests/models/onnx/make_models.py (Debian's python3-onnx), as in t_models_onnx.
#include <catch2/catch.hpp>

#include <filesystem>

#include "models/onnx.h"
#include "rtl_checks.h"
#include "run_process.h"
#include "sim/network_simulation.h"

using namespace tandem;

TEST_CASE("t_onnx_rtl: imported ONNX models run bit-exact on the RTL, analytic == RTL", "[rtl][onnx]") {
  const std::string out = std::string(TANDEM_TEST_OUTPUT_DIR) + "/t_onnx_rtl";
  std::filesystem::remove_all(out);
  const auto made = test::run_process("/usr/bin/python3 tests/models/onnx/make_models.py " + out);
  INFO(made.err);
  REQUIRE(made.exit_code == 0);

  const AcceleratorConfig config = test::small_rtl_accelerator();
  const SimulationOptions options = test::both_evaluator_options();

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
    test::check_bit_exact_and_cycle_equal(metrics);
  }
}
