// The training recipe and the `accuracy:` block: parsing, bad input pinned by golden files,
// canonical hashing.
#include <catch2/catch.hpp>

#include "accuracy/accuracy.h"
#include "golden_file.h"

using namespace tandem;

namespace {

AccuracySpec load_accuracy_spec_file(const std::string& file) {
  const YamlDocument document = load_yaml_file(file);
  const YamlMap top(document.root, "", file);
  return parse_accuracy_spec(top.map("accuracy"));
}

AccuracySpec accuracy_spec_text(const std::string& text) {
  const YamlDocument document = parse_yaml_text(text, "flow.yaml");
  return parse_accuracy_spec(YamlMap(document.root, "", "flow.yaml").map("accuracy"));
}

}  // namespace

TEST_CASE("t_accuracy: recipe fields parse, defaults fill the rest", "[accuracy][recipe]") {
  const TrainingRecipe full = load_training_recipe_file("tests/data/accuracy/good/full_recipe.yaml");
  CHECK(full.epochs == 3);
  CHECK(full.qat_epochs == 1);
  CHECK(full.subset == 5000);
  CHECK(full.test_subset == 2000);
  CHECK(full.golden_images == 100);
  CHECK(full.batch == 32);
  CHECK(full.optimizer == "sgd");
  CHECK(full.learning_rate == 0.05);
  CHECK(full.qat_learning_rate == 0.0002);
  CHECK(full.weight_decay == 0.0001);
  CHECK(full.seed == 7);
  CHECK(full.threads == 2);
  const YamlDocument empty = parse_yaml_text("recipe: {}\n", "r.yaml");
  const TrainingRecipe defaults = parse_training_recipe(YamlMap(empty.root, "", "r.yaml").map("recipe"));
  CHECK(recipe_hash(defaults) == recipe_hash(TrainingRecipe{}));
}

TEST_CASE("t_accuracy: the recipe hash covers every field, not key order", "[accuracy][recipe]") {
  const TrainingRecipe a = load_training_recipe_file("tests/data/accuracy/good/full_recipe.yaml");
  const TrainingRecipe b = load_training_recipe_file("tests/data/accuracy/good/full_recipe_reordered.yaml");
  CHECK(recipe_canonical_text(a) == recipe_canonical_text(b));
  CHECK(recipe_hash(a).size() == 16);
  CHECK(recipe_hash(a) == recipe_hash(b));
  // The YAML writer reads back to the same recipe.
  const YamlDocument written = parse_yaml_text(recipe_to_yaml(a), "written.yaml");
  CHECK(recipe_hash(parse_training_recipe(YamlMap(written.root, "", "written.yaml").map("recipe"))) == recipe_hash(a));
  TrainingRecipe changed = a;
  changed.seed = 8;
  CHECK(recipe_hash(changed) != recipe_hash(a));
  changed = a;
  changed.learning_rate = 0.0500001;
  CHECK(recipe_hash(changed) != recipe_hash(a));
  changed = a;
  changed.qat_learning_rate = 0.0003;
  CHECK(recipe_hash(changed) != recipe_hash(a));
  changed = a;
  changed.threads = 1;
  CHECK(recipe_hash(changed) != recipe_hash(a));
}

TEST_CASE("t_accuracy: the accuracy block reads both kinds", "[accuracy][recipe]") {
  const AccuracySpec train = accuracy_spec_text("accuracy:\n  recipe: {epochs: 1, subset: 1000}\n  timeout_seconds: 90\n");
  CHECK(train.kind == "train");
  CHECK(train.recipe.epochs == 1);
  CHECK(train.recipe.subset == 1000);
  CHECK(train.timeout_seconds == 90);
  const AccuracySpec command = accuracy_spec_text("accuracy:\n  kind: command\n  command: ./eval {network} --seed {seed}\n  seed: 4\n");
  CHECK(command.kind == "command");
  CHECK(command.command == "./eval {network} --seed {seed}");
  CHECK(command.recipe.seed == 4);
  CHECK(command.timeout_seconds == 600);
}

TEST_CASE("t_accuracy: bad recipes and accuracy blocks give located one-line errors", "[accuracy][recipe]") {
  const int cases = test::check_bad_input_goldens(
      "tests/data/accuracy/bad", {".yaml"}, [](const std::string& file) {
        return test::input_error_of([&] {
          if (file.find("/recipe_") != std::string::npos) load_training_recipe_file(file);
          else load_accuracy_spec_file(file);
        });
      });
  CHECK(cases == 20);
}
