// The training recipe: YAML reading with located errors, canonical text and hash.
#include <algorithm>
#include <cstdio>
#include <sstream>

#include "accuracy/accuracy.h"
#include "accuracy/recipe_fields.h"
#include "core/sha256.h"

namespace tandem {

int read_count(const YamlMap& map, const std::string& key, std::int64_t low, std::int64_t high,
               const std::string& meaning) {
  const std::int64_t value = map.integer(key);
  if (value < low || value > high) {
    throw map.error(key, std::to_string(value) + " is out of range; valid: " + meaning + ", " +
                             std::to_string(low) + ".." + std::to_string(high));
  }
  return static_cast<int>(value);
}

double read_real(const YamlMap& map, const std::string& key, double low, double high,
                 bool low_inclusive) {
  const double value = map.number(key);
  const bool ok = (low_inclusive ? value >= low : value > low) && value <= high;
  if (!ok) {
    std::ostringstream text;
    text << value << " is out of range; valid: " << (low_inclusive ? "" : "above ") << low
         << (low_inclusive ? ".." : " up to ") << high;
    throw map.error(key, text.str());
  }
  return value;
}

std::string exact(double value) {
  char buffer[32];
  for (int precision = 6; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
    if (std::stod(buffer) == value) break;
  }
  return buffer;
}

const std::vector<std::string>& recipe_optimizers() {
  static const std::vector<std::string> names = {"adam", "sgd"};
  return names;
}

std::string read_optimizer(const YamlMap& map, const std::string& key) {
  const std::string name = map.string(key);
  const auto& valid = recipe_optimizers();
  if (std::find(valid.begin(), valid.end(), name) == valid.end()) {
    const std::string nearest = nearest_name(name, valid);
    throw map.error(key, "unknown optimizer '" + name + "'" +
                             (nearest.empty() ? "" : " (did you mean '" + nearest + "'?)") + "; valid: adam, sgd");
  }
  return name;
}

std::uint64_t read_seed(const YamlMap& map, const std::string& key) {
  const std::int64_t seed = map.integer(key);
  if (seed < 0) throw map.error(key, std::to_string(seed) + " is negative; valid: an integer >= 0");
  return static_cast<std::uint64_t>(seed);
}

TrainingRecipe parse_training_recipe(const YamlMap& map) {
  map.require_only({"epochs", "qat_epochs", "subset", "test_subset", "golden_images", "batch",
                    "optimizer", "learning_rate", "qat_learning_rate", "weight_decay", "seed", "threads"});
  TrainingRecipe recipe;
  if (map.has("epochs")) recipe.epochs = read_count(map, "epochs", 0, 1000, "float training epochs");
  if (map.has("qat_epochs")) {
    recipe.qat_epochs = read_count(map, "qat_epochs", 0, 1000, "quantization-aware epochs");
  }
  if (map.has("subset")) recipe.subset = read_count(map, "subset", 0, 60000, "training images (0: all)");
  if (map.has("test_subset")) {
    recipe.test_subset = read_count(map, "test_subset", 0, 10000, "test images (0: all)");
  }
  if (map.has("golden_images")) {
    recipe.golden_images = read_count(map, "golden_images", 0, 10000, "test images run in int8");
  }
  if (map.has("batch")) recipe.batch = read_count(map, "batch", 1, 4096, "images per step");
  if (map.has("optimizer")) recipe.optimizer = read_optimizer(map, "optimizer");
  if (map.has("learning_rate")) recipe.learning_rate = read_real(map, "learning_rate", 0, 10, false);
  if (map.has("qat_learning_rate")) {
    recipe.qat_learning_rate = read_real(map, "qat_learning_rate", 0, 10, false);
  }
  if (map.has("weight_decay")) recipe.weight_decay = read_real(map, "weight_decay", 0, 1, true);
  if (map.has("seed")) recipe.seed = read_seed(map, "seed");
  if (map.has("threads")) recipe.threads = read_count(map, "threads", 1, 256, "trainer threads");
  if (recipe.epochs + recipe.qat_epochs == 0) {
    throw map.error(map.has("epochs") ? "epochs" : "qat_epochs",
                    "epochs and qat_epochs are both 0; valid: at least one epoch in total");
  }
  return recipe;
}

YamlMap load_recipe_map(const std::string& file, const std::string& key) {
  const YamlDocument document = load_yaml_file(file);
  const YamlMap top(document.root, "", file);
  top.require_only({key});
  if (!top.has(key)) {
    throw InputError(location_of(document.root, file), key, "missing; the file holds `" + key + ": {...}`");
  }
  return top.map(key);
}

TrainingRecipe load_training_recipe_file(const std::string& file) {
  return parse_training_recipe(load_recipe_map(file, "recipe"));
}

std::string recipe_canonical_text(const TrainingRecipe& r) {
  // threads is part of it: torch's parallel reductions may round differently with another
  // thread count (docs/accuracy.md, determinism), and a cached result must be reproducible.
  std::ostringstream text;
  text << "schema=tandem-recipe-1\n"
       << "epochs=" << r.epochs << "\nqat_epochs=" << r.qat_epochs << "\nsubset=" << r.subset
       << "\ntest_subset=" << r.test_subset << "\ngolden_images=" << r.golden_images
       << "\nbatch=" << r.batch << "\noptimizer=" << r.optimizer
       << "\nlearning_rate=" << exact(r.learning_rate)
       << "\nqat_learning_rate=" << exact(r.qat_learning_rate) << "\nweight_decay=" << exact(r.weight_decay)
       << "\nseed=" << r.seed << "\nthreads=" << r.threads << "\n";
  return text.str();
}

std::string recipe_hash(const TrainingRecipe& recipe) {
  return sha256_hex(recipe_canonical_text(recipe)).substr(0, 16);
}

nlohmann::ordered_json recipe_to_json(const TrainingRecipe& r) {
  return {{"epochs", r.epochs},         {"qat_epochs", r.qat_epochs},
          {"subset", r.subset},         {"test_subset", r.test_subset},
          {"golden_images", r.golden_images}, {"batch", r.batch},
          {"optimizer", r.optimizer},   {"learning_rate", r.learning_rate},
          {"qat_learning_rate", r.qat_learning_rate},
          {"weight_decay", r.weight_decay}, {"seed", r.seed},
          {"threads", r.threads}};
}

std::string recipe_to_yaml(const TrainingRecipe& r) {
  std::ostringstream text;
  text << "recipe:\n  epochs: " << r.epochs << "\n  qat_epochs: " << r.qat_epochs
       << "\n  subset: " << r.subset << "\n  test_subset: " << r.test_subset
       << "\n  golden_images: " << r.golden_images << "\n  batch: " << r.batch
       << "\n  optimizer: " << r.optimizer << "\n  learning_rate: " << exact(r.learning_rate)
       << "\n  qat_learning_rate: " << exact(r.qat_learning_rate)
       << "\n  weight_decay: " << exact(r.weight_decay) << "\n  seed: " << r.seed
       << "\n  threads: " << r.threads << "\n";
  return text.str();
}

}  // namespace tandem
