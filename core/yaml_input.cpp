#include "core/yaml_input.h"

#include <algorithm>
#include <set>


namespace tandem {

namespace {

SourceLocation location_of_mark(const YAML::Mark& mark, const std::string& file) {
  if (mark.is_null()) return {file, 0, 0};
  return {file, mark.line + 1, mark.column + 1};
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

bool is_quoted(const YAML::Node& node) { return node.Tag() == "!"; }

}  // namespace

YamlDocument parse_yaml_text(const std::string& text, const std::string& name) {
  try {
    return {name, YAML::Load(text)};
  } catch (const YAML::ParserException& e) {
    throw InputError(location_of_mark(e.mark, name), "", "malformed YAML: " + e.msg);
  }
}

YamlDocument load_yaml_file(const std::string& path) {
  const std::string text = read_input_file(path);
  return parse_yaml_text(text, path);
}

SourceLocation location_of(const YAML::Node& node, const std::string& file) {
  return location_of_mark(node.Mark(), file);
}

std::string nearest_name(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::string::npos;
  for (const auto& candidate : candidates) {
    std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  // A suggestion only helps when the word is plausibly a misspelling of it.
  std::size_t limit = std::max<std::size_t>(2, std::max(word.size(), best.size()) / 3);
  return best_distance <= limit ? best : "";
}

std::string describe_node(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null: return "nothing (null)";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Scalar:
      return (is_quoted(node) ? "the string \"" : "'") + node.Scalar() +
             (is_quoted(node) ? "\"" : "'");
  }
  return "an unknown node";
}

YamlMap::YamlMap(YAML::Node node, std::string path, std::string file)
    : node_(std::move(node)), path_(std::move(path)), file_(std::move(file)) {
  if (!node_.IsMap()) {
    throw InputError(location_of(node_, file_), path_,
                     "expected a mapping, got " + describe_node(node_));
  }
  std::set<std::string> seen;
  for (const auto& entry : node_) {
    const std::string key = entry.first.Scalar();
    if (!seen.insert(key).second) {
      throw InputError(location_of(entry.first, file_), field(key),
                       "duplicate key; each key may appear once");
    }
  }
}

std::string YamlMap::field(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

void YamlMap::require_only(const std::vector<std::string>& allowed) const {
  for (const auto& entry : node_) {
    const std::string key = entry.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string message = "unknown key '" + key + "'";
    std::string suggestion = nearest_name(key, allowed);
    if (!suggestion.empty()) message += "; did you mean '" + suggestion + "'?";
    std::string valid;
    for (const auto& name : allowed) valid += (valid.empty() ? "" : ", ") + name;
    message += " (valid keys: " + valid + ")";
    throw InputError(location_of(entry.first, file_), field(key), message);
  }
}

bool YamlMap::has(const std::string& key) const { return static_cast<bool>(get(key)); }

YAML::Node YamlMap::get(const std::string& key) const {
  const YAML::Node& constant = node_;
  return constant[key];
}

SourceLocation YamlMap::where(const std::string& key) const {
  YAML::Node value = get(key);
  return value ? location_of(value, file_) : location_of(node_, file_);
}

InputError YamlMap::error(const std::string& key, const std::string& message) const {
  return InputError(where(key), field(key), message);
}

std::int64_t YamlMap::integer(const std::string& key) const {
  YAML::Node value = get(key);
  std::int64_t result = 0;
  if (!value.IsScalar() || is_quoted(value) || !YAML::convert<std::int64_t>::decode(value, result)) {
    throw error(key, "expected an integer, got " + describe_node(value));
  }
  return result;
}

double YamlMap::number(const std::string& key) const {
  YAML::Node value = get(key);
  double result = 0;
  if (!value.IsScalar() || is_quoted(value) || !YAML::convert<double>::decode(value, result)) {
    throw error(key, "expected a number, got " + describe_node(value));
  }
  return result;
}

bool YamlMap::boolean(const std::string& key) const {
  YAML::Node value = get(key);
  bool result = false;
  if (!value.IsScalar() || is_quoted(value) || !YAML::convert<bool>::decode(value, result)) {
    throw error(key, "expected true or false, got " + describe_node(value));
  }
  return result;
}

std::string YamlMap::string(const std::string& key) const {
  YAML::Node value = get(key);
  if (!value.IsScalar()) throw error(key, "expected a string, got " + describe_node(value));
  return value.Scalar();
}

YamlMap YamlMap::map(const std::string& key) const { return YamlMap(get(key), field(key), file_); }

}  // namespace tandem
