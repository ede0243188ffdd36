// t_training_search: the quickstart's main path with nothing faked. `tandem run` on a joint
// flow whose accuracy is real quantization-aware training (tandem-train, a tiny recipe); the
// winner's trained int8 network is what RTL validation co-simulates (bit-exact, RTL cycles equal
// to the search's), what the study keeps in its own folder, and what `tandem export --study`
// takes its test vectors from.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "core/files.h"
#include "models/network_io.h"
#include "run_process.h"
#include "search/study.h"

using namespace tandem;
namespace fs = std::filesystem;

namespace {

const fs::path kOut = fs::path(TANDEM_TEST_OUTPUT_DIR) / "t_training_search";

}  // namespace

TEST_CASE("t_training_search: trained networks feed RTL validation and export", "[search][training]") {
  fs::remove_all(kOut / "out");
  fs::remove_all(kOut / "cache" / "accuracy");  // train for real; keep the built simulator
  fs::create_directories(kOut);
  const std::string flow = (kOut / "flow.yaml").string();
  std::ofstream(flow) << "name: training_search\noutput_dir: " << (kOut / "out").string() << "\nseed: 2\n"
                      << "accelerator:\n"
                      << "  array: { rows: 8, cols: 8, dataflow: weight_stationary }\n"
                      << "  buffers: { input_kib: 16, weight_kib: 16, output_kib: 16, banks: 2 }\n"
                      << "  vector: { lanes: 8 }\n"
                      << "search:\n  mode: network_only\n  network_space: proxy\n"
                      << "  objective: { kind: reward, cost: latency, target: 5000, weight: -0.07 }\n"
                      << "  accuracy:\n    kind: train\n"
                      << "    recipe: { epochs: 1, qat_epochs: 1, subset: 256, test_subset: 256, golden_images: 8, batch: 64 }\n"
                      << "  strategy: { name: random }\n  trials: 2\n  workers: 1\n  validate_top: 1\n";
  const auto run = test::run_process("TANDEM_CACHE_DIR=" + (kOut / "cache").string() + " " + test::tandem_binary() +
                                     " run " + flow);
  INFO(run.out + run.err);
  REQUIRE(run.exit_code == 0);

  const Study study = Study::open((kOut / "out" / "study.db").string());
  const std::vector<ValidationRecord> validations = study.validations();
  REQUIRE(validations.size() == 1);
  const ValidationRecord& v = validations[0];
  INFO(v.message);
  CHECK(v.agree);
  CHECK(v.message == "every layer bit-exact on the RTL and cycle-equal to the analytic model");
  REQUIRE(v.rtl_latency_us);
  REQUIRE(v.analytic_latency_us);
  CHECK(*v.rtl_latency_us == Approx(*v.analytic_latency_us));

  const std::optional<TrialRecord> winner = study.find(v.trial);
  REQUIRE(winner);
  CHECK(winner->status == TrialStatus::ok);
  REQUIRE(winner->accuracy);
  CHECK(*winner->accuracy > 0.1);  // trained: better than chance on 10 classes
  CHECK(winner->accuracy_detail["cached"] == false);
  // The trained network lives in the study's folder, and it is the network validation ran.
  const std::string kept = winner->accuracy_detail["network_file"].get<std::string>();
  CHECK(fs::path(kept).parent_path().parent_path() == kOut / "out" / "networks");
  const std::string design = (kOut / "out" / "designs" / ("trial_" + std::to_string(v.trial))).string();
  CHECK(network_to_yaml(load_network(design + "/network/network.yaml")) == network_to_yaml(load_network(kept)));
  CHECK(load_network(kept).layers.front().quant.has_value());  // int8 weights, not a structure

  const std::string exported = (kOut / "out" / "export").string();
  const auto export_run = test::run_process(test::tandem_binary() + " export --cache-dir " + (kOut / "cache").string() +
                                            " --study " + (kOut / "out").string() + " --trial " +
                                            std::to_string(v.trial) + " -o " + exported);
  INFO(export_run.err);
  REQUIRE(export_run.exit_code == 0);
  CHECK_THAT(export_run.out, Catch::Contains("vectors: " + load_network(kept).name));
}
