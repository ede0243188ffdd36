#include <catch2/catch.hpp>

#include "core/accelerator_yaml.h"
#include "core/input_error.h"
#include "core/yaml_input.h"

using namespace tandem;

TEST_CASE("t_config_parse: an empty accelerator mapping gives the defaults", "[config]") {
  const AcceleratorConfig config = load_accelerator_file("tests/data/config/good/default_minimal.yaml");
  CHECK(config == AcceleratorConfig{});
  CHECK(config.array.rows == 16);
  CHECK(config.array.dataflow == Dataflow::weight_stationary);
  CHECK(config.buffers.banks == 4);
  CHECK(config.dram.latency_cycles == 100);
}

TEST_CASE("t_config_parse: every given value lands in its field", "[config]") {
  const AcceleratorConfig config = load_accelerator_file("tests/data/config/good/edge_6x8_os.yaml");
  CHECK(config.array.rows == 8);
  CHECK(config.array.cols == 6);
  CHECK(config.array.dataflow == Dataflow::output_stationary);
  CHECK(config.buffers.input_kib == 32);
  CHECK(config.buffers.weight_kib == 16);
  CHECK(config.buffers.output_kib == 32);
  CHECK(config.buffers.banks == 2);
  CHECK(config.vector.lanes == 8);
  CHECK(config.dram.bytes_per_cycle == 8);
  CHECK(config.dram.latency_cycles == 200);
  CHECK(config.clock_mhz == 250);
  CHECK(config.precision.accumulator_bits == 32);  // not given: default
}

TEST_CASE("t_config_parse: normalized YAML and JSON read back to the same configuration",
          "[config]") {
  AcceleratorConfig config;
  config.array.rows = 12;
  config.array.cols = 6;
  config.array.dataflow = Dataflow::output_stationary;
  config.buffers.banks = 16;
  config.vector.lanes = 1;
  config.dram.latency_cycles = 0;
  REQUIRE(validate(config).empty());

  const std::string yaml = accelerator_to_yaml(config);
  const YamlDocument document = parse_yaml_text(yaml, "roundtrip.yaml");
  CHECK(parse_accelerator(document.root["accelerator"], "roundtrip.yaml") == config);

  const auto json = accelerator_to_json(config);
  CHECK(json["array"]["dataflow"] == "output_stationary");
  CHECK(json["array"]["rows"] == 12);
  const YamlDocument from_json = parse_yaml_text(json.dump(), "roundtrip.json");
  CHECK(parse_accelerator(from_json.root, "roundtrip.json") == config);
}

TEST_CASE("t_config_parse: the accelerator mapping can be embedded under another path",
          "[config]") {
  const YamlDocument document =
      parse_yaml_text("study:\n  hardware:\n    array: { rows: 99 }\n", "flow.yaml");
  try {
    parse_accelerator(document.root["study"]["hardware"], "flow.yaml", "study.hardware");
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) ==
          "flow.yaml:3:20: error: study.hardware.array.rows: 99 is out of range; valid: an "
          "integer 2..64");
  }
}
