// The supernet recipe (torch-free): parsing, located errors with the valid range, hashing.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <vector>

#include "accuracy/supernet_recipe.h"
#include "core/input_error.h"

using namespace tandem;

namespace {

SupernetRecipe recipe_text(const std::string& text) {
  const YamlDocument document = parse_yaml_text(text, "r.yaml");
  return parse_supernet_recipe(YamlMap(document.root, "", "r.yaml").map("supernet"));
}

std::string error_of(const std::string& text) {
  try {
    recipe_text(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("t_supernet_recipe: fields parse, defaults fill the rest, YAML round-trips", "[supernet][recipe]") {
  const SupernetRecipe r = recipe_text(
      "supernet:\n  epochs: 2\n  subset: 500\n  batch: 32\n  optimizer: sgd\n  learning_rate: 0.05\n"
      "  random_subnets: 1\n  largest: true\n  smallest: false\n  distill: false\n  calibration_images: 64\n  test_subset: 200\n  seed: 9\n  threads: 2\n"
      "  finetune_steps: 30\n  finetune_learning_rate: 0.001\n");
  CHECK(r.epochs == 2);
  CHECK(r.subset == 500);
  CHECK(r.batch == 32);
  CHECK(r.optimizer == "sgd");
  CHECK(r.learning_rate == 0.05);
  CHECK(r.random_subnets == 1);
  CHECK(r.largest);
  CHECK_FALSE(r.smallest);
  CHECK_FALSE(r.distill);
  CHECK(r.calibration_images == 64);
  CHECK(r.test_subset == 200);
  CHECK(r.seed == 9);
  CHECK(r.threads == 2);
  CHECK(r.finetune_steps == 30);
  CHECK(r.finetune_learning_rate == 0.001);
  CHECK(supernet_recipe_canonical_text(recipe_text("supernet: {}\n")) == supernet_recipe_canonical_text(SupernetRecipe{}));
  CHECK(supernet_recipe_canonical_text(recipe_text(supernet_recipe_to_yaml(r))) == supernet_recipe_canonical_text(r));
  CHECK(supernet_recipe_to_json(r)["random_subnets"] == 1);
}

TEST_CASE("t_supernet_recipe: the training hash covers the training fields, the canonical text every field",
          "[supernet][recipe]") {
  const std::string base = supernet_training_hash(SupernetRecipe{});
  CHECK(base.size() == 16);
  SupernetRecipe r;
  r.largest = true;
  CHECK(supernet_training_hash(r) != base);
  r = {};
  r.smallest = false;
  CHECK(supernet_training_hash(r) != base);
  r = {};
  r.threads = 3;
  CHECK(supernet_training_hash(r) != base);
  // Evaluation fields: another candidate accuracy, the same trained supernet.
  for (auto change : std::vector<void (*)(SupernetRecipe&)>{[](SupernetRecipe& x) { x.calibration_images = 512; },
                                                            [](SupernetRecipe& x) { x.test_subset = 2000; },
                                                            [](SupernetRecipe& x) { x.finetune_steps = 10; },
                                                            [](SupernetRecipe& x) { x.finetune_learning_rate = 0.01; }}) {
    r = {};
    change(r);
    CHECK(supernet_training_hash(r) == base);
    CHECK(supernet_recipe_canonical_text(r) != supernet_recipe_canonical_text(SupernetRecipe{}));
  }
  CHECK(supernet_recipe_canonical_text(SupernetRecipe{}).find("space=proxy\nspace_version=1\n") != std::string::npos);
  CHECK(supernet_recipe_canonical_text(SupernetRecipe{}).rfind(supernet_training_canonical_text(SupernetRecipe{}), 0) == 0);
}

TEST_CASE("t_supernet_recipe: bad fields are located, with the valid range", "[supernet][recipe]") {
  CHECK_THAT(error_of("supernet:\n  epochs: 0\n"),
             Catch::Contains("r.yaml:2:11") && Catch::Contains("epochs") && Catch::Contains("1..1000"));
  CHECK_THAT(error_of("supernet:\n  random_subnets: -1\n"),
             Catch::Contains("r.yaml:2") && Catch::Contains("random_subnets") && Catch::Contains("0..64"));
  CHECK_THAT(error_of("supernet:\n  optimizer: adma\n"), Catch::Contains("did you mean 'adam'"));
  CHECK_THAT(error_of("supernet:\n  space: imagenet\n"), Catch::Contains("space") && Catch::Contains("valid: proxy"));
  CHECK_THAT(error_of("supernet:\n  learning_rate: 0\n"), Catch::Contains("learning_rate") && Catch::Contains("above 0"));
  CHECK_THAT(error_of("supernet:\n  epoch: 3\n"), Catch::Contains("epoch"));
  CHECK_THAT(error_of("supernet:\n  calibration_images: 0\n"), Catch::Contains("1..60000"));
  CHECK_THAT(error_of("supernet:\n  smallest: false\n  random_subnets: 0\n"),
             Catch::Contains("r.yaml:3") && Catch::Contains("no subnet to train"));
  CHECK_THAT(error_of("supernet:\n  finetune_steps: -1\n"), Catch::Contains("finetune_steps") && Catch::Contains("0..100000"));
  CHECK_THAT(error_of("supernet:\n  finetune_learning_rate: 0\n"), Catch::Contains("finetune_learning_rate"));
  CHECK_THAT(error_of("supernet:\n  distill: true\n"), Catch::Contains("distill") && Catch::Contains("largest: true"));
}

TEST_CASE("t_supernet_recipe: a file needs the supernet key", "[supernet][recipe]") {
  const std::string file = std::string(TANDEM_TEST_OUTPUT_DIR) + "/t_supernet_recipe_missing.yaml";
  std::filesystem::create_directories(TANDEM_TEST_OUTPUT_DIR);
  { std::ofstream(file) << "other: 1\n"; }
  CHECK_THROWS_AS(load_supernet_recipe_file(file), InputError);
  { std::ofstream(file) << "epochs: 1\n"; }
  CHECK_THROWS_WITH(load_supernet_recipe_file(file), Catch::Contains("supernet"));
}

TEST_CASE("t_supernet_recipe: the built-in defaults are flows/supernet-proxy.yaml", "[supernet][recipe]") {
  // A flow with `kind: supernet` and no `supernet:` mapping gets the project's default supernet,
  // the one docs/accuracy.md measures: one recipe, one cache entry.
  const SupernetRecipe file = load_supernet_recipe_file(std::string(TANDEM_SOURCE_DIR) + "/flows/supernet-proxy.yaml");
  CHECK(supernet_recipe_canonical_text(file) == supernet_recipe_canonical_text(SupernetRecipe{}));
}
