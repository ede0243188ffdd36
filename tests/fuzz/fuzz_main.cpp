// tandem_fuzz: the long fuzz runs (scripts/fuzz.sh builds it with the asan preset). Runs each
// target's loader on mutated inputs and prints executions, accepted/rejected counts, findings
// and speed; a finding's input is written to the work directory and the exit status is 1.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>

#include "core/files.h"
#include "core/number_format.h"
#include "fuzz_targets.h"

using namespace tandem;

int main(int argc, char** argv) {
  CLI::App app("Fuzz the loaders of tandem's input files (docs/fuzzing.md)");
  std::string target_name = "all";
  std::uint64_t runs = 100000;
  std::uint64_t seed = 1;
  std::string work = "out/fuzz";
  std::string source = TANDEM_SOURCE_DIR;
  app.add_option("--target", target_name, "a target, or all")->capture_default_str();
  app.add_option("--runs", runs, "executions per target")->capture_default_str();
  app.add_option("--seed", seed, "mutation seed")->capture_default_str();
  app.add_option("--work", work, "where inputs and findings are written")->capture_default_str();
  app.add_option("--source", source, "source tree (seed files)")->capture_default_str();
  bool list = false;
  app.add_flag("--list", list, "print the targets' names, one per line, and exit");
  CLI11_PARSE(app, argc, argv);
  if (list) {
    for (const fuzz::Target& target : fuzz::targets()) std::cout << target.name << "\n";
    return 0;
  }

  std::vector<const fuzz::Target*> chosen;
  for (const fuzz::Target& target : fuzz::targets()) {
    if (target_name == "all" || target.name == target_name) chosen.push_back(&target);
  }
  if (chosen.empty()) {
    std::cerr << "tandem_fuzz: --target: unknown target '" << target_name << "'; valid: all";
    for (const fuzz::Target& target : fuzz::targets()) std::cerr << ", " << target.name;
    std::cerr << "\n";
    return 2;
  }
  int status = 0;
  std::cout << "target       executions   accepted   rejected  findings   exec/s  slowest (ms)\n";
  for (const fuzz::Target* target : chosen) {
    const fuzz::RunStats stats = fuzz::run_target(*target, source, work, runs, seed);
    std::printf("%-11s %11llu %10llu %10llu %9zu %8.0f %13.1f\n", target->name.c_str(),
                static_cast<unsigned long long>(stats.executions), static_cast<unsigned long long>(stats.accepted),
                static_cast<unsigned long long>(stats.rejected), stats.findings.size(),
                stats.executions / std::max(stats.seconds, 1e-9), stats.slowest_seconds * 1e3);
    std::fflush(stdout);
    for (std::size_t k = 0; k < stats.findings.size(); ++k) {
      const std::string file = work + "/finding-" + target->name + "-" + std::to_string(k) + target->extension;
      write_file(file, stats.findings[k].input);
      std::cout << "  finding " << file << ": " << stats.findings[k].what << "\n";
      status = 1;
    }
  }
  return status;
}
