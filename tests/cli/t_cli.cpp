// The `tandem` binary as a user runs it: exit codes, stdout, one-line errors on stderr.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "core/files.h"
#include "run_process.h"

using tandem::test::run_process;
using tandem::test::tandem_binary;

TEST_CASE("t_cli: --help lists the subcommands, --version prints the version", "[cli]") {
  auto help = run_process(tandem_binary() + " --help");
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("config"));
  CHECK_THAT(help.out, Catch::Contains("run"));

  auto version = run_process(tandem_binary() + " --version");
  CHECK(version.exit_code == 0);
  CHECK_THAT(version.out, Catch::StartsWith("tandem 0."));

  auto config_help = run_process(tandem_binary() + " config check --help");
  CHECK(config_help.exit_code == 0);
  CHECK_THAT(config_help.out, Catch::Contains("--json"));
}

TEST_CASE("t_cli: no subcommand or an unknown one is a usage error", "[cli]") {
  CHECK(run_process(tandem_binary()).exit_code != 0);
  auto unknown = run_process(tandem_binary() + " frobnicate");
  CHECK(unknown.exit_code != 0);
}

TEST_CASE("t_cli: config check prints the normalized configuration and hash", "[cli]") {
  auto result = run_process(tandem_binary() + " config check tests/data/config/good/default_reordered.yaml");
  CHECK(result.exit_code == 0);
  // The default 100 MHz is a clock the generated 16x16 meets on sky130 HD cells: no warning.
  CHECK(result.err.empty());
  CHECK_THAT(result.out, Catch::Contains("# timing model (sky130 HD typical): Fmax "));
  CHECK_THAT(result.out, Catch::Contains("# hash: "));
  // Normalized: canonical order, every key present.
  const auto rows = result.out.find("rows: 16");
  const auto clock = result.out.find("clock_mhz: 100");
  CHECK(rows != std::string::npos);
  CHECK(clock != std::string::npos);
  CHECK(rows < clock);
  CHECK_THAT(result.out, Catch::Contains("accumulator_bits: 32"));

  // 250 MHz is more than the model gives a 6x8 array: a warning, no error.
  const auto fast = run_process(tandem_binary() + " config check tests/data/config/good/edge_6x8_os.yaml");
  CHECK(fast.exit_code == 0);
  CHECK_THAT(fast.err, Catch::StartsWith("warning: clock_mhz 250 exceeds the ") &&
                           Catch::Contains("MHz the timing model gives this configuration"));

  auto json = run_process(tandem_binary() +
                          " config check --json tests/data/config/good/default_spelled_out.yaml");
  REQUIRE(json.exit_code == 0);
  auto parsed = nlohmann::json::parse(json.out);
  CHECK(parsed["accelerator"]["array"]["dataflow"] == "weight_stationary");
  CHECK(result.out.find(parsed["hash"].get<std::string>()) != std::string::npos);
}

TEST_CASE("t_cli: config check output is itself a valid accelerator file", "[cli]") {
  const std::string normalized = "/tmp/tandem_t_cli_normalized.yaml";
  auto first = run_process(tandem_binary() + " config check tests/data/config/good/edge_6x8_os.yaml > " + normalized);
  REQUIRE(first.exit_code == 0);
  auto again = run_process(tandem_binary() + " config check " + normalized);
  CHECK(again.exit_code == 0);
  auto original = run_process(tandem_binary() + " config check --json tests/data/config/good/edge_6x8_os.yaml");
  auto reread = run_process(tandem_binary() + " config check --json " + normalized);
  CHECK(nlohmann::json::parse(original.out)["hash"] == nlohmann::json::parse(reread.out)["hash"]);
}

TEST_CASE("t_cli: a bad file gives one error line and exit code 1", "[cli]") {
  auto result = run_process(tandem_binary() + " config check tests/data/config/bad/unknown_key.yaml");
  CHECK(result.exit_code == 1);
  CHECK(result.out.empty());
  CHECK(result.err ==
        "tests/data/config/bad/unknown_key.yaml:4:5: error: accelerator.array.colums: unknown key "
        "'colums'; did you mean 'cols'? (valid keys: rows, cols, dataflow, requantizer)\n");

  auto missing = run_process(tandem_binary() + " config check no/such/file.yaml");
  CHECK(missing.exit_code == 1);
  CHECK(missing.err == "no/such/file.yaml: error: cannot open file: No such file or directory\n");
}

TEST_CASE("t_cli: config space prints the declared space", "[cli]") {
  auto table = run_process(tandem_binary() + " config space");
  CHECK(table.exit_code == 0);
  CHECK_THAT(table.out, Catch::Contains("accelerator.array.dataflow"));
  CHECK_THAT(table.out, Catch::Contains("weight_stationary | output_stationary"));
  CHECK_THAT(table.out, Catch::Contains("bank_capacity"));

  auto json = run_process(tandem_binary() + " config space --json");
  REQUIRE(json.exit_code == 0);
  auto parsed = nlohmann::json::parse(json.out);
  CHECK(parsed["parameters"].size() == 19);  // core/accelerator_space.cpp declares 19
}

TEST_CASE("t_cli: run executes the quickstart flow", "[cli]") {
  const std::string flow = "/tmp/tandem_t_cli_flow.yaml";
  tandem::write_file(flow, "name: t_cli\noutput_dir: /tmp/tandem_t_cli_out\n"
                           "accelerator: { array: { rows: 8, cols: 8 } }\n");
  auto result = run_process(tandem_binary() + " run " + flow);
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("8x8 weight_stationary"));
  auto summary = nlohmann::json::parse(tandem::read_file("/tmp/tandem_t_cli_out/summary.json"));
  CHECK(summary["accelerator"]["array"]["rows"] == 8);

  tandem::write_file(flow, "name: bad name\n");
  auto bad = run_process(tandem_binary() + " run " + flow);
  CHECK(bad.exit_code == 1);
  CHECK_THAT(bad.err, Catch::StartsWith(flow + ":1:7: error: name: 'bad name' is not a valid name"));
}
