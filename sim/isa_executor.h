// A functional executor of Programs: the semantics of docs/isa.md instruction by instruction,
// in C++, without timing. It checks the compiler against the golden reference in milliseconds,
// without RTL, and separates compiler bugs from RTL bugs when a co-simulation disagrees.
#pragma once

#include <cstdint>
#include <vector>

#include "core/program.h"

namespace tandem {

struct FunctionalResult {
  std::vector<std::vector<std::uint8_t>> outputs;  // one per Program output region
};

// Throws std::runtime_error naming the instruction index for an access outside a buffer or DRAM.
FunctionalResult execute_program(const Program& program);

}  // namespace tandem
