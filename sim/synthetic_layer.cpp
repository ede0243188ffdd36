#include "sim/synthetic_layer.h"

#include <map>
#include <mutex>
#include <sstream>

#include "models/random_quantization.h"

namespace tandem {
namespace {

// Enough for every layer of thousands of searched networks on hundreds of accelerators; beyond
// it the memo starts afresh rather than grow without bound.
constexpr std::size_t kMemoLimit = 200000;

struct Memo {
  std::mutex mutex;
  std::map<std::string, LayerMetrics> results;
};

Memo& memo() {
  static Memo instance;
  return instance;
}

// FNV-1a: the per-structure seed, the same on every platform.
std::uint64_t fnv1a(const std::string& text) {
  std::uint64_t hash = 1469598103934665603ull;
  for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

}  // namespace

std::string layer_structure_key(const Layer& layer) {
  std::ostringstream key;
  key << layer_kind_name(layer.kind);
  for (const TensorShape& shape : layer.input_shapes) key << " in " << shape.to_string();
  key << " out " << layer.output.to_string() << " k " << layer.kernel_h << "x" << layer.kernel_w << " s "
      << layer.stride_h << "x" << layer.stride_w << " pad " << padding_name(layer.padding);
  if (layer.padding == Padding::explicit_pads) {
    key << " " << layer.pad_top << "," << layer.pad_left << "," << layer.pad_bottom << "," << layer.pad_right;
  }
  key << " oc " << layer.out_channels << " act " << activation_name(layer.activation);
  return key.str();
}

LayerMetrics evaluate_synthetic_layer(
    const Layer& layer, const std::string& accelerator_key, std::uint64_t seed,
    const std::function<LayerMetrics(const Layer&, const std::vector<const Tensor8*>&)>& evaluate) {
  const std::string structure = layer_structure_key(layer);
  const std::string key = accelerator_key + "\n" + std::to_string(seed) + "\n" + structure;
  {
    std::lock_guard<std::mutex> lock(memo().mutex);
    auto found = memo().results.find(key);
    if (found != memo().results.end()) {
      LayerMetrics metrics = found->second;
      metrics.name = layer.name;
      metrics.seconds = 0;
      return metrics;
    }
  }
  // The layer alone, reading the network input (both inputs of an add).
  Network alone;
  alone.name = layer.name;
  alone.input = layer.input_shapes.front();
  alone.num_classes = layer_out_channels(layer);
  alone.layers.push_back(layer);
  alone.layers.front().inputs.assign(layer.inputs.size(), -1);
  alone.layers.front().quant.reset();
  const std::uint64_t layer_seed = seed ^ fnv1a(structure);
  quantize_randomly(alone, layer_seed, RandomWeights::hashed);
  std::vector<Tensor8> tensors;
  for (std::size_t i = 0; i < layer.inputs.size(); ++i) tensors.push_back(random_input(alone, layer_seed + 1 + i));
  std::vector<const Tensor8*> inputs;
  for (const Tensor8& tensor : tensors) inputs.push_back(&tensor);
  LayerMetrics metrics = evaluate(alone.layers.front(), inputs);
  metrics.name = layer.name;
  std::lock_guard<std::mutex> lock(memo().mutex);
  if (memo().results.size() >= kMemoLimit) memo().results.clear();
  memo().results.emplace(key, metrics);
  return metrics;
}

}  // namespace tandem
