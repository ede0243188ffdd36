// The test suite's own hygiene: CTest test names come from Catch's test case names, and CMake
// splits a name at ';' into a list, so such a test was registered under a filter that matches
// nothing and "passed" without running (t_training's main case did, unnoticed).
#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>

#include "core/files.h"

namespace fs = std::filesystem;

TEST_CASE("t_test_names: no test case name holds a semicolon", "[fast]") {
  const std::regex test_case(R"re(TEST_CASE\s*\(\s*"([^"]*)")re");
  int cases = 0;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(TANDEM_SOURCE_DIR) / "tests")) {
    if (entry.path().extension() != ".cpp") continue;
    const std::string text = tandem::read_file(entry.path().string());
    for (std::sregex_iterator it(text.begin(), text.end(), test_case), end; it != end; ++it) {
      ++cases;
      INFO(entry.path().string());
      CHECK((*it)[1].str().find(';') == std::string::npos);
    }
  }
  CHECK(cases > 300);  // the scan found the suite
}
