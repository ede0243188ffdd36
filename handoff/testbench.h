// The exported package's self-checking Verilog testbench (tb/tandem_tb.sv): a DRAM model that
// obeys the memory port of docs/isa.md, an instruction feeder, a watchdog, and a byte-by-byte
// check of the output region. Plain SystemVerilog that Icarus (-g2012) and Verilator (--binary)
// both run; it prints "PASS" or "FAIL: ..." and exits non-zero on failure ($fatal).
#pragma once

#include <cstdint>
#include <string>

#include "core/accelerator_config.h"
#include "handoff/layer_vectors.h"

namespace tandem {

// The hex files the testbench reads, relative to the directory it runs in (the package root).
inline constexpr const char* kProgramHex = "tb/vectors/program.hex";
inline constexpr const char* kDramHex = "tb/vectors/dram.hex";
inline constexpr const char* kExpectedHex = "tb/vectors/expected.hex";

// `max_cycles`: the watchdog's cap (overridable at run time with +max_cycles=N).
// `expected_cycles`: the layer's co-simulated cycles (tandem's `cycles` counter), which the
// testbench checks too; 0 when not measured (then it only prints them).
// `activity_counters`: as GeneratorOptions; the testbench expects the MAC counter to have
// counted the layer (true) or to read 0 (false).
std::string testbench_text(const AcceleratorConfig& config, const LayerVectors& vectors,
                           std::uint64_t max_cycles, std::uint64_t expected_cycles,
                           bool activity_counters);

}  // namespace tandem
