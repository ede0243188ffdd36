// Writes rtl/tandem_isa.vh (isa::verilog_header()) to the file named by its argument, for RTL
// that is verilated straight from rtl_templates/ (the block tests); cmake/isa_header.cmake
// builds and runs it at configure time. Packages get the same text from the generator.
#include <fstream>
#include <iostream>

#include "core/isa.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: write_isa_header OUTPUT.vh\n";
    return 2;
  }
  std::ofstream out(argv[1], std::ios::binary);
  out << tandem::isa::verilog_header();
  return out ? 0 : 1;
}
