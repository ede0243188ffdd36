// $readmemh files for the exported testbench: one entry per line, lowest address first.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/program.h"

namespace tandem {

// One 128-bit instruction per line, 32 hex digits, most significant first.
std::string instructions_hex(const Program& program);
// The initial DRAM image: program.dram_bytes bytes, two hex digits per line (zero outside the
// Program's memory segments).
std::string dram_image_hex(const Program& program);
// Any byte string, two hex digits per line.
std::string bytes_hex(const std::vector<std::uint8_t>& bytes);

}  // namespace tandem
