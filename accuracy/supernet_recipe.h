// The supernet recipe: how the weight-sharing supernet of a network space is trained and how a
// candidate is evaluated on it (docs/accuracy.md, "Supernet"). Torch-free: the flow parsing of
// the search reads it; accuracy/training/ (tandem-supernet) runs it.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "core/yaml_input.h"

namespace tandem {

struct SupernetRecipe {
  // Training (supernet_training_hash):
  std::string space = "proxy";    // a NetworkSpace name
  int epochs = 6;                 // passes over the training subset
  int subset = 0;                 // training images (the first N of a seeded shuffle); 0: all
  int batch = 64;
  std::string optimizer = "sgd";   // adam | sgd (momentum 0.9); cosine decay to 0
  double learning_rate = 0.05;
  double weight_decay = 3e-5;
  int random_subnets = 1;         // per step: [largest +] [smallest +] this many random subnets
  bool largest = false;           // the sandwich rule's largest subnet in every step
  bool smallest = true;           // the sandwich rule's smallest subnet in every step
  bool distill = false;           // in-place distillation: the others learn the largest's output
  std::uint64_t seed = 1;
  int threads = 1;                // torch intra-op threads of the training (part of the hash)
  // Evaluation of a candidate (the accuracy cache's key, not the trained supernet's):
  int calibration_images = 256;   // per candidate: batch-norm recalibration and observer calibration
  int test_subset = 1000;         // per candidate: test images (the first N)
  int finetune_steps = 0;         // per candidate: steps of its own training from the inherited weights
  double finetune_learning_rate = 0.002;  // Adam, cosine decay to 0 over finetune_steps
};

// Reads a recipe mapping (keys as the field names; any subset). Throws InputError naming
// file:line:col and the field, with the valid range or choices.
SupernetRecipe parse_supernet_recipe(const YamlMap& map);
SupernetRecipe load_supernet_recipe_file(const std::string& file);  // top-level `supernet:` key
// The training fields ("schema=tandem-supernet-recipe-2\nspace=proxy\nspace_version=1\n...":
// everything but calibration_images, test_subset and finetune_*) and their hash (16 hex digits
// of SHA-256): a trained supernet's key, so that evaluating another way reuses it.
std::string supernet_training_canonical_text(const SupernetRecipe& recipe);
std::string supernet_training_hash(const SupernetRecipe& recipe);
// Every field: what a candidate's supernet accuracy depends on (the accuracy cache's key).
std::string supernet_recipe_canonical_text(const SupernetRecipe& recipe);
std::string supernet_recipe_to_yaml(const SupernetRecipe& recipe);  // `supernet:` mapping, every field
nlohmann::ordered_json supernet_recipe_to_json(const SupernetRecipe& recipe);

}  // namespace tandem
