// t_simulate: `tandem simulate` as a user runs it: a whole network and a SCALE-Sim topology on
// the RTL with JSON output, a waveform window, and clear errors with a non-zero exit for a
// malformed topology and a layer the accelerator cannot hold.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/files.h"
#include "run_process.h"

using tandem::read_file;
using tandem::test::run_process;
using tandem::test::tandem_binary;

namespace {

const std::string kCache = std::string(TANDEM_TEST_OUTPUT_DIR) + "/t_simulate_cache";
const std::string kOut = std::string(TANDEM_TEST_OUTPUT_DIR) + "/t_simulate";

std::string accelerator_file(const std::string& name, const std::string& body) {
  std::filesystem::create_directories(kOut);
  const std::string path = kOut + "/" + name + ".yaml";
  std::ofstream(path) << "accelerator:\n" << body;
  return path;
}

std::string simulate(const std::string& args) {
  return tandem_binary() + " simulate --cache-dir " + kCache + " " + args;
}

const std::string kSmallAccel =
    "  array: { rows: 8, cols: 8, dataflow: weight_stationary }\n"
    "  buffers: { input_kib: 16, weight_kib: 16, output_kib: 16, banks: 2 }\n"
    "  vector: { lanes: 8 }\n"
    "  dram: { bytes_per_cycle: 8, latency_cycles: 40 }\n";

}  // namespace

TEST_CASE("t_simulate: a whole network runs on the RTL, bit-exact, with JSON metrics", "[cli][rtl]") {
  const std::string accel = accelerator_file("small", kSmallAccel);
  const std::string json_file = kOut + "/proxy.json";
  auto result = run_process(simulate("--accel " + accel + " --network zoo:proxy_mobilenet_v1 --evaluator both --json " + json_file));
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.err, Catch::Contains("[17/17] classifier (fully_connected)"));
  const auto json = nlohmann::json::parse(read_file(json_file));
  REQUIRE(json["layers"].size() == 17);
  std::uint64_t sum = 0;
  for (const auto& layer : json["layers"]) {
    INFO(layer["name"]);
    CHECK(layer["bit_exact"] == true);
    CHECK(layer["cycles"].get<std::uint64_t>() > 0);
    CHECK(layer["cycles"] == layer["counters"]["cycles"]);
    CHECK(layer["analytic_cycles"] == layer["cycles"]);  // measured, the model's beside it
    CHECK(layer.contains("macs"));
    CHECK(layer["breakdown"].contains("dma_stall"));
    CHECK(layer["energy_pj"]["total"].get<double>() > 0);
    sum += layer["cycles"].get<std::uint64_t>();
  }
  CHECK(json["total"]["cycles"] == sum);
  CHECK(json["total"]["latency_us"].get<double>() == Approx(sum / 100.0));  // the default 100 MHz
  CHECK(json["total"]["ok"] == true);
  CHECK(json["total"]["area_mm2"]["total"].get<double>() > 0);
  CHECK(json["total"]["energy_pj"]["dram"].get<double>() > 0);

  // The default evaluator, the analytic model, gives the same cycles without running the RTL.
  auto analytic = run_process(simulate("--accel " + accel + " --network zoo:proxy_mobilenet_v1"));
  REQUIRE(analytic.exit_code == 0);
  const auto model = nlohmann::json::parse(analytic.out);
  CHECK(model["total"]["cycles"] == json["total"]["cycles"]);
  CHECK_FALSE(model["layers"][0].contains("bit_exact"));
  CHECK(model["layers"][0]["evaluator"] == "analytic");
}

TEST_CASE("t_simulate: a SCALE-Sim topology runs with seeded random weights and inputs", "[cli][rtl]") {
  const std::string accel = accelerator_file("small", kSmallAccel);
  auto first = run_process(simulate("--accel " + accel + " --topology tests/data/models/csv/small_convnet.csv --seed 3 --evaluator rtl"));
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  const auto json = nlohmann::json::parse(first.out);
  CHECK(json["layers"].size() == 4);
  CHECK(json["layers"][0]["macs"] == 30 * 30 * 3 * 3 * 3 * 16);
  // Same seed, same numbers.
  auto again = run_process(simulate("--accel " + accel + " --topology tests/data/models/csv/small_convnet.csv --seed 3 --evaluator rtl"));
  CHECK(nlohmann::json::parse(again.out)["total"]["cycles"] == json["total"]["cycles"]);
}

TEST_CASE("t_simulate: --trace writes a waveform of a cycle window", "[cli][rtl]") {
  const std::string accel = accelerator_file("small", kSmallAccel);
  const std::string fst = kOut + "/conv.fst";
  std::filesystem::remove(fst);
  auto result = run_process(simulate("--accel " + accel + " --network zoo:proxy_mobilenet_v1 --layer stem --evaluator rtl --trace " +
                                     fst + " --trace-window 100:300"));
  INFO(result.err);
  CHECK(result.exit_code == 0);
  REQUIRE(std::filesystem::exists(fst));
  CHECK(std::filesystem::file_size(fst) > 0);
}

TEST_CASE("t_simulate: a malformed topology is a clear error", "[cli]") {
  const std::string accel = accelerator_file("small", kSmallAccel);
  auto result = run_process(simulate("--accel " + accel + " --topology tests/data/models/bad/csv_not_integer.csv"));
  CHECK(result.exit_code == 1);
  CHECK(result.err == "tests/data/models/bad/csv_not_integer.csv:2: error: Filter Width: expected a positive "
                      "integer up to 1048576, got 'x3'\n");
}

TEST_CASE("t_simulate: SCALE-Sim's own configuration and topology files run as they are", "[cli]") {
  auto result = run_process(simulate("--scalesim-config tests/data/scalesim/configs/eyeriss.cfg "
                                     "--topology tests/data/scalesim/topologies/mobilenet.csv"));
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  const auto json = nlohmann::json::parse(result.out);
  CHECK(json["network"] == "mobilenet");
  CHECK(json["layers"].size() == 27);
  CHECK(json["layers"][1]["name"] == "Conv2");
  CHECK(json["layers"][1]["macs"] == 110 * 110 * 3 * 3 * 32);
  CHECK_THAT(result.err, Catch::Contains("eyeriss.cfg: ArrayHeight 12 -> array.rows 12"));
  CHECK_THAT(result.err, Catch::Contains("eyeriss.cfg: no clock in SCALE-Sim -> clock_mhz "));
  CHECK_THAT(result.err, !Catch::Contains("warning: clock_mhz"));  // quoted at the model's Fmax
  // Chaining is explicit, and this file's rows do not chain.
  auto chained = run_process(simulate("--scalesim-config tests/data/scalesim/configs/eyeriss.cfg --topology "
                                      "tests/data/scalesim/topologies/mobilenet.csv --topology-mode chained"));
  CHECK(chained.exit_code == 1);
  CHECK_THAT(chained.err, Catch::Contains("mobilenet.csv:4: error: IFMAP Height"));
  auto google = run_process(simulate("--scalesim-config tests/data/scalesim/configs/google.cfg --topology "
                                     "tests/data/scalesim/topologies/test.csv"));
  CHECK(google.exit_code == 1);
  CHECK_THAT(google.err, Catch::Contains("google.cfg:5: error: ArrayHeight: 256 has no counterpart"));
  const std::string accel = accelerator_file("small", kSmallAccel);
  CHECK(run_process(simulate("--accel " + accel + " --scalesim-config tests/data/scalesim/configs/eyeriss.cfg "
                             "--topology tests/data/scalesim/topologies/test.csv")).exit_code != 0);
  // `config from-scalesim` writes the same accelerator as a YAML file: same hash, same cycles.
  std::filesystem::create_directories(kOut);
  const std::string converted = kOut + "/eyeriss.yaml";
  auto convert = run_process(tandem_binary() + " config from-scalesim tests/data/scalesim/configs/eyeriss.cfg -o " +
                             converted);
  INFO(convert.err);
  REQUIRE(convert.exit_code == 0);
  CHECK_THAT(convert.err, Catch::Contains("eyeriss.cfg: Dataflow ws -> array.dataflow weight_stationary"));
  auto same = run_process(simulate("--accel " + converted + " --topology tests/data/scalesim/topologies/mobilenet.csv"));
  REQUIRE(same.exit_code == 0);
  const auto same_json = nlohmann::json::parse(same.out);
  CHECK(same_json["accelerator_hash"] == json["accelerator_hash"]);
  CHECK(same_json["total"]["cycles"] == json["total"]["cycles"]);
}

TEST_CASE("t_simulate: a layer the accelerator cannot hold is reported and the exit is non-zero", "[cli][rtl]") {
  // 1 KiB buffers with 64-wide words hold 16 words: not one row of the global pool's 7x7 window.
  const std::string accel = accelerator_file(
      "tiny", "  array: { rows: 64, cols: 64 }\n  buffers: { input_kib: 1, weight_kib: 1, output_kib: 1, banks: 1 }\n");
  auto result = run_process(simulate("--accel " + accel + " --network zoo:proxy_resnet --layer pool"));
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::Contains("pool (global_avg_pool): ERROR cannot be mapped: pool: one output row of one "
                                         "channel block needs"));
  const auto json = nlohmann::json::parse(result.out);
  CHECK_THAT(json["layers"][0]["error"].get<std::string>(), Catch::Contains("IBUF"));
  CHECK(json["total"]["ok"] == false);
}

TEST_CASE("t_simulate: a stalled simulation stops with a diagnosis and a non-zero exit", "[cli][rtl]") {
  const std::string accel = accelerator_file("small", kSmallAccel);
  auto result = run_process(simulate("--accel " + accel + " --network zoo:proxy_mobilenet_v1 --layer stem "
                                     "--evaluator rtl --stall-cycles 300 --test-drop-dram-responses"));
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::Contains("stem (conv2d): ERROR simulation stalled"));
  CHECK_THAT(result.err, Catch::Contains("DMA"));
  CHECK(nlohmann::json::parse(result.out)["total"]["ok"] == false);
}

TEST_CASE("t_simulate: usage errors", "[cli]") {
  const std::string accel = accelerator_file("small", kSmallAccel);
  CHECK(run_process(simulate("--accel " + accel)).exit_code != 0);  // no network
  auto both = run_process(simulate("--accel " + accel + " --network zoo:proxy_resnet --topology x.csv"));
  CHECK(both.exit_code != 0);
  auto unknown = run_process(simulate("--accel " + accel + " --network zoo:proxy_resnet --layer nope"));
  CHECK(unknown.exit_code == 1);
  CHECK_THAT(unknown.err, Catch::Contains("has no layer 'nope'"));
}
