#include "accuracy/training/supernet.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>

#include "core/random.h"

namespace tandem {

namespace {

bool is_weighted(const Layer& layer) {
  return layer.kind == LayerKind::conv2d || layer.kind == LayerKind::depthwise_conv2d ||
         layer.kind == LayerKind::fully_connected;
}

// The weight shape a layer needs: conv [O, I, K, K], depthwise [C, 1, K, K], fully connected
// [O, H*W*C].
std::vector<std::int64_t> weight_shape(const Layer& layer) {
  const auto out = static_cast<std::int64_t>(layer_out_channels(layer));
  const TensorShape& in = layer.input_shapes.front();
  if (layer.kind == LayerKind::fully_connected) return {out, in.elements()};
  return {out, layer.kind == LayerKind::conv2d ? in.channels : 1, layer.kernel_h, layer.kernel_w};
}

bool ends_with(const std::string& text, const std::string& tail) {
  return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

// Parameter names may not hold dots.
std::string parameter_name(std::string key) {
  std::replace(key.begin(), key.end(), '.', '_');
  std::replace(key.begin(), key.end(), '/', '_');
  return key;
}

}  // namespace

std::string Supernet::key(const StagedNetworkSpec& spec, const std::string& layer_name) {
  // "s<i>.b<j>.<part>": the stage's block kind selects the branch.
  if (layer_name.size() > 1 && layer_name[0] == 's' && std::isdigit(static_cast<unsigned char>(layer_name[1]))) {
    const auto stage = static_cast<std::size_t>(std::stoi(layer_name.substr(1))) - 1;
    if (stage < spec.stages.size()) return std::string(block_type_name(spec.stages[stage].block.type)) + "/" + layer_name;
  }
  return layer_name;
}

// A genotype's layers as slices (views, or copies) of the shared tensors.
class Supernet::Slices : public LayerParameterSource {
 public:
  Slices(const Supernet& supernet, StagedNetworkSpec spec, bool copies)
      : supernet_(supernet), spec_(std::move(spec)), copies_(copies) {}

  LayerParameters parameters(const Network& network, std::size_t index) const override {
    const Layer& layer = network.layers[index];
    const std::string key = Supernet::key(spec_, layer.name);
    auto found = supernet_.shared_.find(key);
    if (found == supernet_.shared_.end()) throw std::logic_error("supernet has no tensors for layer " + key);
    const Shared& shared = found->second;
    const std::vector<std::int64_t> shape = weight_shape(layer);
    torch::Tensor weight = shared.weight;
    for (std::size_t d = 0; d < shape.size(); ++d) {
      const std::int64_t have = weight.size(static_cast<std::int64_t>(d));
      if (shape[d] > have) {
        throw std::logic_error("layer " + key + " needs " + std::to_string(shape[d]) + " in dimension " +
                               std::to_string(d) + ", the supernet has " + std::to_string(have));
      }
      // Channels: the first ones; kernel: the centre (odd sizes, so it is centred exactly).
      const std::int64_t start = d >= 2 ? (have - shape[d]) / 2 : 0;
      weight = weight.narrow(static_cast<std::int64_t>(d), start, shape[d]);
    }
    const std::int64_t out = shape[0];
    auto take = [&](const torch::Tensor& t) -> torch::Tensor {
      if (!t.defined()) return t;
      const torch::Tensor view = t.narrow(0, 0, out);
      return copies_ ? view.detach().clone() : view;
    };
    LayerParameters p;
    p.weight = copies_ ? weight.detach().clone() : weight;
    p.bias = take(shared.bias);
    p.bn_gamma = take(shared.bn_gamma);
    p.bn_beta = take(shared.bn_beta);
    p.bn_mean = take(shared.bn_mean);
    p.bn_var = take(shared.bn_var);
    return p;
  }

 private:
  const Supernet& supernet_;
  StagedNetworkSpec spec_;
  bool copies_;
};

Supernet::Supernet(const NetworkSpace& space, bool initialize) : space_(space) {
  // The max shape of every key: decode, per block kind, the genotype with that kind in every
  // stage and every other decision at its largest choice (channel counts and kernels only grow
  // with the choices).
  std::map<std::string, std::vector<std::int64_t>> shapes;
  for (int kind = 0;; ++kind) {
    Genotype genotype(space_.decisions().size(), 0);
    bool kind_exists = true;
    for (std::size_t gene = 0; gene < genotype.size(); ++gene) {
      const std::vector<int> ok = space_.allowed(genotype, gene);
      if (ends_with(space_.decisions()[gene].name, ".block")) {
        kind_exists = kind < static_cast<int>(ok.size());
        genotype[gene] = kind_exists ? ok[static_cast<std::size_t>(kind)] : 0;
      } else {
        genotype[gene] = ok.back();
      }
    }
    if (!kind_exists) break;
    const StagedNetworkSpec spec = space_.spec(genotype);
    for (const Layer& layer : space_.decode(genotype).layers) {
      if (!is_weighted(layer)) continue;
      std::vector<std::int64_t>& shape = shapes[key(spec, layer.name)];
      const std::vector<std::int64_t> need = weight_shape(layer);
      if (shape.empty()) shape = need;
      for (std::size_t d = 0; d < need.size(); ++d) shape[d] = std::max(shape[d], need[d]);
    }
  }
  for (const auto& [key, shape] : shapes) {  // in key order: the same draws every time
    Shared& shared = shared_[key];
    const std::string name = parameter_name(key);
    const std::int64_t out = shape[0];
    torch::Tensor weight = torch::empty(shape);
    if (shape.size() == 2) {
      const double bound = 1.0 / std::sqrt(static_cast<double>(shape[1]));
      if (initialize) weight.uniform_(-bound, bound);
    } else {
      if (initialize) torch::nn::init::kaiming_normal_(weight, 0.0, torch::kFanIn, torch::kReLU);
      shared.bn_gamma = register_parameter(name + "_gamma", torch::ones({out}));
      shared.bn_beta = register_parameter(name + "_beta", torch::zeros({out}));
      shared.bn_mean = register_buffer(name + "_mean", torch::zeros({out}));
      shared.bn_var = register_buffer(name + "_var", torch::ones({out}));
    }
    shared.weight = register_parameter(name + "_weight", weight);
    shared.bias = register_parameter(name + "_bias", torch::zeros({out}));
  }
}

std::shared_ptr<TorchNetwork> Supernet::build(const Genotype& genotype, bool copies) const {
  const StagedNetworkSpec spec = space_.spec(genotype);  // throws for a genotype not in the space
  return std::make_shared<TorchNetwork>(build_staged_network(spec), Slices(*this, spec, copies));
}

std::shared_ptr<TorchNetwork> Supernet::subnet(const Genotype& genotype) const { return build(genotype, false); }

std::shared_ptr<TorchNetwork> Supernet::extract(const Genotype& genotype) const { return build(genotype, true); }

Genotype Supernet::extreme(std::mt19937_64& rng, bool largest) const {
  Genotype genotype(space_.decisions().size(), 0);
  for (std::size_t gene = 0; gene < genotype.size(); ++gene) {
    const std::vector<int> ok = space_.allowed(genotype, gene);
    const std::string& name = space_.decisions()[gene].name;
    const bool no_size = ends_with(name, ".block") || ends_with(name, ".activation") || ends_with(name, ".skip");
    genotype[gene] = no_size ? ok[static_cast<std::size_t>(uniform_index(rng, static_cast<int>(ok.size())))]
                             : largest ? ok.back() : ok.front();
  }
  return genotype;
}

Genotype Supernet::largest(std::mt19937_64& rng) const { return extreme(rng, true); }

Genotype Supernet::smallest(std::mt19937_64& rng) const { return extreme(rng, false); }

}  // namespace tandem
