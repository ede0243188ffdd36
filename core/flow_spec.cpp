#include "core/flow_spec.h"

#include <cctype>

#include "core/accelerator_yaml.h"
#include "core/yaml_input.h"

namespace tandem {

FlowSpec load_flow_file(const std::string& file) {
  YamlDocument document = load_yaml_file(file);
  YamlMap top(document.root, "", file);
  top.require_only({"name", "output_dir", "accelerator", "network", "seed", "search"});

  FlowSpec flow;
  flow.file = file;
  if (!top.has("name")) {
    throw InputError(location_of(document.root, file), "name", "missing; give the flow a name");
  }
  flow.name = top.string("name");
  for (char c : flow.name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') {
      throw top.error("name", "'" + flow.name +
                                  "' is not a valid name; valid: letters, digits, '_' and '-'");
    }
  }
  if (flow.name.empty()) throw top.error("name", "empty; valid: letters, digits, '_' and '-'");
  flow.output_dir = top.has("output_dir") ? top.string("output_dir") : "out/" + flow.name;
  if (top.has("accelerator")) flow.accelerator = parse_accelerator(top.get("accelerator"), file);
  if (top.has("network")) flow.network = top.string("network");
  if (top.has("seed")) {
    const std::int64_t seed = top.integer("seed");
    if (seed < 0) throw top.error("seed", std::to_string(seed) + " is negative; valid: an integer >= 0");
    flow.seed = static_cast<std::uint64_t>(seed);
  }
  flow.has_search = top.has("search");
  if (flow.has_search) flow.search = top.get("search");
  return flow;
}

}  // namespace tandem
