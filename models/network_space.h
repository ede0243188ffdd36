// The network search space, MnasNet/EfficientNet style, declared once: a fixed skeleton (stem,
// stages with fixed strides and base widths, head, pool, classifier) and per-stage decisions.
// A genotype is one integer per decision, each an index into that decision's choices; it
// decodes to a Network and a network of the space encodes back to its genotype.
//
// Offering fused-MBConv (a full KxK conv, systolic array) next to MBConv (depthwise, vector
// unit) is the point: which block wins depends on the accelerator.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/random.h"
#include "models/network.h"
#include "models/network_builder.h"

namespace tandem {

using Genotype = std::vector<int>;

// A genotype as text: its gene indices joined by commas ("2,0,1,3"), as `tandem space` prints
// it and `tandem space decode` and `tandem evaluate --genotype` read it.
std::string format_genotype(const Genotype& genotype);
// Reads that text back. Throws std::invalid_argument naming the first gene that is not an
// integer; whether the genotype belongs to a space is NetworkSpace::check's question.
Genotype parse_genotype(const std::string& text);

struct Decision {
  std::string name;                  // "resolution", "width", "s3.kernel", ...
  std::vector<std::string> choices;  // printable values, in index order
  std::string description;
};

// The fixed part of a space.
struct SpaceSkeleton {
  struct Stage {
    int base_width;
    int stride;
  };
  std::string name;  // "proxy", "imagenet"
  int version = 1;   // part of every genotype hash; bump when decoding changes
  std::string description;
  int input_channels = 3;
  int num_classes = 1000;
  std::vector<int> resolutions;  // square inputs
  int stem_channels = 32;        // scaled by the global width multiplier
  int stem_stride = 2;
  std::vector<Stage> stages;
  int head_channels = 1280;  // fixed: not scaled
  std::vector<int> layer_choices;
};

class NetworkSpace {
 public:
  explicit NetworkSpace(SpaceSkeleton skeleton);

  static const NetworkSpace& proxy();     // 28x28x1, 10 classes (Fashion-MNIST)
  static const NetworkSpace& imagenet();  // 224x224x3, 1000 classes
  static const NetworkSpace* find(const std::string& name);  // nullptr if unknown
  static std::vector<std::string> names();

  const std::string& name() const { return skeleton_.name; }
  const SpaceSkeleton& skeleton() const { return skeleton_; }
  const std::vector<Decision>& decisions() const { return decisions_; }

  // The choices gene `gene` may take given the genes before it. A decision that does not
  // matter there (expansion of a plain conv, skip where no layer can skip) allows only 0, so
  // every network has exactly one genotype.
  std::vector<int> allowed(const Genotype& genotype, std::size_t gene) const;
  // Why a genotype is not in the space, or nothing.
  std::optional<std::string> check(const Genotype& genotype) const;

  // Throw std::invalid_argument with the reason for a bad genotype or a foreign network.
  StagedNetworkSpec spec(const Genotype& genotype) const;
  Network decode(const Genotype& genotype) const;
  Genotype encode(const Network& network) const;

  // A uniformly random choice for each gene among the allowed ones, in gene order.
  Genotype sample(std::mt19937_64& rng) const;
  Genotype sample(std::uint64_t seed) const;

  // "space=proxy\nversion=1\nresolution=28\n..." : what the hash covers.
  std::string canonical_text(const Genotype& genotype) const;
  std::string hash(const Genotype& genotype) const;  // 16 hex digits of SHA-256
  std::string describe(const Genotype& genotype) const;  // one line, for people

 private:
  SpaceSkeleton skeleton_;
  std::vector<Decision> decisions_;
};

}  // namespace tandem
