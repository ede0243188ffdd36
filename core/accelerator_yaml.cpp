// Reading and writing the accelerator configuration, driven entirely by the declared space:
// the YAML nesting is the dotted parameter names, so a new parameter needs no code here.
#include "core/accelerator_yaml.h"

#include <algorithm>
#include <map>
#include <sstream>
#include <stdexcept>

#include "core/table.h"
#include "core/yaml_input.h"

namespace tandem {

namespace {

std::vector<std::string> split_dots(const std::string& name) {
  std::vector<std::string> parts;
  std::stringstream stream(name);
  for (std::string part; std::getline(stream, part, '.');) parts.push_back(part);
  return parts;
}

// The distinct next path segments below `prefix` ("" or "array."), in declaration order.
std::vector<std::string> child_keys(const std::string& prefix) {
  std::vector<std::string> keys;
  for (const auto& param : accelerator_space()) {
    if (param.name.compare(0, prefix.size(), prefix) != 0) continue;
    std::string rest = param.name.substr(prefix.size());
    std::string key = rest.substr(0, rest.find('.'));
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  }
  return keys;
}

class AcceleratorReader {
 public:
  explicit AcceleratorReader(const YamlMap& root) : root_(root) {}

  AcceleratorConfig read() {
    read_level(root_, "");
    check_constraints();
    return config_;
  }

 private:
  void read_level(const YamlMap& map, const std::string& prefix) {
    const std::vector<std::string> keys = child_keys(prefix);
    map.require_only(keys);
    for (const auto& key : keys) {
      if (!map.has(key)) continue;
      if (const ParamSpec* param = find_param(prefix + key)) {
        read_value(map, key, *param);
      } else {
        read_level(map.map(key), prefix + key + ".");
      }
    }
  }

  void read_value(const YamlMap& map, const std::string& key, const ParamSpec& param) {
    std::int64_t value = 0;
    const YAML::Node node = map.get(key);
    if (!node.IsScalar()) {
      throw map.error(key, "expected " + std::string(param.kind == ParamSpec::Kind::choice
                                                         ? "one of the names"
                                                         : "an integer") +
                               ", got " + describe_node(node) + "; valid: " + param.allowed_text());
    }
    if (param.kind == ParamSpec::Kind::choice) {
      const std::string name = map.string(key);
      auto found = std::find(param.choices.begin(), param.choices.end(), name);
      if (found == param.choices.end()) {
        std::string message = "unknown value '" + name + "'";
        std::string suggestion = nearest_name(name, param.choices);
        if (!suggestion.empty()) message += "; did you mean '" + suggestion + "'?";
        throw map.error(key, message + " (valid: " + param.allowed_text() + ")");
      }
      value = found - param.choices.begin();
    } else {
      try {
        value = map.integer(key);
      } catch (const InputError& wrong_type) {
        throw map.error(key, wrong_type.message() + "; valid: " + param.allowed_text());
      }
      if (value < param.min || value > param.max) {
        throw map.error(key, std::to_string(value) + " is out of range; valid: " +
                                 param.allowed_text());
      }
      if (!param.allows(value)) {
        throw map.error(key, std::to_string(value) + " is not a power of two; valid: " +
                                 param.allowed_text());
      }
    }
    param.set(config_, value);
    given_[param.name] = map.where(key);
  }

  void check_constraints() const {
    for (const auto& constraint : accelerator_constraints()) {
      auto broken = constraint.check(config_);
      if (!broken) continue;
      // Blame the first involved field the file actually sets: that is where the user looks.
      for (const auto& field : constraint.fields) {
        auto given = given_.find(field);
        if (given != given_.end()) {
          throw InputError(given->second, root_.field(field),
                           *broken + " [constraint " + constraint.name + "]");
        }
      }
      throw InputError(location_of(root_.node(), root_.file()), root_.path(),
                       *broken + " [constraint " + constraint.name + "]");
    }
  }

  const YamlMap& root_;
  AcceleratorConfig config_;
  std::map<std::string, SourceLocation> given_;
};

}  // namespace

AcceleratorConfig parse_accelerator(const YAML::Node& node, const std::string& file,
                                    const std::string& path) {
  YamlMap root(node, path, file);
  return AcceleratorReader(root).read();
}

AcceleratorConfig load_accelerator_file(const std::string& file) {
  YamlDocument document = load_yaml_file(file);
  if (!document.root.IsMap()) {
    SourceLocation where = location_of(document.root, file);
    if (where.line == 0) where = {file, 1, 1};  // an empty file has no marks
    throw InputError(where, "",
                     "expected a mapping with the key 'accelerator', got " +
                         describe_node(document.root));
  }
  YamlMap top(document.root, "", file);
  top.require_only({"accelerator"});
  if (!top.has("accelerator")) {
    throw InputError({file, 1, 1}, "accelerator", "missing; the file must have an 'accelerator:' mapping");
  }
  return parse_accelerator(top.get("accelerator"), file);
}

std::string accelerator_to_yaml(const AcceleratorConfig& config) {
  YAML::Node accelerator(YAML::NodeType::Map);
  for (const auto& param : accelerator_space()) {
    std::vector<std::string> parts = split_dots(param.name);
    YAML::Node level = accelerator;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
      // Node assignment rebinds in yaml-cpp; reset() follows the child.
      YAML::Node child = level[parts[i]];
      level.reset(child);
    }
    const std::int64_t value = param.get(config);
    if (param.kind == ParamSpec::Kind::choice) {
      level[parts.back()] = param.format(value);
    } else {
      level[parts.back()] = value;
    }
  }
  YAML::Node root;
  root["accelerator"] = accelerator;
  YAML::Emitter out;
  out << root;
  return std::string(out.c_str()) + "\n";
}

nlohmann::ordered_json accelerator_to_json(const AcceleratorConfig& config) {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  for (const auto& param : accelerator_space()) {
    nlohmann::ordered_json* level = &json;
    std::vector<std::string> parts = split_dots(param.name);
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) level = &(*level)[parts[i]];
    const std::int64_t value = param.get(config);
    if (param.kind == ParamSpec::Kind::choice) {
      (*level)[parts.back()] = param.format(value);
    } else {
      (*level)[parts.back()] = value;
    }
  }
  return json;
}

AcceleratorConfig accelerator_from_json(const nlohmann::json& json) {
  AcceleratorConfig config;
  for (const auto& param : accelerator_space()) {
    const nlohmann::json* level = &json;
    for (const auto& part : split_dots(param.name)) {
      if (!level->is_object() || !level->contains(part)) {
        throw std::invalid_argument("accelerator." + param.name + ": missing");
      }
      level = &(*level)[part];
    }
    if (param.kind == ParamSpec::Kind::choice) {
      const std::string name = level->is_string() ? level->get<std::string>() : level->dump();
      auto found = std::find(param.choices.begin(), param.choices.end(), name);
      if (found == param.choices.end()) {
        throw std::invalid_argument("accelerator." + param.name + ": unknown value '" + name +
                                    "' (valid: " + param.allowed_text() + ")");
      }
      param.set(config, found - param.choices.begin());
    } else {
      if (!level->is_number_integer()) {
        throw std::invalid_argument("accelerator." + param.name + ": expected an integer, got " +
                                    level->dump());
      }
      param.set(config, level->get<std::int64_t>());
    }
  }
  return config;
}

nlohmann::ordered_json space_json() {
  nlohmann::ordered_json json;
  json["parameters"] = nlohmann::ordered_json::array();
  for (const auto& param : accelerator_space()) {
    nlohmann::ordered_json entry;
    entry["name"] = param.name;
    const bool is_choice = param.kind == ParamSpec::Kind::choice;
    entry["type"] = is_choice ? "choice" : (param.power_of_two ? "power_of_two" : "integer");
    entry["unit"] = param.unit;
    if (is_choice) {
      entry["choices"] = param.choices;
    } else {
      entry["min"] = param.min;
      entry["max"] = param.max;
    }
    entry["default"] = is_choice ? nlohmann::ordered_json(param.format(param.default_value))
                                 : nlohmann::ordered_json(param.default_value);
    nlohmann::ordered_json search = nlohmann::ordered_json::array();
    for (auto value : param.search_values) {
      if (is_choice) search.push_back(param.format(value)); else search.push_back(value);
    }
    entry["search_values"] = search;
    entry["description"] = param.description;
    json["parameters"].push_back(entry);
  }
  json["constraints"] = nlohmann::ordered_json::array();
  for (const auto& constraint : accelerator_constraints()) {
    json["constraints"].push_back({{"name", constraint.name},
                                   {"fields", constraint.fields},
                                   {"description", constraint.description}});
  }
  return json;
}

std::string space_table() {
  Table table;
  table.headers = {"parameter", "allowed", "default", "unit", "search values", "description"};
  for (const auto& param : accelerator_space()) {
    std::string search;
    for (auto value : param.search_values) search += (search.empty() ? "" : ",") + param.format(value);
    table.rows.push_back({"accelerator." + param.name, param.allowed_text(),
                          param.format(param.default_value), param.unit, search, param.description});
  }
  std::string text = table.text() + "\ncross-field constraints:\n";
  for (const auto& constraint : accelerator_constraints()) {
    text += "  " + constraint.name + ": " + constraint.description + "\n";
  }
  return text;
}

}  // namespace tandem
