// RTL co-simulation (docs/cosim.md): runs a Program on the Verilated accelerator of its
// configuration, inside a SystemC system with a host and a DRAM model. The simulator executable
// of a configuration is generated, verilated and compiled on first use and cached by
// configuration hash, so later runs of the same configuration start at once.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/accelerator_config.h"
#include "core/program.h"

namespace tandem {

struct CosimOptions {
  // Cache root; empty: $TANDEM_CACHE_DIR, else $XDG_CACHE_HOME/tandem, else ~/.cache/tandem.
  // Simulators live in <root>/sim/<key>/.
  std::string cache_dir;
  // Absolute cap on simulated cycles; 0: the default (10^10).
  std::uint64_t max_cycles = 0;
  // Watchdog: stop when nothing progresses (no instruction taken, no memory request or response,
  // no change of a progress counter) for this many cycles; 0: derived from the configuration
  // (10000 + 8 * (dram latency + rows + cols)).
  std::uint64_t stall_cycles = 0;
  // Windowed FST waveform (builds and caches a traced variant of the simulator).
  bool trace_fst = false;
  std::string trace_file;  // empty: <program name or "trace">.fst in the working directory
  std::uint64_t trace_from = 0;
  std::uint64_t trace_to = UINT64_MAX;
  bool verbose = false;  // print the simulator command line and build commands
  // Test-only: the DRAM model accepts read requests but never answers (watchdog tests).
  bool test_drop_dram_responses = false;
};

struct CosimResult {
  bool ok = false;
  std::string status;     // "done", "stalled", "cycle_cap", "error"
  std::string diagnosis;  // empty when ok
  std::uint64_t cycles = 0;  // the accelerator's cycle counter when the program completed
  std::map<std::string, std::uint64_t> counters;  // every isa::counter_names() entry
  std::vector<std::vector<std::uint8_t>> outputs;  // Program::outputs order
  double seconds = 0;    // simulation wall time (excluding any build)
  std::string simulator;  // the executable that ran
  std::string json;       // the simulator's full JSON result
};

// The cache root after applying the defaults described in CosimOptions::cache_dir.
std::string cosim_cache_root(const CosimOptions& options);

// Path of the simulator executable for `config` (traced variant when options.trace_fst).
// Builds it if missing, printing progress to stderr; safe when several processes build the same
// configuration at once. `built`, if given, tells whether this call built it. Throws
// std::runtime_error with the build log's tail when verilator or the compiler fails.
std::string ensure_simulator(const AcceleratorConfig& config, const CosimOptions& options,
                             bool* built = nullptr);

// Runs `program` on the RTL. Failures of the simulation (watchdog, cycle cap, bad memory access)
// come back as ok = false with a diagnosis; build failures and a crashing simulator throw
// std::runtime_error.
CosimResult run_rtl_cosim(const Program& program, const CosimOptions& options);
// Runs a mesh's programs, each core's on its own core and DRAM channel (docs/mesh.md): `cycles`
// until the last core is done, counters summed over the cores (as evaluate_analytic's), outputs
// in core order.
CosimResult run_rtl_cosim(const MeshProgram& program, const CosimOptions& options);

// Runs an existing Program file, of one core or a mesh (as above, without rewriting the file).
CosimResult run_rtl_cosim_file(const std::string& program_file, const CosimOptions& options);

// Parses the simulator's JSON result.
CosimResult parse_cosim_json(const std::string& json);

}  // namespace tandem
