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

// A mesh's work (docs/mesh.md): one Program per core, in one DRAM address space (the cores'
// segments and output regions do not overlap). Core i runs cores[i] on its own DRAM channel;
// all start together, and the mesh is done when every core is. A single core is a mesh of one.
struct MeshProgram {
  std::string name;
  AcceleratorConfig config;    // the mesh
  std::vector<Program> cores;  // compiled for core_config(config), in core order (x fastest)

  std::uint32_t dram_bytes() const;  // the largest of the cores'
};

// The program as a mesh of one core.
MeshProgram single_core(Program program);

// `program` moved up by `offset` bytes of DRAM: its segments, output regions, dram_bytes and the
// DRAM address of every LOAD and STORE. Throws std::invalid_argument past 4 GiB.
Program relocated(Program program, std::uint32_t offset);

// A compact binary file form, so that a Program can cross a process boundary (the co-simulation
// runs as its own executable). Throws InputError naming the file for any problem with a file
// that is read (std::runtime_error for one that cannot be written).
void write_program_file(const Program& program, const std::string& path);
Program read_program_file(const std::string& path);
// A mesh program's file (version 2: the cores' programs one after another). Reading accepts a
// single Program's file too, as a mesh of one.
void write_program_file(const MeshProgram& program, const std::string& path);
MeshProgram read_mesh_program_file(const std::string& path);

}  // namespace tandem
