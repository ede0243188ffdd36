// SCALE-Sim .cfg files into AcceleratorConfig (mapping in scalesim_config.h).
#include "core/scalesim_config.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

#include "core/input_error.h"
#include "core/text.h"

namespace tandem {

namespace {

// One `key: value` (or `key = value`) line of the file.
struct Entry {
  std::string key;  // as written
  std::string value;
  SourceLocation where;
};

// Python's configparser, as SCALE-Sim reads the file: sections, keys case-insensitive, `:` or `=`,
// comment lines starting with '#' or ';'. Keys are returned lower-cased, "section.key".
std::map<std::string, Entry> read_ini(const std::string& text, const std::string& file) {
  std::map<std::string, Entry> entries;
  std::stringstream stream(text);
  std::string section;
  int line_number = 0;
  for (std::string line; std::getline(stream, line);) {
    ++line_number;
    const std::string content = trim(line);
    if (content.empty() || content[0] == '#' || content[0] == ';') continue;
    const SourceLocation where{file, line_number, 0};
    if (content.front() == '[') {
      if (content.back() != ']') throw InputError(where, "", "a section header is written [name]");
      section = lowercase(trim(content.substr(1, content.size() - 2)));
      continue;
    }
    const auto separator = content.find_first_of(":=");
    if (separator == std::string::npos) throw InputError(where, "", "expected 'key: value' or 'key = value'");
    if (section.empty()) throw InputError(where, "", "a key before the first [section]");
    Entry entry{trim(content.substr(0, separator)), trim(content.substr(separator + 1)), where};
    const std::string key = section + "." + lowercase(entry.key);
    if (entries.count(key)) throw InputError(where, entry.key, "given twice (first on line " +
                                                                   std::to_string(entries[key].where.line) + ")");
    entries[key] = entry;
  }
  return entries;
}

std::int64_t integer_value(const Entry& entry) {
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(entry.value.c_str(), &end, 10);
  if (entry.value.empty() || *end != '\0' || errno != 0 || value < 1) {
    throw InputError(entry.where, entry.key, "expected a positive integer, got '" + entry.value + "'");
  }
  return value;
}

std::int64_t power_of_two_at_most(std::int64_t value) {
  std::int64_t power = 1;
  while (power <= value / 2) power *= 2;
  return power;
}

// Sets tandem's `param` from the entry, rounded down to a power of two where the parameter
// takes only those; out of tandem's range is an error naming the key.
void map_integer(ScaleSimConfig& result, const Entry& entry, const char* param_name, const std::string& unit) {
  const ParamSpec& param = *find_param(param_name);
  const std::int64_t given = integer_value(entry);
  const std::int64_t value = param.power_of_two ? power_of_two_at_most(given) : given;
  if (!param.allows(value)) {
    throw InputError(entry.where, entry.key, std::to_string(given) + " has no counterpart: tandem's " + param.name +
                                                 " is " + param.allowed_text());
  }
  param.set(result.accelerator, value);
  std::string note = entry.key + " " + std::to_string(given) + unit + " -> " + param.name + " " + std::to_string(value);
  if (value != given) note += " (rounded down to a power of two, which tandem's generator builds)";
  result.notes.push_back(note);
}

}  // namespace

ScaleSimConfig parse_scalesim_config(const std::string& text, const std::string& file) {
  const std::map<std::string, Entry> entries = read_ini(text, file);
  ScaleSimConfig result;
  std::set<std::string> mapped;
  auto entry = [&](const std::string& key) -> const Entry* {
    auto found = entries.find(key);
    if (found == entries.end()) return nullptr;
    mapped.insert(key);
    return &found->second;
  };
  if (const Entry* e = entry("general.run_name")) result.run_name = e->value;
  const struct {
    const char* key;      // "section.key", lower case as configparser reads it
    const char* written;  // as SCALE-Sim's files write it
    const char* param;
    const char* unit;
  } integers[] = {{"architecture_presets.arrayheight", "ArrayHeight", "array.rows", ""},
                  {"architecture_presets.arraywidth", "ArrayWidth", "array.cols", ""},
                  {"architecture_presets.ifmapsramszkb", "IfmapSramSzkB", "buffers.input_kib", " KiB"},
                  {"architecture_presets.filtersramszkb", "FilterSramSzkB", "buffers.weight_kib", " KiB"},
                  {"architecture_presets.ofmapsramszkb", "OfmapSramSzkB", "buffers.output_kib", " KiB"},
                  {"architecture_presets.bandwidth", "Bandwidth", "dram.bytes_per_cycle", " words/cycle"}};
  std::set<std::string> defaults_kept;
  for (const ParamSpec& param : accelerator_space()) defaults_kept.insert(param.name);
  defaults_kept.erase("clock_mhz");  // SCALE-Sim has no clock: the commands set the timing model's Fmax
  // SCALE-Sim reads Bandwidth only with InterfaceBandwidth USER; with CALC (its default) it
  // assumes whatever bandwidth never stalls, which no DRAM port of tandem's has.
  const Entry* interface = entry("run_presets.interfacebandwidth");
  const bool user_bandwidth = interface && lowercase(interface->value) == "user";
  if (interface && !user_bandwidth && lowercase(interface->value) != "calc") {
    throw InputError(interface->where, interface->key, "'" + interface->value + "' is not CALC or USER");
  }
  for (const auto& mapping : integers) {
    const std::string key = mapping.key;
    const Entry* e = entry(key);
    if (!e) {
      const ParamSpec& param = *find_param(mapping.param);
      result.notes.push_back(std::string(mapping.written) + " absent: " + param.name + " kept at tandem's default " +
                             param.format(param.get(result.accelerator)));
      defaults_kept.erase(mapping.param);
      continue;
    }
    if (key == "architecture_presets.bandwidth" && !user_bandwidth) {
      result.notes.push_back(e->key + " " + e->value + ": ignored, as SCALE-Sim ignores it unless InterfaceBandwidth "
                             "is USER (with CALC it assumes the bandwidth that never stalls); dram.bytes_per_cycle "
                             "kept at tandem's default " + std::to_string(result.accelerator.dram.bytes_per_cycle));
      defaults_kept.erase(mapping.param);
      continue;
    }
    Entry value = *e;
    if (key == "architecture_presets.bandwidth") {  // USER: one value per bank; SCALE-Sim takes the least
      std::stringstream list(value.value);
      std::int64_t least = 0;
      for (std::string item; std::getline(list, item, ',');) {
        Entry one = value;
        one.value = trim(item);
        const std::int64_t v = integer_value(one);
        least = least == 0 ? v : std::min(least, v);
      }
      value.value = std::to_string(least);
    }
    map_integer(result, value, mapping.param, mapping.unit);
    defaults_kept.erase(mapping.param);
  }
  if (const Entry* e = entry("architecture_presets.dataflow")) {
    const std::string value = lowercase(e->value);
    if (value == "ws") result.accelerator.array.dataflow = Dataflow::weight_stationary;
    else if (value == "os") result.accelerator.array.dataflow = Dataflow::output_stationary;
    else if (value == "is") {
      throw InputError(e->where, e->key, "is (input stationary) has no counterpart: tandem builds ws "
                                         "(weight_stationary) and os (output_stationary) arrays");
    } else {
      throw InputError(e->where, e->key, "'" + e->value + "' is not a SCALE-Sim dataflow (valid: ws, os, is)");
    }
    result.notes.push_back(e->key + " " + value + " -> array.dataflow " +
                           dataflow_name(result.accelerator.array.dataflow));
  } else {
    result.notes.push_back(std::string("Dataflow absent: array.dataflow kept at tandem's default ") +
                           dataflow_name(result.accelerator.array.dataflow));
  }
  defaults_kept.erase("array.dataflow");
  for (const auto& [key, e] : entries) {
    if (mapped.count(key)) continue;
    std::string why = "no counterpart in tandem; ignored";
    if (key.find("offset") != std::string::npos) why = "no counterpart (tandem lays out DRAM itself); ignored";
    if (key == "architecture_presets.memorybanks") {
      why = "no counterpart (tandem's scratchpad banking is buffers.banks, kept at " +
            std::to_string(result.accelerator.buffers.banks) + "); ignored";
    }
    result.notes.push_back(e.key + " " + e.value + ": " + why);
  }
  if (interface) {
    result.notes.push_back(interface->key + " " + interface->value + ": tandem always models its DRAM port at "
                           "dram.bytes_per_cycle " + std::to_string(result.accelerator.dram.bytes_per_cycle) +
                           (user_bandwidth ? " (from Bandwidth)" : "; SCALE-Sim's CALC assumes the bandwidth "
                                                                   "that never stalls, so its cycles leave DRAM "
                                                                   "stalls out"));
  }
  std::string kept;
  for (const ParamSpec& param : accelerator_space()) {
    if (defaults_kept.count(param.name)) {
      kept += (kept.empty() ? "" : ", ") + param.name + " " + param.format(param.get(result.accelerator));
    }
  }
  result.notes.push_back("tandem's defaults, no SCALE-Sim counterpart: " + kept);
  for (const ConfigViolation& violation : validate(result.accelerator)) {
    throw InputError({file, 0, 0}, violation.field, violation.message + " (from the SCALE-Sim configuration)");
  }
  return result;
}

ScaleSimConfig load_scalesim_config(const std::string& file) {
  return parse_scalesim_config(read_input_file(file), file);
}

}  // namespace tandem
