#include "handoff/hex_files.h"

#include <cstdio>

namespace tandem {

std::string instructions_hex(const Program& program) {
  std::string text;
  for (const auto& instruction : program.instructions) text += instruction.hex() + "\n";
  return text;
}

std::string bytes_hex(const std::vector<std::uint8_t>& bytes) {
  std::string text;
  text.reserve(bytes.size() * 3);
  char digits[4];
  for (std::uint8_t byte : bytes) {
    std::snprintf(digits, sizeof digits, "%02x\n", byte);
    text += digits;
  }
  return text;
}

std::string dram_image_hex(const Program& program) {
  std::vector<std::uint8_t> image(program.dram_bytes, 0);
  for (const auto& segment : program.memory) {
    for (std::size_t i = 0; i < segment.bytes.size(); ++i) image.at(segment.address + i) = segment.bytes[i];
  }
  return bytes_hex(image);
}

}  // namespace tandem
