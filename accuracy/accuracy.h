// The accuracy stage (docs/accuracy.md): the Fashion-MNIST proxy data set, the one image
// preparation shared by training and hardware evaluation, accuracy measured on the simulated
// accelerator, the training recipe, and the accuracy meter the search calls. Nothing here
// links libtorch: training itself runs in the separate `tandem-train` executable
// (accuracy/training/), which the meter starts as a subprocess.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "accuracy/supernet_recipe.h"
#include "core/yaml_input.h"
#include "models/network.h"
#include "golden/golden.h"
#include "sim/network_simulation.h"

namespace tandem {

// ---- Data set ------------------------------------------------------------------------------

// Where Debian's dataset-fashion-mnist installs the IDX files.
inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

// Images (uint8, row-major, rows x cols each) and their labels (0..9).
struct ImageDataset {
  int rows = 0, cols = 0;
  std::vector<std::uint8_t> pixels;  // count * rows * cols
  std::vector<std::uint8_t> labels;  // count
  std::size_t size() const { return labels.size(); }
  const std::uint8_t* image(std::size_t index) const {
    return pixels.data() + index * static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
  }
};

enum class DatasetSplit { train, test };

// Reads <dir>/{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz] (gzip or plain IDX). dir ""
// means $TANDEM_FASHION_MNIST_DIR, else kFashionMnistDir. Throws std::runtime_error naming the
// file for a missing, truncated or malformed file.
ImageDataset load_fashion_mnist(DatasetSplit split, const std::string& dir = "");

// ---- Image preparation (the one definition, used by the trainer and by `simulate --images`) --

// The network input's quantization, fixed for every trained network: a pixel p in [0, 255]
// is the real value p / 255, stored as the int8 p - 128.
inline constexpr float kInputScale = 1.0f / 255.0f;
inline constexpr std::int32_t kInputZeroPoint = -128;

// Resizes a rows x cols uint8 image to height x width by exact area averaging in integers
// (each output pixel the overlap-weighted mean of the input pixels it covers, rounded half up).
// The identity when the sizes are equal.
std::vector<std::uint8_t> resize_image(const std::uint8_t* pixels, int rows, int cols, int height,
                                       int width);

// A raw image as the network's int8 input: resized to the network's input height x width
// (single channel; a network with C channels gets the image replicated), then quantized with
// the input quantization of the layers reading the network input (kInputScale/kInputZeroPoint
// for trained networks). Throws std::invalid_argument when the network input is unquantized or
// its readers disagree.
Tensor8 prepare_image(const Network& network, const std::uint8_t* pixels, int rows, int cols);

// The resized image's real values (pixel / 255), HWC, what the trainer feeds its float model.
std::vector<float> prepare_image_real(const Network& network, const std::uint8_t* pixels, int rows,
                                      int cols);

// Index of the largest logit; ties go to the lowest index.
int argmax(const Tensor8& logits);

// ---- Accuracy on the simulated accelerator (`tandem simulate --images`) ---------------------

// What the first N images of a data set give on the accelerator: each image's prediction from
// the logits the evaluator computed (RTL; the analytic model computes no values, so the golden
// reference's stand in), and whether its logits equal the golden reference's bit for bit.
struct HardwareAccuracy {
  std::string evaluator;  // SimulationOptions::evaluator
  int images = 0, hardware_correct = 0, golden_correct = 0, bit_exact_images = 0;
  std::vector<int> labels, hardware_predictions, golden_predictions;  // -1: the RTL gave no logits
  // Every layer of every image evaluated (and checked); on the RTL, every image's logits bit-exact.
  bool all_ok = true;
  NetworkMetrics metrics;  // the first image's simulation
  double hardware_accuracy() const;
  double golden_accuracy() const;
};
nlohmann::ordered_json to_json(const HardwareAccuracy& accuracy);

// One image's outcome, as it comes (for progress output).
struct ImagePrediction {
  int index = 0, label = 0, golden = 0, hardware = 0;
  bool bit_exact = false;  // the RTL's logits equal the golden reference's (false for analytic)
};

// The first layer without int8 quantization, or nullptr: only a trained network (see
// `tandem train`) predicts anything from real images.
const Layer* unquantized_layer(const Network& network);

// Runs images 0..count-1 of `dataset` through the whole network, one simulation each with
// `options` (its input replaced by the prepared image; on_layer called for the first image
// only), and tells on_image each image's outcome. Throws std::invalid_argument for an
// untrained network, options.only_layers, or more images than the data set holds.
HardwareAccuracy measure_hardware_accuracy(const Network& network, const AcceleratorConfig& config,
                                           SimulationOptions options, const ImageDataset& dataset,
                                           int count,
                                           const std::function<void(const ImagePrediction&)>& on_image = {});

// ---- Training recipe -------------------------------------------------------------------------

struct TrainingRecipe {
  int epochs = 2;             // float training epochs (with batch norm) over the subset
  int qat_epochs = 1;         // quantization-aware epochs after batch norm is folded
  int subset = 10000;         // training images used (the first N of a seeded shuffle); 0: all 60000
  int test_subset = 10000;    // test images for the accuracies (the first N); 0: all 10000
  int golden_images = 200;    // test images also run through the int8 golden reference
  int batch = 32;
  std::string optimizer = "adam";  // adam | sgd (momentum 0.9)
  double learning_rate = 0.01;     // float phase: cosine decay to 0
  double qat_learning_rate = 1e-4;  // quantization-aware phase: constant
  double weight_decay = 0.0;
  std::uint64_t seed = 1;
  int threads = 1;  // intra-op threads of the trainer: N parallel workers use N cores
};

const std::vector<std::string>& recipe_optimizers();
// Reads a recipe mapping (keys as the field names; any subset). Throws InputError naming
// file:line:col and the field, with the valid range or choices.
TrainingRecipe parse_training_recipe(const YamlMap& map);
TrainingRecipe load_training_recipe_file(const std::string& file);  // top-level `recipe:` key
// "schema=tandem-recipe-1\nepochs=2\n..." with every field, and its hash (16 hex digits of
// SHA-256): the cache key of a trained result.
std::string recipe_canonical_text(const TrainingRecipe& recipe);
std::string recipe_hash(const TrainingRecipe& recipe);
std::string recipe_to_yaml(const TrainingRecipe& recipe);  // `recipe:` mapping, every field
nlohmann::ordered_json recipe_to_json(const TrainingRecipe& recipe);

// ---- The accuracy meter of the search ----------------------------------------------------

struct AccuracySpec {            // the flow file's `accuracy:` block
  // "train" (built-in tandem-train, each candidate trained), "supernet" (each candidate's
  // weights inherited from one trained weight-sharing supernet, tandem-supernet) or "command"
  // (external).
  std::string kind = "train";
  TrainingRecipe recipe;         // for "train"
  SupernetRecipe supernet;       // for "supernet": the supernet's training and per-candidate evaluation
  // For "supernet": the stand-alone training of the designs validated on the RTL at the end of
  // a search (the supernet ranks; the winners are trained as `kind: train` would).
  TrainingRecipe retrain;
  // For "command": a shell command template with {network} (path of the network YAML), {seed},
  // {hash} (the network hash), {out} (a scratch directory) placeholders. It prints JSON
  // {"accuracy": 0.87, ...} on stdout (the whole output, or its last line).
  std::string command;
  double timeout_seconds = 600;
};
// Keys: kind, recipe (a mapping as parse_training_recipe reads it; train), supernet and retrain
// (supernet: parse_supernet_recipe and parse_training_recipe mappings), command and seed
// (command: {seed} is recipe.seed), timeout_seconds.
AccuracySpec parse_accuracy_spec(const YamlMap& map);  // InputError on anything wrong

struct AccuracyResult {
  bool ok = false;
  std::string error;                    // failure/timeout reason (never throws for those)
  double accuracy = 0;                  // int8 top-1 in [0,1] (the figure the search uses)
  std::optional<double> float_accuracy;
  std::string network_file;             // the trained int8 network (built-in trainer), else ""
  nlohmann::json detail;                // what the evaluator printed
  double seconds = 0;
  bool cached = false;
};
nlohmann::json to_json(const AccuracyResult& result);
AccuracyResult accuracy_result_from_json(const nlohmann::json& json);

class AccuracyMeter {
 public:
  // cache_dir holds <network_hash>-<spec_hash>.json results and a work/ folder of scratch
  // directories; trainer_path is the kind's trainer ("" means `tandem-train`, or for
  // "supernet" `tandem-supernet`, next to /proc/self/exe).
  AccuracyMeter(AccuracySpec spec, std::string cache_dir, std::string trainer_path);

  // Thread-safe; called from parallel worker threads. network_hash (the genotype hash) and
  // spec_hash() are the cache key: for "train" the recipe and the trainer executable's SHA-256
  // (a rebuilt trainer measures again), for "command" the command text and seed (a command
  // whose behaviour changes must change its text, e.g. a version argument). Runs the trainer or the command as a subprocess in its own
  // process group, killed on timeout. Failures (exit status, signal, timeout, bad JSON) come
  // back as ok = false and are recorded in the cache but not reused: the next call retries.
  // keep_dir (optional): the trained network, with its weights, is also linked (or copied) to
  // <keep_dir>/<key>/ while the cache entry is locked, and network_file names that copy (an
  // absolute path), so that the caller keeps it when the cache evicts the entry.
  AccuracyResult measure(const Network& network, const std::string& network_hash,
                         const std::string& keep_dir = "") const;
  std::string spec_hash() const;
  const AccuracySpec& spec() const { return spec_; }

  // Runs a long command somewhere else (a cluster job) and returns once `result_file` exists;
  // throws std::runtime_error saying why it could not be made.
  using RemoteRunner = std::function<void(const std::vector<std::string>& argv, const std::string& result_file)>;

  // "supernet": trains the supernet unless the cache holds it (resuming an interrupted
  // training), one process at a time per supernet; its progress lines go to `progress` (else
  // to a log file beside it). measure() calls it when nobody did. Throws std::runtime_error
  // naming the log when the training fails. Nothing to do for the other kinds. With `remote`,
  // the training command (its thread environment in front, through env) runs there instead of
  // as a child process.
  void prepare(const std::function<void(const std::string&)>& progress = {}, const RemoteRunner& remote = {}) const;
  // Where the trained supernet is (or goes): <cache>/supernet/<training hash>-<trainer identity>.
  std::string supernet_dir() const;
  std::string supernet_key() const;  // its cache entry's key

 private:
  AccuracyResult run(const Network& network, const std::string& network_hash,
                     const std::string& work_dir) const;
  AccuracySpec spec_;
  std::string cache_dir_;
  std::string trainer_path_;
  std::string trainer_identity_;  // "train", "supernet": SHA-256 prefix of the trainer executable
  mutable std::mutex prepare_mutex_;
  mutable bool prepared_ = false;
};

// The sibling executable `name` of the running program (next to /proc/self/exe).
std::string sibling_executable(const std::string& name);

}  // namespace tandem
