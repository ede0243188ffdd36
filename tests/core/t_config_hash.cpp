#include <catch2/catch.hpp>

#include "core/accelerator_yaml.h"

using namespace tandem;

TEST_CASE("t_config_hash: key order and spelled-out defaults do not change the hash",
          "[config][hash]") {
  const std::string minimal = config_hash(load_accelerator_file("tests/data/config/good/default_minimal.yaml"));
  CHECK(config_hash(load_accelerator_file("tests/data/config/good/default_spelled_out.yaml")) == minimal);
  CHECK(config_hash(load_accelerator_file("tests/data/config/good/default_reordered.yaml")) == minimal);
  CHECK(config_hash(AcceleratorConfig{}) == minimal);
}

TEST_CASE("t_config_hash: the default configuration's hash is pinned", "[config][hash]") {
  // Caches and generated RTL are named by this hash: a change here must be deliberate
  // (bump kCanonicalSchema in core/accelerator_hash.cpp and update this value).
  CHECK(config_hash(AcceleratorConfig{}) == "09a5ada40413bdf4");
  CHECK(config_hash(AcceleratorConfig{}).size() == 16);
}

TEST_CASE("t_config_hash: every parameter changes the hash", "[config][hash]") {
  const std::string base = config_hash(AcceleratorConfig{});
  for (const auto& param : accelerator_space()) {
    if (param.min == param.max) continue;  // fixed parameters have one value
    AcceleratorConfig changed;
    const std::int64_t other = param.default_value == param.max ? param.min : param.max;
    param.set(changed, other);
    INFO(param.name << " = " << param.format(other));
    CHECK(config_hash(changed) != base);
  }
}
