#include <catch2/catch.hpp>

#include <set>

#include "core/accelerator_yaml.h"

using namespace tandem;

TEST_CASE("t_config_space: the declaration is consistent", "[config][space]") {
  std::set<std::string> names;
  for (const auto& param : accelerator_space()) {
    INFO(param.name);
    CHECK(names.insert(param.name).second);  // declared once
    CHECK(!param.description.empty());
    CHECK(param.min <= param.max);
    CHECK(param.allows(param.default_value));
    CHECK(!param.search_values.empty());
    for (auto value : param.search_values) CHECK(param.allows(value));
    CHECK(find_param(param.name) == &param);
  }
  for (const auto& constraint : accelerator_constraints()) {
    for (const auto& field : constraint.fields) CHECK(find_param(field) != nullptr);
  }
  CHECK(find_param("array.depth") == nullptr);
}

TEST_CASE("t_config_space: the public contract keys are declared", "[config][space]") {
  for (const char* name :
       {"array.rows", "array.cols", "array.dataflow", "precision.input_bits",
        "precision.weight_bits", "precision.accumulator_bits", "buffers.input_kib",
        "buffers.weight_kib", "buffers.output_kib", "buffers.banks", "vector.lanes",
        "dram.bytes_per_cycle", "dram.latency_cycles", "clock_mhz"}) {
    CHECK(find_param(name) != nullptr);
  }
}

TEST_CASE("t_config_space: validate() reports range and constraint violations", "[config][space]") {
  CHECK(validate(AcceleratorConfig{}).empty());

  AcceleratorConfig too_wide;
  too_wide.array.cols = 65;
  auto violations = validate(too_wide);
  REQUIRE(violations.size() == 1);
  CHECK(violations[0].field == "array.cols");
  CHECK(violations[0].message == "65 is not allowed; valid: an integer 2..64");

  AcceleratorConfig odd_banks;
  odd_banks.buffers.banks = 6;
  violations = validate(odd_banks);
  REQUIRE(violations.size() == 1);
  CHECK(violations[0].message == "6 is not allowed; valid: a power of two 1..32");

  AcceleratorConfig tiny_banks;
  tiny_banks.array.rows = 64;
  tiny_banks.buffers.weight_kib = 1;
  tiny_banks.buffers.banks = 16;
  violations = validate(tiny_banks);
  REQUIRE(violations.size() == 1);
  CHECK(violations[0].field == "buffers.banks");
  CHECK_THAT(violations[0].message, Catch::Contains("64-byte banks"));
}

TEST_CASE("t_config_space: the JSON form lists parameters and constraints", "[config][space]") {
  const auto json = space_json();
  REQUIRE(json["parameters"].size() == accelerator_space().size());
  CHECK(json["parameters"][0]["name"] == "array.rows");
  CHECK(json["parameters"][2]["type"] == "choice");
  CHECK(json["parameters"][2]["default"] == "weight_stationary");
  CHECK(json["constraints"][0]["name"] == "bank_capacity");
  const std::string table = space_table();
  CHECK_THAT(table, Catch::Contains("accelerator.buffers.banks"));
  CHECK_THAT(table, Catch::Contains("a power of two 1..32"));
}
