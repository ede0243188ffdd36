// `tandem cosim PROGRAM.tpg`: runs a Program file on the RTL of its accelerator (Verilator +
// SystemC; the simulator is built on first use and cached), prints a summary and writes the
// JSON result (docs/cosim.md).
#include <cstdint>
#include <iostream>

#include "cli/command_registry.h"
#include "core/files.h"
#include "cosim/rtl_cosim.h"

namespace tandem::cli {
namespace {

struct CosimCliOptions {
  std::string program_file;
  std::string output_file;
  CosimOptions cosim;
  std::string trace_file;
};

int run_cosim(const CosimCliOptions& options) {
  CosimOptions cosim = options.cosim;
  if (!options.trace_file.empty()) {
    cosim.trace_fst = true;
    cosim.trace_file = options.trace_file;
  }
  const CosimResult result = run_rtl_cosim_file(options.program_file, cosim);
  if (!options.output_file.empty()) {
    write_file(options.output_file, result.json);
  } else {
    std::cout << result.json;
  }
  std::cerr << "tandem cosim: " << result.status << ", " << result.cycles << " cycles, "
            << (result.counters.count("instructions") ? result.counters.at("instructions") : 0) << " instructions, " << result.seconds << " s";
  if (result.seconds > 0) std::cerr << " (" << result.cycles / result.seconds / 1e6 << " M cycles/s)";
  std::cerr << "\n";
  if (!result.ok) std::cerr << "tandem cosim: " << result.diagnosis << "\n";
  return result.ok ? 0 : 1;
}

void setup(CLI::App& app) {
  auto options = std::make_shared<CosimCliOptions>();
  CLI::App* cosim = app.add_subcommand(
      "cosim", "Run a Program file on the generated RTL (Verilator + SystemC co-simulation); the "
               "simulator of each configuration is built once and cached");
  cosim->add_option("PROGRAM", options->program_file, "Program file (written by the compiler)")
      ->required();
  cosim->add_option("-o,--output", options->output_file, "JSON result file (default: stdout)");
  cosim->add_option("--cache-dir", options->cosim.cache_dir,
                    "simulator cache root (default: $TANDEM_CACHE_DIR, $XDG_CACHE_HOME/tandem or "
                    "~/.cache/tandem)");
  cosim->add_option("--max-cycles", options->cosim.max_cycles, "absolute cycle cap (default 1e10)");
  cosim->add_option("--stall-cycles", options->cosim.stall_cycles,
                    "watchdog: cycles without progress before stopping (default: from the "
                    "configuration)");
  cosim->add_option("--trace-fst", options->trace_file,
                    "write an FST waveform (builds a traced simulator variant)");
  cosim->add_option("--trace-from", options->cosim.trace_from, "first traced cycle");
  cosim->add_option("--trace-to", options->cosim.trace_to, "last traced cycle");
  cosim->add_flag("-v,--verbose", options->cosim.verbose, "print build and simulator commands");
  cosim->callback([options] {
    const int rc = run_cosim(*options);
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

RegisterCommand registration("cosim", setup);

}  // namespace
}  // namespace tandem::cli
