// Generates RTL packages into the build tree for tests, and runs EDA tools on them.
#pragma once

#include <filesystem>
#include <string>

#include "core/accelerator_config.h"
#include "generator/generator.h"
#include "run_process.h"

namespace tandem::test {

// Writes the package for `config` to <build>/test_output/<suite>/<hash> and returns the path.
inline std::filesystem::path generate_test_package(const AcceleratorConfig& config,
                                                   const std::string& suite,
                                                   const GeneratorOptions& options = {}) {
  const RtlPackage package = generate_rtl(config, options);
  const std::filesystem::path dir =
      std::filesystem::path(TANDEM_TEST_OUTPUT_DIR) / suite / package.hash;
  std::filesystem::remove_all(dir);
  write_package(package, dir);
  return dir;
}

// Runs a shell command inside `dir`.
inline ProcessResult run_in(const std::filesystem::path& dir, const std::string& command) {
  ProcessOptions options;
  options.directory = dir.string();
  return tandem::run_process({"/bin/sh", "-c", command}, options);
}

}  // namespace tandem::test
