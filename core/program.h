// A Program: what the compiler produces and every evaluator consumes (docs/isa.md). The
// instruction stream for the accelerator plus the initial DRAM image and the regions of DRAM
// that hold results. The RTL co-simulation and the analytic model run the same Program.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/accelerator_config.h"
#include "core/isa.h"

namespace tandem {

// Bytes placed in DRAM before the run.
struct MemorySegment {
  std::string name;  // e.g. "conv1.weights"
  std::uint32_t address = 0;
  std::vector<std::uint8_t> bytes;
};

// A DRAM range that holds a result after the run.
struct OutputRegion {
  std::string name;  // e.g. "conv1.output"
  std::uint32_t address = 0;
  std::uint32_t bytes = 0;
};

struct Program {
  std::string name;
  AcceleratorConfig config;  // the accelerator it was compiled for
  std::vector<isa::Instruction> instructions;
  std::vector<MemorySegment> memory;
  std::vector<OutputRegion> outputs;
  std::uint32_t dram_bytes = 0;  // DRAM size the program needs (all segments and outputs fit)
};

// A compact binary file form, so that a Program can cross a process boundary (the co-simulation
// runs as its own executable). Throws InputError naming the file for any problem with a file
// that is read (std::runtime_error for one that cannot be written).
void write_program_file(const Program& program, const std::string& path);
Program read_program_file(const std::string& path);

}  // namespace tandem
