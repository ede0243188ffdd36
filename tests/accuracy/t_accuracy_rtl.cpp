// A network trained by `tandem train` runs on the RTL through `tandem simulate --images`: the
// logits of every image equal the golden reference's bit for bit.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/files.h"
#include "run_process.h"

using namespace tandem::test;

namespace {

// The configuration and simulator cache t_simulate uses, so that the simulator is built once.
const std::string kCache = std::string(TANDEM_TEST_OUTPUT_DIR) + "/t_simulate_cache";
const std::string kOut = std::string(TANDEM_TEST_OUTPUT_DIR) + "/t_accuracy_rtl";
const std::string kSmallAccel =
    "accelerator:\n"
    "  array: { rows: 8, cols: 8, dataflow: weight_stationary }\n"
    "  buffers: { input_kib: 16, weight_kib: 16, output_kib: 16, banks: 2 }\n"
    "  vector: { lanes: 8 }\n"
    "  dram: { bytes_per_cycle: 8, latency_cycles: 40 }\n";

}  // namespace

TEST_CASE("t_accuracy_rtl: tandem train, then the trained int8 network's logits on the RTL are bit-exact", "[accuracy][rtl]") {
  std::filesystem::remove_all(kOut);
  std::filesystem::create_directories(kOut);
  // A short budget: bit-exactness, not accuracy, is the point here.
  const auto trained = run_process(tandem_binary() + " train zoo:proxy_mobilenet_v1 --epochs 1 --qat-epochs 1 "
                                   "--subset 1000 --test-subset 200 --golden-images 50 -o " + kOut + "/trained");
  INFO(trained.err);
  REQUIRE(trained.exit_code == 0);
  CHECK(trained.out.find("float accuracy: ") == 0);
  CHECK(trained.out.find("int8 accuracy:  ") != std::string::npos);
  const auto summary = nlohmann::json::parse(tandem::read_file(kOut + "/trained/train.json"));
  CHECK(summary["golden"]["images"] == 50);
  CHECK(summary["test_images"] == 200);

  std::ofstream(kOut + "/small.yaml") << kSmallAccel;
  const auto simulated = run_process(tandem_binary() + " simulate --cache-dir " + kCache + " --accel " + kOut +
                                     "/small.yaml --network " + kOut + "/trained/network.yaml --evaluator rtl "
                                     "--images 3 --json " + kOut + "/images.json");
  INFO(simulated.err);
  CHECK(simulated.exit_code == 0);
  CHECK(simulated.err.find("logits bit-exact for 3/3 images") != std::string::npos);
  const auto report = nlohmann::json::parse(tandem::read_file(kOut + "/images.json"));
  const auto& images = report["images"];
  CHECK(images["images"] == 3);
  CHECK(images["logits_bit_exact_images"] == 3);
  CHECK(images["hardware_predictions"] == images["golden_predictions"]);
  CHECK(images["labels"].size() == 3);
}

TEST_CASE("t_accuracy_rtl: --images needs a trained network", "[accuracy][rtl]") {
  std::filesystem::create_directories(kOut);
  std::ofstream(kOut + "/small.yaml") << kSmallAccel;
  const auto result = run_process(tandem_binary() + " simulate --cache-dir " + kCache + " --accel " + kOut +
                                  "/small.yaml --network zoo:proxy_mobilenet_v1 --images 2");
  CHECK(result.exit_code == 1);
  CHECK(result.err ==
        "tandem: error: --images needs a trained int8 network (layer 'stem' has no quantization): run "
        "`tandem train NETWORK -o OUT`, then --network OUT/network.yaml\n");
}
