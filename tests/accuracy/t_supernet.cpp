// The weight-sharing supernet (libtorch): every sampled genotype is a subnet, an extracted
// subnet computes what the supernet computes for it, a tiny supernet trains above chance, a
// stopped training resumes to the same parameters, and the tandem-supernet command line.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "accuracy/training/supernet.h"
#include "accuracy/training/supernet_evaluation.h"
#include "accuracy/training/supernet_training.h"
#include "core/process.h"
#include "fashion_mnist_sets.h"

using namespace tandem;

namespace {

using test::test_set;
using test::train_set;

std::string output_dir(const std::string& name) {
  const std::string dir = std::string(TANDEM_TEST_OUTPUT_DIR) + "/" + name;
  std::filesystem::remove_all(dir);
  return dir;
}

// A few hundred images, one epoch: seconds, not minutes. Adam: a few steps move it further than
// the default's SGD.
SupernetRecipe tiny_recipe() {
  SupernetRecipe recipe;
  recipe.optimizer = "adam";
  recipe.learning_rate = 0.005;
  recipe.epochs = 1;
  recipe.subset = 320;
  recipe.batch = 32;
  recipe.random_subnets = 1;
  recipe.calibration_images = 128;
  recipe.test_subset = 300;
  return recipe;
}

torch::Tensor input_for(const NetworkSpace& space, const Genotype& genotype, int images) {
  const int resolution = space.spec(genotype).input.height;
  return torch::rand({images, 1, resolution, resolution});
}

}  // namespace

TEST_CASE("t_supernet: an extracted subnet computes what the supernet computes for its genotype", "[supernet][fast]") {
  torch::manual_seed(3);
  const NetworkSpace& space = NetworkSpace::proxy();
  Supernet supernet(space);
  {
    // Batch norm statistics other than the identity, so that slicing them is checked too.
    torch::NoGradGuard no_grad;
    for (auto& buffer : supernet.buffers()) buffer.uniform_(0.5, 1.5);
    for (auto& parameter : supernet.parameters()) parameter.add_(torch::randn_like(parameter) * 0.1);
  }
  std::mt19937_64 rng(5);
  std::vector<Genotype> genotypes = {supernet.largest(rng), supernet.smallest(rng)};
  for (std::uint64_t seed = 0; seed < 6; ++seed) genotypes.push_back(space.sample(seed));
  for (const Genotype& genotype : genotypes) {
    INFO(format_genotype(genotype) << ": " << space.describe(genotype));
    const torch::Tensor x = input_for(space, genotype, 4);
    const auto shared = supernet.subnet(genotype);
    const auto extracted = supernet.extract(genotype);
    shared->eval();
    extracted->eval();
    torch::NoGradGuard no_grad;
    const torch::Tensor a = shared->forward(x), b = extracted->forward(x);
    CHECK(a.sizes() == b.sizes());
    CHECK(torch::allclose(a, b, 1e-5, 1e-5));
  }
}

TEST_CASE("t_supernet: 200 sampled genotypes map to subnets that run", "[supernet][fast]") {
  torch::manual_seed(1);
  const NetworkSpace& space = NetworkSpace::proxy();
  const Supernet supernet(space);
  std::mt19937_64 rng(11);
  torch::NoGradGuard no_grad;
  for (int n = 0; n < 200; ++n) {
    const Genotype genotype = space.sample(rng);
    INFO(format_genotype(genotype));
    const auto net = supernet.subnet(genotype);
    net->eval();
    const torch::Tensor y = net->forward(input_for(space, genotype, 1));
    CHECK(y.size(0) == 1);
    CHECK(y.size(1) == 10);
  }
  // A genotype outside the space is refused with NetworkSpace::check's reason.
  Genotype bad = space.sample(std::uint64_t{1});
  bad[0] = 7;
  CHECK_THROWS_WITH(supernet.extract(bad), Catch::Contains("resolution"));
}

TEST_CASE("t_supernet: fine-tuning a candidate changes its weights, deterministically, and not the supernet's",
          "[supernet][fast]") {
  torch::manual_seed(4);
  const NetworkSpace& space = NetworkSpace::proxy();
  const Supernet supernet(space);
  SupernetRecipe recipe = tiny_recipe();
  recipe.calibration_images = 32;
  recipe.test_subset = 20;
  recipe.batch = 8;
  const Genotype genotype = space.sample(std::uint64_t{3000});
  auto quantized_weights = [&](int finetune_steps) {
    recipe.finetune_steps = finetune_steps;
    SupernetEvaluator evaluator(supernet, recipe, train_set(), test_set());
    const CandidateAccuracy result = evaluator.evaluate(genotype, true);
    REQUIRE(result.quantized);
    std::vector<std::int8_t> weights;
    for (const Layer& layer : result.quantized->layers) {
      if (layer.quant) weights.insert(weights.end(), layer.quant->weights.begin(), layer.quant->weights.end());
    }
    return weights;
  };
  const std::vector<std::int8_t> inherited = quantized_weights(0);
  const std::vector<std::int8_t> tuned = quantized_weights(4);
  CHECK(tuned != inherited);
  CHECK(quantized_weights(4) == tuned);
  CHECK(quantized_weights(0) == inherited);  // the supernet itself is untouched
}

TEST_CASE("t_supernet: a tiny supernet trains and its extracted subnets beat chance in int8", "[supernet][slow]") {
  // Only the smallest subnets (random block kinds) train, so that it takes seconds.
  SupernetRecipe recipe = tiny_recipe();
  recipe.subset = 1280;
  recipe.epochs = 3;
  recipe.random_subnets = 0;
  recipe.learning_rate = 0.01;
  const std::string dir = output_dir("t_supernet_tiny");
  SupernetTrainingOptions options;
  options.progress = [](const std::string& line) { WARN(line); };
  REQUIRE(train_supernet(recipe, dir, train_set(), options));
  const TrainedSupernet trained = load_trained_supernet(dir);
  SupernetEvaluator evaluator(*trained.supernet, trained.recipe, train_set(), test_set());
  std::mt19937_64 rng(2);
  for (int n = 0; n < 2; ++n) {
    const Genotype genotype = trained.supernet->smallest(rng);
    const CandidateAccuracy result = evaluator.evaluate(genotype, true);
    WARN(format_genotype(genotype) << ": int8 " << result.int8_accuracy << ", float " << result.float_accuracy);
    CHECK(result.test_images == 300);
    CHECK(result.calibration_images == 128);
    CHECK(result.int8_accuracy > 0.2);
    REQUIRE(result.quantized);
    CHECK_FALSE(result.quantized->validate());
  }
}

TEST_CASE("t_supernet: a stopped training resumes to the same parameters as an uninterrupted one", "[supernet][slow]") {
  SupernetRecipe recipe = tiny_recipe();
  recipe.epochs = 2;
  recipe.subset = 96;  // 3 steps per epoch
  const std::string whole = output_dir("t_supernet_whole"), pieces = output_dir("t_supernet_pieces");
  REQUIRE(train_supernet(recipe, whole, train_set()));
  // Stopped at the end of epoch 1, then in the middle of epoch 2, then to the end.
  SupernetTrainingOptions stop;
  stop.stop_after_steps = 3;
  CHECK_FALSE(train_supernet(recipe, pieces, train_set(), stop));
  stop.stop_after_steps = 1;
  CHECK_FALSE(train_supernet(recipe, pieces, train_set(), stop));
  CHECK(train_supernet(recipe, pieces, train_set()));
  const auto summary = [](const std::string& dir) {
    return nlohmann::json::parse(std::ifstream(dir + "/supernet.json"));
  };
  CHECK(summary(whole)["final_losses"] == summary(pieces)["final_losses"]);
  const TrainedSupernet a = load_trained_supernet(whole), b = load_trained_supernet(pieces);
  const auto pa = a.supernet->named_parameters(), pb = b.supernet->named_parameters();
  REQUIRE(pa.size() == pb.size());
  for (const auto& item : pa) {
    INFO(item.key());
    CHECK(torch::equal(item.value(), pb[item.key()]));
  }
  // Another recipe's directory is refused.
  SupernetRecipe other = recipe;
  other.seed = 2;
  CHECK_THROWS_WITH(train_supernet(other, whole, train_set()), Catch::Contains("another recipe"));
}

TEST_CASE("t_supernet: tandem-supernet eval prints one JSON line per genotype, bad input exits 1", "[supernet][slow]") {
  const std::string dir = output_dir("t_supernet_cli");
  const std::string recipe_file = dir + "-recipe.yaml";
  SupernetRecipe recipe = tiny_recipe();
  recipe.subset = 64;
  recipe.test_subset = 100;
  { std::ofstream(recipe_file) << supernet_recipe_to_yaml(recipe); }
  const std::string binary = TANDEM_SUPERNET_BINARY;
  const ProcessResult missing = run_process({binary, "eval", "--supernet", dir, "--genotype", "0"});
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.err, Catch::Contains(dir));
  const ProcessResult trained = run_process({binary, "train", "--recipe", recipe_file, "-o", dir});
  REQUIRE(trained.ok());
  CHECK(nlohmann::json::parse(trained.out)["recipe_hash"] == supernet_training_hash(recipe));

  const NetworkSpace& space = NetworkSpace::proxy();
  const Genotype genotype = space.sample(std::uint64_t{1008});
  const std::string out = dir + "/subnet";
  const ProcessResult eval = run_process({binary, "eval", "--supernet", dir, "--genotype", format_genotype(genotype), "-o", out});
  REQUIRE(eval.ok());
  const nlohmann::json line = nlohmann::json::parse(eval.out);
  CHECK(line["genotype"] == format_genotype(genotype));
  CHECK(line["network_hash"] == space.hash(genotype));
  CHECK(line["accuracy"].get<double>() >= 0.0);
  CHECK(line["float_accuracy"].get<double>() >= 0.0);
  CHECK(line["test_images"] == 100);
  CHECK(line["calibration_images"] == 128);
  CHECK(line["seconds"].get<double>() > 0.0);
  CHECK(std::filesystem::exists(out + "/network.yaml"));

  // Evaluation fields from another recipe of the same training: the candidate fine-tunes
  // (deterministically) and is tested on fewer images, without retraining the supernet.
  SupernetRecipe evaluation = recipe;
  evaluation.test_subset = 50;
  evaluation.finetune_steps = 3;
  const std::string evaluation_file = dir + "-evaluation.yaml";
  { std::ofstream(evaluation_file) << supernet_recipe_to_yaml(evaluation); }
  const std::vector<std::string> tuned_eval = {binary, "eval", "--supernet", dir, "--recipe", evaluation_file,
                                               "--genotype", format_genotype(genotype)};
  const ProcessResult tuned = run_process(tuned_eval);
  REQUIRE(tuned.ok());
  CHECK(nlohmann::json::parse(tuned.out)["test_images"] == 50);
  const ProcessResult again = run_process(tuned_eval);
  REQUIRE(again.ok());
  CHECK(nlohmann::json::parse(again.out)["float_accuracy"] == nlohmann::json::parse(tuned.out)["float_accuracy"]);
  SupernetRecipe other_training = recipe;
  other_training.seed = 2;
  { std::ofstream(evaluation_file) << supernet_recipe_to_yaml(other_training); }
  const ProcessResult mismatch = run_process(tuned_eval);
  CHECK(mismatch.exit_code == 1);
  CHECK_THAT(mismatch.err, Catch::Contains("trains another supernet"));

  Genotype bad = genotype;
  bad[2] = 9;  // s1.block
  const ProcessResult refused = run_process({binary, "eval", "--supernet", dir, "--genotype", format_genotype(bad)});
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Catch::Contains("s1.block") && Catch::Contains("outside 0..2"));
}
