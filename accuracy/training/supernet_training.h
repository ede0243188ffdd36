// Training the supernet (docs/accuracy.md, "Supernet"): the sandwich rule (its largest
// subnet and distillation optional), resumable from checkpoints in its directory.
#pragma once

#include <functional>
#include <string>

#include "accuracy/accuracy.h"
#include "accuracy/supernet_recipe.h"

namespace tandem {

struct SupernetTrainingOptions {
  std::function<void(const std::string&)> progress = [](const std::string&) {};
  double checkpoint_seconds = 120;  // besides the end of every epoch
  long stop_after_steps = -1;       // > 0: checkpoint and stop after this many steps of this call (tests)
};

// Trains the supernet of `recipe` into `dir`, continuing from dir/checkpoint.pt when it holds
// one of the same recipe. Writes dir/recipe.yaml, then dir/supernet.pt and, last,
// dir/supernet.json. Returns false when stopped by stop_after_steps (a checkpoint is there),
// true when finished (or already finished before). Throws std::runtime_error when dir holds
// another recipe's supernet or checkpoint.
bool train_supernet(const SupernetRecipe& recipe, const std::string& dir, const ImageDataset& train,
                    const SupernetTrainingOptions& options = {});

// The recipe hash of dir/supernet.json, "" when there is none (unfinished or never trained).
std::string finished_supernet_hash(const std::string& dir);

}  // namespace tandem
