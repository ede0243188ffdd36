// Golden-file comparison in the style of Verilator's test suite: expected text lives in a file
// next to the input; run with TANDEM_UPDATE_GOLDEN=1 to regenerate instead of editing by hand.
#pragma once

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace tandem::test {

inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void check_golden(const std::string& golden_path, const std::string& actual) {
  const char* update = std::getenv("TANDEM_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(golden_path, std::ios::binary) << actual;
    WARN("updated golden file " << golden_path);
    return;
  }
  std::ifstream probe(golden_path);
  INFO("golden file " << golden_path << " (regenerate with TANDEM_UPDATE_GOLDEN=1)");
  REQUIRE(probe.good());
  CHECK(read_text_file(golden_path) == actual);
}

}  // namespace tandem::test
