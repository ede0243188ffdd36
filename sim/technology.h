// A technology: per-action energies and per-component areas of one process, read from a
// technology YAML file (flows/technology/horowitz_45nm.yaml is the default shipped with tandem;
// docs/energy-area.md). Parsed once at the edge into this plain struct.
#pragma once

#include <string>

namespace tandem {

struct Technology {
  std::string name;
  std::string file;  // where it was read from
  int node_nm = 0;
  struct Energy {  // pJ per action
    double int8_multiply = 0, int8_add = 0, int32_multiply = 0, int32_add = 0;
    double register_per_byte = 0;
    double dram_per_byte = 0;
    struct Sram {  // one access of a word of reference_word_bytes in a bank of reference_kib
      double reference_kib = 0, reference_word_bytes = 0, read = 0, write = 0, capacity_exponent = 0;
    } sram;
  } energy_pj;
  struct Static {
    double leakage_mw_per_mm2 = 0;
    double clock_pj_per_mm2_cycle = 0;
  } statics;
  struct Area {  // um^2
    double int8_multiply = 0, int8_add = 0, int32_multiply = 0, int32_add = 0;
    double register_bit = 0, sram_bit = 0, sram_array_efficiency = 0, sram_bank_overhead = 0;
    double controller = 0, dma = 0;
  } area_um2;
};

// Throws InputError (file:line:col: error: field: message) for a missing or malformed file, a
// missing or unknown key, or a value of the wrong type or out of range.
Technology load_technology_file(const std::string& path);
Technology parse_technology_text(const std::string& text, const std::string& name);

// flows/technology/horowitz_45nm.yaml, embedded at build time.
const Technology& default_technology();

}  // namespace tandem
