// The inputs a user's file reaches, as fuzz targets (docs/fuzzing.md): each target writes a
// candidate to a file of its kind and runs the loader tandem runs on such a file. The contract
// every target checks: a loader accepts the input or throws InputError with a location; any
// other exception, a sanitizer report or a hang is a finding.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace tandem::fuzz {

struct Target {
  std::string name;        // "accelerator", "network", ...
  std::string extension;   // of the file the candidate is written to: ".yaml", ".csv", ...
  std::vector<std::string> seed_globs;  // test data, relative to the source tree
  std::function<void(const std::string& file)> load;  // the loader under test
  // Seeds the target makes itself (binary formats without files in the tree), may be empty.
  std::function<std::vector<std::string>()> generated_seeds;
};

const std::vector<Target>& targets();
const Target* find_target(const std::string& name);

struct Finding {
  std::string input;   // the bytes that broke the contract
  std::string what;    // the exception's type and message
};

struct RunStats {
  std::uint64_t executions = 0;
  std::uint64_t accepted = 0;   // loaded without error
  std::uint64_t rejected = 0;   // InputError with a location
  std::vector<Finding> findings;
  double seconds = 0;
  double slowest_seconds = 0;   // the slowest single execution
};

// Runs `executions` mutated inputs (seeded by the target's seeds from `source_dir`) through the
// target's loader, writing each to a file in `work_dir`. Deterministic for a seed. Stops at the
// first `max_findings` findings.
RunStats run_target(const Target& target, const std::string& source_dir, const std::string& work_dir,
                    std::uint64_t executions, std::uint64_t seed, std::size_t max_findings = 5);

}  // namespace tandem::fuzz
