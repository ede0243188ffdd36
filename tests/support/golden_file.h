// Golden-file comparison in the style of Verilator's test suite: expected text lives in a file
// next to the input; run with TANDEM_UPDATE_GOLDEN=1 to regenerate instead of editing by hand.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/files.h"

namespace tandem::test {

inline void check_golden(const std::string& golden_path, const std::string& actual) {
  const char* update = std::getenv("TANDEM_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    write_file(golden_path, actual);
    WARN("updated golden file " << golden_path);
    return;
  }
  INFO("golden file " << golden_path << " (regenerate with TANDEM_UPDATE_GOLDEN=1)");
  REQUIRE(std::filesystem::exists(golden_path));
  CHECK(read_file(golden_path) == actual);
}

}  // namespace tandem::test

#include <filesystem>
#include <vector>

#include "core/input_error.h"

namespace tandem::test {

// The one-line message of the InputError that `load()` throws, with a newline; "(no error)\n"
// when it throws none.
template <typename Load>
std::string input_error_of(Load load) {
  try {
    load();
  } catch (const InputError& e) {
    return std::string(e.what()) + "\n";
  }
  return "(no error)\n";
}

// Every file in `dir` with one of `extensions` gives exactly the one-line error pinned in its
// .err golden file, starting with the file's name. `error_of(file)` returns the message (see
// input_error_of). Returns the number of files, one Catch SECTION each.
template <typename ErrorOf>
int check_bad_input_goldens(const std::string& dir, const std::vector<std::string>& extensions,
                            ErrorOf error_of) {
  int cases = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string extension = entry.path().extension().string();
    if (std::find(extensions.begin(), extensions.end(), extension) == extensions.end()) continue;
    ++cases;
    const std::string file = entry.path().generic_string();
    SECTION(entry.path().filename().string()) {
      const std::string message = error_of(file);
      INFO("input " << file);
      CHECK(message.find('\n') == message.size() - 1);
      CHECK(message.rfind(file, 0) == 0);
      CHECK(message.find(": error: ") != std::string::npos);
      auto golden = entry.path();
      check_golden(golden.replace_extension(".err").string(), message);
    }
  }
  return cases;
}

}  // namespace tandem::test
