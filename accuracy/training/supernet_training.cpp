// The supernet's training loop: per step the largest (recipe.largest), the smallest (recipe.smallest) and
// `random_subnets` uniformly sampled subnets on the same batch, gradients accumulated in the
// shared tensors, one optimizer step; cosine learning rate. Checkpoints hold everything the loop depends on
// (tensors, optimizer state, the generator, the epoch's order, the position), so a resumed run
// computes exactly what an uninterrupted one does.
#include "accuracy/training/supernet_training.h"

#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <numeric>
#include <sstream>

#include "accuracy/training/supernet.h"
#include "accuracy/training/training_steps.h"
#include "core/files.h"

namespace tandem {

namespace {

namespace fs = std::filesystem;

// Where the loop stands; saved with every checkpoint.
struct Position {
  int epoch = 0;
  std::int64_t step = 0;  // next step within the epoch
  std::vector<std::int64_t> order;
  std::vector<double> epoch_seconds;
  double seconds = 0;  // training time so far, over all runs
  // The current epoch's loss sums: largest, smallest, random (each over its subnets).
  double loss_largest = 0, loss_smallest = 0, loss_random = 0;
  std::int64_t loss_steps = 0;
};

torch::Tensor doubles(const std::vector<double>& values) {
  return torch::tensor(values, torch::kFloat64);
}

std::vector<double> to_doubles(const torch::Tensor& t) {
  const torch::Tensor c = t.to(torch::kFloat64).contiguous();  // an empty list is stored as int64
  return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}

void save_archive(torch::serialize::OutputArchive& archive, const fs::path& path) {
  const fs::path temporary = path.string() + ".tmp";
  archive.save_to(temporary.string());
  fs::rename(temporary, path);  // a reader sees the old file or the whole new one
}

void save_checkpoint(const fs::path& dir, const std::string& hash, Supernet& supernet,
                     torch::optim::Optimizer& optimizer, const std::mt19937_64& rng, const Position& at) {
  torch::serialize::OutputArchive archive, model, optimizer_state;
  supernet.save(model);
  optimizer.save(optimizer_state);
  archive.write("model", model);
  archive.write("optimizer", optimizer_state);
  std::ostringstream generator;
  generator << rng;
  archive.write("rng", c10::IValue(generator.str()));
  archive.write("recipe_hash", c10::IValue(hash));
  archive.write("position", torch::tensor({static_cast<std::int64_t>(at.epoch), at.step, at.loss_steps}));
  archive.write("order", torch::tensor(at.order, torch::kInt64));
  archive.write("epoch_seconds", doubles(at.epoch_seconds));
  archive.write("sums", doubles({at.seconds, at.loss_largest, at.loss_smallest, at.loss_random}));
  save_archive(archive, dir / "checkpoint.pt");
}

void load_checkpoint(const fs::path& dir, const std::string& hash, Supernet& supernet,
                     torch::optim::Optimizer& optimizer, std::mt19937_64& rng, Position& at) {
  torch::serialize::InputArchive archive, model, optimizer_state;
  archive.load_from((dir / "checkpoint.pt").string());
  c10::IValue value;
  archive.read("recipe_hash", value);
  if (value.toStringRef() != hash) {
    throw std::runtime_error(dir.string() + " holds the checkpoint of another supernet recipe (" +
                             value.toStringRef() + ", this one is " + hash + "); use another directory");
  }
  archive.read("model", model);
  supernet.load(model);
  archive.read("optimizer", optimizer_state);
  optimizer.load(optimizer_state);
  archive.read("rng", value);
  std::istringstream generator(value.toStringRef());
  generator >> rng;
  // A fresh tensor per read: read() into a defined tensor keeps that tensor's type.
  auto read_tensor = [&](const char* key) {
    torch::Tensor t;
    archive.read(key, t);
    return t;
  };
  const torch::Tensor position = read_tensor("position");
  at.epoch = static_cast<int>(position[0].item<std::int64_t>());
  at.step = position[1].item<std::int64_t>();
  at.loss_steps = position[2].item<std::int64_t>();
  const torch::Tensor order = read_tensor("order").contiguous();
  at.order.assign(order.data_ptr<std::int64_t>(), order.data_ptr<std::int64_t>() + order.numel());
  at.epoch_seconds = to_doubles(read_tensor("epoch_seconds"));
  const std::vector<double> sums = to_doubles(read_tensor("sums"));
  at.seconds = sums[0];
  at.loss_largest = sums[1];
  at.loss_smallest = sums[2];
  at.loss_random = sums[3];
}

int resolution_of(const NetworkSpace& space, const Genotype& genotype) {
  return space.spec(genotype).input.height;
}

// The training subset prepared at every resolution of the space.
std::map<int, torch::Tensor> prepare_resolutions(const Supernet& supernet, const ImageDataset& train,
                                                 const std::vector<std::size_t>& images, torch::Tensor* labels) {
  std::map<int, torch::Tensor> inputs;
  std::mt19937_64 rng(0);  // any genotype will do: only its input shape matters
  Genotype genotype = supernet.smallest(rng);
  for (std::size_t r = 0; r < supernet.space().skeleton().resolutions.size(); ++r) {
    genotype[0] = static_cast<int>(r);  // gene 0 is the resolution; nothing depends on it
    auto [x, y] = prepare_batch_source(supernet.space().decode(genotype), train, images);
    inputs[resolution_of(supernet.space(), genotype)] = x;
    *labels = y;
  }
  return inputs;
}

// Cross entropy against the teacher's probabilities.
torch::Tensor distillation_loss(const torch::Tensor& logits, const torch::Tensor& teacher) {
  return -(teacher * torch::log_softmax(logits, 1)).sum(1).mean();
}

// One step of the sandwich rule: the largest subnet (when the recipe has it) learns the labels,
// the smallest and the random ones the largest's output (or the labels, without distillation);
// one update.
void train_step(const Supernet& supernet, const SupernetRecipe& recipe, const std::map<int, torch::Tensor>& inputs,
                const torch::Tensor& y, const torch::Tensor& index, torch::optim::Optimizer& optimizer,
                std::mt19937_64& rng, Position& at) {
  // No gradient rather than a zero one: Adam then leaves the branches this step did not use
  // alone, instead of moving them on their old momentum.
  for (auto& group : optimizer.param_groups()) {
    for (auto& parameter : group.params()) parameter.mutable_grad() = torch::Tensor();
  }
  enum Role { largest_subnet, smallest_subnet, random_subnet };
  std::vector<std::pair<Role, Genotype>> subnets;
  if (recipe.largest) subnets.emplace_back(largest_subnet, supernet.largest(rng));
  if (recipe.smallest) subnets.emplace_back(smallest_subnet, supernet.smallest(rng));
  for (int r = 0; r < recipe.random_subnets; ++r) subnets.emplace_back(random_subnet, supernet.space().sample(rng));
  torch::Tensor teacher;
  for (const auto& [role, genotype] : subnets) {
    const auto net = supernet.subnet(genotype);
    net->train();
    const torch::Tensor logits = net->forward(inputs.at(resolution_of(supernet.space(), genotype)).index_select(0, index));
    const torch::Tensor loss = role != largest_subnet && recipe.distill ? distillation_loss(logits, teacher)
                                                                 : torch::nn::functional::cross_entropy(logits, y);
    if (role == largest_subnet) teacher = torch::softmax(logits.detach(), 1);
    loss.backward();
    const double value = loss.item<double>();
    if (role == largest_subnet) at.loss_largest += value;
    else if (role == smallest_subnet) at.loss_smallest += value;
    else at.loss_random += value / recipe.random_subnets;
  }
  optimizer.step();
  ++at.loss_steps;
}

std::string eta_text(double seconds) {
  std::ostringstream text;
  text << static_cast<long>(seconds / 60) << " min " << static_cast<long>(std::fmod(seconds, 60)) << " s";
  return text.str();
}

}  // namespace

std::string finished_supernet_hash(const std::string& dir) {
  const fs::path summary = fs::path(dir) / "supernet.json";
  if (!fs::exists(summary)) return "";
  return nlohmann::json::parse(read_file(summary)).value("recipe_hash", "");
}

bool train_supernet(const SupernetRecipe& recipe, const std::string& dir_text, const ImageDataset& train,
                    const SupernetTrainingOptions& options) {
  const fs::path dir(dir_text);
  const std::string hash = supernet_training_hash(recipe);
  const std::string finished = finished_supernet_hash(dir_text);
  if (!finished.empty()) {
    if (finished != hash) {
      throw std::runtime_error(dir_text + " holds a supernet of another recipe (" + finished + ", this one is " +
                               hash + "); use another directory");
    }
    options.progress("supernet " + hash + " already trained in " + dir_text);
    return true;
  }
  const NetworkSpace* space = NetworkSpace::find(recipe.space);
  if (!space) throw std::runtime_error("unknown network space '" + recipe.space + "'");
  fs::create_directories(dir);
  write_file_atomically(dir / "recipe.yaml", supernet_recipe_to_yaml(recipe));

  torch::set_num_threads(recipe.threads);
  torch::manual_seed(recipe.seed);
  std::mt19937_64 rng(recipe.seed);
  Supernet supernet(*space);

  // The training subset: the first N of a seeded permutation, as the stand-alone trainer takes it.
  std::vector<std::int64_t> permutation(train.size());
  std::iota(permutation.begin(), permutation.end(), 0);
  shuffle(permutation, rng);
  const std::size_t count = recipe.subset > 0 ? std::min<std::size_t>(recipe.subset, train.size()) : train.size();
  const std::vector<std::size_t> images(permutation.begin(), permutation.begin() + static_cast<std::ptrdiff_t>(count));
  torch::Tensor labels;
  const std::map<int, torch::Tensor> inputs = prepare_resolutions(supernet, train, images, &labels);

  auto optimizer = make_optimizer(recipe.optimizer, supernet.parameters(), recipe.learning_rate, recipe.weight_decay);
  const std::int64_t steps_per_epoch = (static_cast<std::int64_t>(count) + recipe.batch - 1) / recipe.batch;
  const double total_steps = static_cast<double>(steps_per_epoch) * recipe.epochs;
  Position at;
  if (fs::exists(dir / "checkpoint.pt")) {
    load_checkpoint(dir, hash, supernet, *optimizer, rng, at);
    options.progress("resuming supernet " + hash + " at epoch " + std::to_string(at.epoch + 1) + ", step " +
                     std::to_string(at.step + 1) + "/" + std::to_string(steps_per_epoch));
  }

  auto last_checkpoint = std::chrono::steady_clock::now();
  const double seconds_before = at.seconds;
  const auto run_start = std::chrono::steady_clock::now();
  long steps_this_run = 0;
  while (at.epoch < recipe.epochs) {
    if (at.step == 0) {  // a new epoch: a fresh order from the generator
      at.order.resize(count);
      std::iota(at.order.begin(), at.order.end(), 0);
      shuffle(at.order, rng);
      at.loss_largest = at.loss_smallest = at.loss_random = 0;
      at.loss_steps = 0;
    }
    const std::int64_t begin = at.step * recipe.batch;
    const torch::Tensor index =
        torch::tensor(std::vector<std::int64_t>(at.order.begin() + begin,
                                                at.order.begin() + std::min<std::int64_t>(begin + recipe.batch, static_cast<std::int64_t>(count))),
                      torch::kInt64);
    const double progress = (static_cast<double>(at.epoch) * static_cast<double>(steps_per_epoch) + static_cast<double>(at.step)) / total_steps;
    set_learning_rate(*optimizer, cosine_learning_rate(recipe.learning_rate, progress));
    train_step(supernet, recipe, inputs, labels.index_select(0, index), index, *optimizer, rng, at);
    ++at.step;
    ++steps_this_run;
    at.seconds = seconds_before + seconds_since(run_start);
    const bool epoch_end = at.step == steps_per_epoch;
    if ((at.step % 20) == 0 || epoch_end) {
      const double done = (static_cast<double>(at.epoch) * static_cast<double>(steps_per_epoch) + static_cast<double>(at.step)) / total_steps;
      const double per_step = seconds_since(run_start) / static_cast<double>(steps_this_run);
      const double steps = static_cast<double>(at.loss_steps);
      std::ostringstream line;
      line << "epoch " << at.epoch + 1 << "/" << recipe.epochs << " step " << at.step << "/" << steps_per_epoch
           << ": loss largest " << at.loss_largest / steps << ", smallest " << at.loss_smallest / steps << ", random "
           << at.loss_random / steps << "; " << static_cast<long>(at.seconds) << " s, ETA "
           << eta_text(per_step * (1.0 - done) * total_steps);
      options.progress(line.str());
    }
    if (epoch_end) {
      at.epoch_seconds.push_back(at.seconds - std::accumulate(at.epoch_seconds.begin(), at.epoch_seconds.end(), 0.0));
      ++at.epoch;
      at.step = 0;
    }
    const bool stop = options.stop_after_steps > 0 && steps_this_run >= options.stop_after_steps;
    if (at.epoch < recipe.epochs &&
        (stop || epoch_end || seconds_since(last_checkpoint) >= options.checkpoint_seconds)) {
      save_checkpoint(dir, hash, supernet, *optimizer, rng, at);
      last_checkpoint = std::chrono::steady_clock::now();
      if (stop) return false;
    }
  }

  torch::serialize::OutputArchive archive;
  supernet.save(archive);
  save_archive(archive, dir / "supernet.pt");
  nlohmann::ordered_json summary;
  summary["space"] = recipe.space;
  summary["space_version"] = space->skeleton().version;
  summary["recipe"] = supernet_recipe_to_json(recipe);
  summary["recipe_hash"] = hash;
  summary["epochs"] = recipe.epochs;
  summary["train_images"] = count;
  summary["steps"] = steps_per_epoch * recipe.epochs;
  summary["seconds"] = at.seconds;
  summary["epoch_seconds"] = at.epoch_seconds;
  const double steps = static_cast<double>(std::max<std::int64_t>(at.loss_steps, 1));
  summary["final_losses"] = {{"largest", at.loss_largest / steps},
                             {"smallest", at.loss_smallest / steps},
                             {"random", at.loss_random / steps}};
  summary["parameters"] = "supernet.pt";
  write_file_atomically(dir / "supernet.json", summary.dump(2) + "\n");
  fs::remove(dir / "checkpoint.pt");
  return true;
}

}  // namespace tandem
