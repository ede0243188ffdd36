#include "cost/cost.h"

#include <cmath>
#include <vector>

#include "core/number_format.h"
#include "core/yaml_input.h"

namespace tandem {

namespace {

// One numeric key of a section: where it goes and its valid range.
struct NumberKey {
  const char* key;
  double* target;
  double min;
  double max;
  bool min_exclusive;  // e.g. sizes must be > 0
};

std::string valid_text(const NumberKey& k) {
  const std::string lo = (k.min_exclusive ? "> " : ">= ") + format_number(k.min, 6);
  if (std::isinf(k.max)) return "a number " + lo;
  return "a number " + lo + " and <= " + format_number(k.max, 6);
}

void require_keys(const YamlMap& map, const std::vector<std::string>& keys) {
  map.require_only(keys);
  for (const std::string& key : keys) {
    if (!map.has(key)) {
      throw InputError(location_of(map.node(), map.file()), map.field(key), "missing; every key of '" + map.path() + "' is required");
    }
  }
}

// Reads every key of `map` (no other keys allowed, none missing) into its target.
void read_numbers(const YamlMap& map, const std::vector<NumberKey>& keys, const std::vector<std::string>& sections = {}) {
  std::vector<std::string> all;
  for (const NumberKey& k : keys) all.push_back(k.key);
  all.insert(all.end(), sections.begin(), sections.end());
  require_keys(map, all);
  for (const NumberKey& k : keys) {
    double v = 0;
    try {
      v = map.number(k.key);
    } catch (const InputError& e) {  // the type error, plus what is valid
      throw InputError(e.where(), e.field(), e.message() + "; valid: " + valid_text(k));
    }
    const bool low = k.min_exclusive ? !(v > k.min) : !(v >= k.min);
    if (!std::isfinite(v) || low || v > k.max) {
      throw map.error(k.key, map.get(k.key).Scalar() + " is out of range; valid: " + valid_text(k));
    }
    *k.target = v;
  }
}

constexpr double kInf = INFINITY;

Technology read_technology(const YamlDocument& doc) {
  if (!doc.root || !doc.root.IsMap()) {
    throw InputError(location_of(doc.root, doc.file), "",
                     "expected a mapping with the key 'technology', got " + describe_node(doc.root));
  }
  YamlMap top(doc.root, "", doc.file);
  top.require_only({"technology"});
  if (!top.has("technology")) {
    throw InputError(location_of(doc.root, doc.file), "technology", "missing; the file must have a 'technology:' mapping");
  }
  Technology t;
  t.file = doc.file;
  const YamlMap tech = top.map("technology");
  require_keys(tech, {"name", "node_nm", "energy_pj", "static", "area_um2"});
  t.name = tech.string("name");
  const std::int64_t node = tech.integer("node_nm");
  if (node < 1 || node > 1000) throw tech.error("node_nm", std::to_string(node) + " is out of range; valid: an integer 1..1000");
  t.node_nm = static_cast<int>(node);

  auto& e = t.energy_pj;
  const YamlMap energy = tech.map("energy_pj");
  read_numbers(energy, {{"int8_multiply", &e.int8_multiply, 0, kInf, false},
                        {"int8_add", &e.int8_add, 0, kInf, false},
                        {"int32_multiply", &e.int32_multiply, 0, kInf, false},
                        {"int32_add", &e.int32_add, 0, kInf, false},
                        {"register_per_byte", &e.register_per_byte, 0, kInf, false},
                        {"dram_per_byte", &e.dram_per_byte, 0, kInf, false}},
               {"sram"});
  read_numbers(energy.map("sram"), {{"reference_kib", &e.sram.reference_kib, 0, kInf, true},
                                    {"reference_word_bytes", &e.sram.reference_word_bytes, 0, kInf, true},
                                    {"read", &e.sram.read, 0, kInf, false},
                                    {"write", &e.sram.write, 0, kInf, false},
                                    {"capacity_exponent", &e.sram.capacity_exponent, 0, 2, false}});
  read_numbers(tech.map("static"), {{"leakage_mw_per_mm2", &t.statics.leakage_mw_per_mm2, 0, kInf, false},
                                    {"clock_pj_per_mm2_cycle", &t.statics.clock_pj_per_mm2_cycle, 0, kInf, false}});
  auto& a = t.area_um2;
  read_numbers(tech.map("area_um2"), {{"int8_multiply", &a.int8_multiply, 0, kInf, false},
                                      {"int8_add", &a.int8_add, 0, kInf, false},
                                      {"int32_multiply", &a.int32_multiply, 0, kInf, false},
                                      {"int32_add", &a.int32_add, 0, kInf, false},
                                      {"register_bit", &a.register_bit, 0, kInf, false},
                                      {"sram_bit", &a.sram_bit, 0, kInf, false},
                                      {"sram_array_efficiency", &a.sram_array_efficiency, 0, 1, true},
                                      {"sram_bank_overhead", &a.sram_bank_overhead, 0, kInf, false},
                                      {"controller", &a.controller, 0, kInf, false},
                                      {"dma", &a.dma, 0, kInf, false}});
  return t;
}

}  // namespace

Technology load_technology_file(const std::string& path) { return read_technology(load_yaml_file(path)); }

Technology parse_technology_text(const std::string& text, const std::string& name) {
  return read_technology(parse_yaml_text(text, name));
}

extern const char* const kDefaultTechnologyYaml;

const Technology& default_technology() {
  static const Technology technology =
      parse_technology_text(kDefaultTechnologyYaml, "technology/horowitz_45nm.yaml");
  return technology;
}

}  // namespace tandem
