// Reading YAML inputs with errors that name file, line, column and field.
// Every YAML input of tandem (accelerator, network, technology, flow) goes through these helpers
// so that all of them report problems the same way.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/input_error.h"

namespace tandem {

// A parsed YAML document and the name of the file it came from (for error messages).
struct YamlDocument {
  std::string file;
  YAML::Node root;
};

// Reads and parses a file. Throws InputError for a missing/unreadable file or malformed YAML.
YamlDocument load_yaml_file(const std::string& path);
// Parses text as if it were the file `name`. Throws InputError for malformed YAML.
YamlDocument parse_yaml_text(const std::string& text, const std::string& name);

SourceLocation location_of(const YAML::Node& node, const std::string& file);

// The candidate closest to `word` by edit distance, or "" when none is plausibly a misspelling.
std::string nearest_name(const std::string& word, const std::vector<std::string>& candidates);

// A view of one mapping node in a document, with its dotted path, for field-by-field reading.
class YamlMap {
 public:
  // Throws InputError unless `node` is a mapping. Also rejects duplicate keys.
  YamlMap(YAML::Node node, std::string path, std::string file);

  const std::string& path() const { return path_; }
  const std::string& file() const { return file_; }
  const YAML::Node& node() const { return node_; }

  // Rejects any key not in `allowed`, suggesting the nearest allowed one.
  void require_only(const std::vector<std::string>& allowed) const;

  bool has(const std::string& key) const;
  YAML::Node get(const std::string& key) const;  // null node when absent
  std::string field(const std::string& key) const;  // dotted path of a key
  SourceLocation where(const std::string& key) const;  // location of a key's value

  // Typed readers: throw InputError naming the field when the value has the wrong type.
  std::int64_t integer(const std::string& key) const;
  double number(const std::string& key) const;
  bool boolean(const std::string& key) const;
  std::string string(const std::string& key) const;
  YamlMap map(const std::string& key) const;

  InputError error(const std::string& key, const std::string& message) const;

 private:
  YAML::Node node_;
  std::string path_;
  std::string file_;
};

// Describes a node's type for "expected X, got Y" messages: "a mapping", "the string 'abc'", ...
std::string describe_node(const YAML::Node& node);

}  // namespace tandem
