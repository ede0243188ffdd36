// The weight-sharing supernet of a network space (docs/accuracy.md, "Supernet"): one set of
// max-size tensors from which every genotype's network takes its weights. A layer's tensors are
// keyed by its block kind and IR layer name ("mbconv/s2.b1.dw", "fused_mbconv/s2.b1.project";
// stem, head and classifier by name alone): the block kinds are alternative branches, while
// kernel size, widths, expansion and depth share. A subnet takes the first O output and first I
// input channels, and the centre KxK of the 7x7 kernel; depth is the first L blocks;
// resolution, activation and skip have no parameters. The forward is TorchNetwork's, over
// LayerParameterSource slices.
#pragma once

#include <torch/torch.h>

#include <map>
#include <memory>
#include <random>
#include <string>

#include "accuracy/training/torch_network.h"
#include "models/network_space.h"

namespace tandem {

class Supernet : public torch::nn::Module {
 public:
  // initialize: draw the parameters from torch's generator (Kaiming-normal conv weights,
  // uniform classifier, zero biases, identity batch norm); false leaves them to load().
  Supernet(const NetworkSpace& space, bool initialize = true);

  const NetworkSpace& space() const { return space_; }

  // The network of `genotype` over views of the shared tensors: its gradients land in them.
  std::shared_ptr<TorchNetwork> subnet(const Genotype& genotype) const;
  // The same network with copies of the slices (its own parameters; the supernet is untouched).
  std::shared_ptr<TorchNetwork> extract(const Genotype& genotype) const;

  // The sandwich rule's ends: every numeric decision (resolution, widths, kernel, expansion,
  // layers) at its largest / smallest choice; block kinds, activations and skips drawn from rng
  // (block kinds are alternatives, not sizes, so each kind gets its turn as the largest).
  Genotype largest(std::mt19937_64& rng) const;
  Genotype smallest(std::mt19937_64& rng) const;

  // The key of a layer's shared tensors in the genotype's network.
  static std::string key(const StagedNetworkSpec& spec, const std::string& layer_name);

 private:
  struct Shared {
    torch::Tensor weight, bias, bn_gamma, bn_beta, bn_mean, bn_var;
  };
  class Slices;
  Genotype extreme(std::mt19937_64& rng, bool largest) const;
  std::shared_ptr<TorchNetwork> build(const Genotype& genotype, bool copies) const;

  const NetworkSpace& space_;
  std::map<std::string, Shared> shared_;
};

}  // namespace tandem
