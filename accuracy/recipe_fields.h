// Reading recipe fields with located errors, shared by the training and the supernet recipe
// (accuracy/training_recipe.cpp, accuracy/supernet_recipe.cpp).
#pragma once

#include <cstdint>
#include <string>

#include "core/yaml_input.h"

namespace tandem {

// An integer field in low..high; InputError "N is out of range; valid: MEANING, LOW..HIGH".
int read_count(const YamlMap& map, const std::string& key, std::int64_t low, std::int64_t high,
               const std::string& meaning);
// A number in (low or [low)..high].
double read_real(const YamlMap& map, const std::string& key, double low, double high, bool low_inclusive);
// Shortest text that reads back as the same double (canonical texts and YAML).
std::string exact(double value);
// One of recipe_optimizers(), with a did-you-mean for a misspelt one.
std::string read_optimizer(const YamlMap& map, const std::string& key);
// The mapping under the top-level `key` of a recipe file, the file's only key.
YamlMap load_recipe_map(const std::string& file, const std::string& key);
// An integer >= 0.
std::uint64_t read_seed(const YamlMap& map, const std::string& key);

}  // namespace tandem
