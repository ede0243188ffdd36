// The supernet recipe: YAML reading with located errors, canonical text and hash.
#include "accuracy/supernet_recipe.h"

#include <sstream>

#include "accuracy/accuracy.h"
#include "accuracy/recipe_fields.h"
#include "core/sha256.h"
#include "models/network_space.h"

namespace tandem {

SupernetRecipe parse_supernet_recipe(const YamlMap& map) {
  map.require_only({"space", "epochs", "subset", "batch", "optimizer", "learning_rate", "weight_decay",
                    "random_subnets", "largest", "smallest", "distill", "calibration_images", "test_subset", "finetune_steps", "finetune_learning_rate",
                    "seed", "threads"});
  SupernetRecipe recipe;
  if (map.has("space")) {
    recipe.space = map.string("space");
    if (recipe.space != NetworkSpace::proxy().name()) {
      // The supernet is built for the Fashion-MNIST proxy space only (its data set).
      throw map.error("space", "no supernet for space '" + recipe.space + "'; valid: proxy");
    }
  }
  if (map.has("epochs")) recipe.epochs = read_count(map, "epochs", 1, 1000, "supernet training epochs");
  if (map.has("subset")) recipe.subset = read_count(map, "subset", 0, 60000, "training images (0: all)");
  if (map.has("batch")) recipe.batch = read_count(map, "batch", 1, 4096, "images per step");
  if (map.has("optimizer")) recipe.optimizer = read_optimizer(map, "optimizer");
  if (map.has("learning_rate")) recipe.learning_rate = read_real(map, "learning_rate", 0, 10, false);
  if (map.has("weight_decay")) recipe.weight_decay = read_real(map, "weight_decay", 0, 1, true);
  if (map.has("random_subnets")) {
    recipe.random_subnets = read_count(map, "random_subnets", 0, 64, "random subnets per step besides largest and smallest");
  }
  if (map.has("largest")) recipe.largest = map.boolean("largest");
  if (map.has("smallest")) recipe.smallest = map.boolean("smallest");
  if (!recipe.largest && !recipe.smallest && recipe.random_subnets == 0) {
    throw map.error(map.has("random_subnets") ? "random_subnets" : "smallest",
                    "no subnet to train; valid: largest: true, smallest: true or random_subnets >= 1");
  }
  if (map.has("distill")) recipe.distill = map.boolean("distill");
  if (recipe.distill && !recipe.largest) {
    throw map.error(map.has("distill") ? "distill" : "largest",
                    "distillation learns from the largest subnet; valid: distill: true with largest: true");
  }
  if (map.has("calibration_images")) {
    recipe.calibration_images =
        read_count(map, "calibration_images", 1, 60000, "training images per candidate for batch norm and observers");
  }
  if (map.has("test_subset")) {
    recipe.test_subset = read_count(map, "test_subset", 1, 10000, "test images per candidate");
  }
  if (map.has("finetune_steps")) {
    recipe.finetune_steps = read_count(map, "finetune_steps", 0, 100000, "training steps per candidate (0: none)");
  }
  if (map.has("finetune_learning_rate")) {
    recipe.finetune_learning_rate = read_real(map, "finetune_learning_rate", 0, 10, false);
  }
  if (map.has("seed")) recipe.seed = read_seed(map, "seed");
  if (map.has("threads")) recipe.threads = read_count(map, "threads", 1, 256, "training threads");
  return recipe;
}

SupernetRecipe load_supernet_recipe_file(const std::string& file) {
  return parse_supernet_recipe(load_recipe_map(file, "supernet"));
}

std::string supernet_training_canonical_text(const SupernetRecipe& r) {
  // threads is part of it, as in the training recipe: another thread count may round
  // differently, and a trained supernet must be reproducible from its key.
  const NetworkSpace* space = NetworkSpace::find(r.space);
  std::ostringstream text;
  text << "schema=tandem-supernet-recipe-2\nspace=" << r.space
       << "\nspace_version=" << (space ? space->skeleton().version : 0) << "\nepochs=" << r.epochs
       << "\nsubset=" << r.subset << "\nbatch=" << r.batch << "\noptimizer=" << r.optimizer
       << "\nlearning_rate=" << exact(r.learning_rate) << "\nweight_decay=" << exact(r.weight_decay)
       << "\nrandom_subnets=" << r.random_subnets << "\nlargest=" << (r.largest ? "true" : "false")
       << "\nsmallest=" << (r.smallest ? "true" : "false")
       << "\ndistill=" << (r.distill ? "true" : "false") << "\nseed=" << r.seed << "\nthreads=" << r.threads << "\n";
  return text.str();
}

std::string supernet_training_hash(const SupernetRecipe& recipe) {
  return sha256_hex(supernet_training_canonical_text(recipe)).substr(0, 16);
}

std::string supernet_recipe_canonical_text(const SupernetRecipe& r) {
  std::ostringstream text;
  text << supernet_training_canonical_text(r) << "calibration_images=" << r.calibration_images
       << "\ntest_subset=" << r.test_subset << "\nfinetune_steps=" << r.finetune_steps
       << "\nfinetune_learning_rate=" << exact(r.finetune_learning_rate) << "\n";
  return text.str();
}

nlohmann::ordered_json supernet_recipe_to_json(const SupernetRecipe& r) {
  return {{"space", r.space},
          {"epochs", r.epochs},
          {"subset", r.subset},
          {"batch", r.batch},
          {"optimizer", r.optimizer},
          {"learning_rate", r.learning_rate},
          {"weight_decay", r.weight_decay},
          {"random_subnets", r.random_subnets},
          {"largest", r.largest},
          {"smallest", r.smallest},
          {"distill", r.distill},
          {"calibration_images", r.calibration_images},
          {"test_subset", r.test_subset},
          {"finetune_steps", r.finetune_steps},
          {"finetune_learning_rate", r.finetune_learning_rate},
          {"seed", r.seed},
          {"threads", r.threads}};
}

std::string supernet_recipe_to_yaml(const SupernetRecipe& r) {
  std::ostringstream text;
  text << "supernet:\n";
  const nlohmann::ordered_json fields = supernet_recipe_to_json(r);  // a temporary would dangle in the loop
  for (const auto& [key, value] : fields.items()) {
    text << "  " << key << ": "
         << (value.is_number_float() ? exact(value.get<double>()) : value.is_string() ? value.get<std::string>() : value.dump())
         << "\n";
  }
  return text.str();
}

}  // namespace tandem
