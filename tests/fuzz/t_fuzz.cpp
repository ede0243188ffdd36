// t_fuzz: a short run of every fuzz target (tests/fuzz/fuzz_targets.h) in the default suite: the
// seeds and a few thousand mutants of each load or are rejected with an InputError that has a
// location. The long runs (10^6 per target under ASan + UBSan) are scripts/fuzz.sh.
#include <catch2/catch.hpp>

#include "fuzz_targets.h"

using namespace tandem;

TEST_CASE("t_fuzz: every loader accepts or rejects with a located InputError", "[fuzz]") {
  for (const fuzz::Target& target : fuzz::targets()) {
    SECTION(target.name) {
      const fuzz::RunStats stats = fuzz::run_target(target, TANDEM_SOURCE_DIR,
                                                    std::string(TANDEM_TEST_OUTPUT_DIR) + "/t_fuzz/targets", 3000, 7);
      INFO(target.name << ": " << (stats.findings.empty() ? "" : stats.findings[0].what));
      CHECK(stats.findings.empty());
      CHECK(stats.executions == 3000);
      CHECK(stats.accepted > 0);  // the seeds that are valid load: the target runs its loader
      CHECK(stats.rejected > 0);  // and mutants are rejected
    }
  }
}

TEST_CASE("t_fuzz: a loader that throws something else is a finding", "[fuzz]") {
  fuzz::Target broken = fuzz::targets().front();
  broken.load = [](const std::string&) { throw std::out_of_range("vector::at"); };
  const fuzz::RunStats stats = fuzz::run_target(broken, TANDEM_SOURCE_DIR,
                                                std::string(TANDEM_TEST_OUTPUT_DIR) + "/t_fuzz/broken", 10, 1, 2);
  REQUIRE(stats.findings.size() == 2);
  CHECK_THAT(stats.findings[0].what, Catch::Contains("vector::at"));
}
