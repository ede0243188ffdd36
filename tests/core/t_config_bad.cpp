// Every bad accelerator file in tests/data/config/bad gives exactly the one-line error pinned in
// its .err golden file (regenerate with TANDEM_UPDATE_GOLDEN=1), never a crash.
#include <catch2/catch.hpp>

#include <filesystem>

#include "core/accelerator_yaml.h"
#include "core/input_error.h"
#include "golden_file.h"

using namespace tandem;

namespace {

std::string error_of(const std::string& file) {
  return test::input_error_of([&] { load_accelerator_file(file); });
}

}  // namespace

TEST_CASE("t_config_bad: every bad file gives its golden one-line error", "[config][bad]") {
  CHECK(test::check_bad_input_goldens("tests/data/config/bad", {".yaml"}, error_of) >= 20);
}

TEST_CASE("t_config_bad: a missing file names the file and the reason", "[config][bad]") {
  const std::string message = error_of("tests/data/config/does_not_exist.yaml");
  CHECK(message ==
        "tests/data/config/does_not_exist.yaml: error: cannot open file: No such file or "
        "directory\n");
}

TEST_CASE("t_config_bad: errors carry location and field separately", "[config][bad]") {
  try {
    load_accelerator_file("tests/data/config/bad/out_of_range_high.yaml");
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    CHECK(e.where().line == 3);
    CHECK(e.where().column == 11);
    CHECK(e.field() == "accelerator.array.rows");
  }
}
