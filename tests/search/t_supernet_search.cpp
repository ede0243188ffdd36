// t_supernet_search: a search whose accuracies come from a weight-sharing supernet, end to end
// with nothing faked: `tandem run` trains a tiny supernet (tandem-supernet), reads every
// candidate off it, then trains the winner stand-alone (the `retrain:` recipe, tandem-train) and
// validates that network on the RTL. A second study on the same recipe reuses the supernet.
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

const fs::path kOut = fs::path(TANDEM_TEST_OUTPUT_DIR) / "t_supernet_search";

std::string write_flow(const std::string& name) {
  const std::string flow = (kOut / (name + ".yaml")).string();
  std::ofstream(flow) << "name: " << name << "\noutput_dir: " << (kOut / name).string() << "\nseed: 2\n"
                      << "accelerator:\n"
                      << "  array: { rows: 8, cols: 8, dataflow: weight_stationary }\n"
                      << "  buffers: { input_kib: 16, weight_kib: 16, output_kib: 16, banks: 2 }\n"
                      << "  vector: { lanes: 8 }\n"
                      << "search:\n  mode: network_only\n  network_space: proxy\n"
                      << "  objective: { kind: reward, cost: latency, target: 5000, weight: -0.07 }\n"
                      << "  accuracy:\n    kind: supernet\n"
                      << "    supernet: { epochs: 1, subset: 256, batch: 64, optimizer: adam, learning_rate: 0.005, random_subnets: 1, "
                         "calibration_images: 64, test_subset: 200 }\n"
                      << "    retrain: { epochs: 1, qat_epochs: 1, subset: 256, test_subset: 256, golden_images: 8, batch: 64 }\n"
                      << "  strategy: { name: random }\n  trials: 3\n  workers: 2\n  validate_top: 1\n";
  return flow;
}

}  // namespace

TEST_CASE("t_supernet_search: supernet accuracies rank, the winner is retrained and validated on the RTL",
          "[search][supernet]") {
  fs::remove_all(kOut / "first");
  fs::remove_all(kOut / "second");
  fs::remove_all(kOut / "cache" / "accuracy");
  fs::remove_all(kOut / "cache" / "supernet");  // train for real; keep the built simulator
  fs::create_directories(kOut);
  const std::string env = "TANDEM_CACHE_DIR=" + (kOut / "cache").string() + " ";
  const auto run = test::run_process(env + test::tandem_binary() + " run " + write_flow("first"));
  INFO(run.out + run.err);
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.out + run.err, Catch::Contains("training the supernet in "));

  const Study study = Study::open((kOut / "first" / "study.db").string());
  for (const TrialRecord& trial : study.trials()) {
    INFO("trial " << trial.number << ": " << trial.reason);
    REQUIRE(trial.status == TrialStatus::ok);
    REQUIRE(trial.accuracy);
    CHECK(*trial.accuracy > 0.1);  // inherited weights beat chance on 10 classes
    CHECK(trial.accuracy_detail["genotype"] == format_genotype(trial.genotype));
    CHECK(trial.accuracy_detail.value("test_images", 0) == 200);
    CHECK_FALSE(trial.accuracy_detail.contains("network_file"));
  }
  const std::vector<ValidationRecord> validations = study.validations();
  REQUIRE(validations.size() == 1);
  const ValidationRecord& v = validations[0];
  INFO(v.message);
  CHECK(v.agree);
  REQUIRE(v.retrained_accuracy);
  CHECK(*v.retrained_accuracy > 0.1);
  // The validated network is the stand-alone trained one, kept in the study's folder.
  const std::string design = (kOut / "first" / "designs" / ("trial_" + std::to_string(v.trial))).string();
  const Network validated = load_network(design + "/network/network.yaml");
  CHECK(validated.layers.front().quant.has_value());
  bool kept = false;
  for (const auto& entry : fs::recursive_directory_iterator(kOut / "first" / "networks")) {
    if (entry.path().filename() == "network.yaml") {
      kept = kept || network_to_yaml(load_network(entry.path().string())) == network_to_yaml(validated);
    }
  }
  CHECK(kept);
  const std::string json = read_file(design + "/validation.json");
  CHECK_THAT(json, Catch::Contains("\"retrained_accuracy\": " ));

  // Another study on the same recipe: the supernet comes from the cache.
  const auto second = test::run_process(env + test::tandem_binary() + " run " + write_flow("second"));
  INFO(second.out + second.err);
  REQUIRE(second.exit_code == 0);
  CHECK_THAT(second.out + second.err, !Catch::Contains("training the supernet") && !Catch::Contains("tandem-supernet: training"));
}
