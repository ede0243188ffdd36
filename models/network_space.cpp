// The declaration of the network search spaces and the genotype <-> Network mapping.
#include "models/network_space.h"

#include <algorithm>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>

#include "core/sha256.h"

namespace tandem {

namespace {

// Per-stage decisions, in gene order within a stage. Every gene depends only on genes before
// it, so a genotype can be checked and sampled front to back.
enum StageGene { block_gene, kernel_gene, expansion_gene, width_gene, layers_gene, activation_gene,
                 skip_gene, genes_per_stage };
constexpr std::size_t resolution_gene = 0;
constexpr std::size_t global_width_gene = 1;
constexpr std::size_t global_genes = 2;

const std::vector<BlockType> block_choices = {BlockType::mbconv, BlockType::fused_mbconv,
                                              BlockType::conv};
const std::vector<int> kernel_choices = {3, 5, 7};
const std::vector<int> expansion_choices = {1, 3, 4, 6};
// Width multipliers in quarters, so that channel counts are exact integer arithmetic.
const std::vector<int> global_width_quarters = {2, 3, 4, 5};  // 0.5, 0.75, 1.0, 1.25
const std::vector<int> stage_width_quarters = {3, 4, 5};      // 0.75, 1.0, 1.25
const std::vector<Activation> activation_choices = {Activation::relu, Activation::relu6};
// The stem and head activation is fixed; the stages choose theirs.
constexpr Activation stem_head_activation = Activation::relu6;

std::string quarters_text(int quarters) {
  const char* const fractions[] = {"0", "25", "5", "75"};
  return std::to_string(quarters / 4) + "." + fractions[quarters % 4];
}

template <typename T, typename Format>
std::vector<std::string> texts(const std::vector<T>& values, Format format) {
  std::vector<std::string> out;
  for (const auto& value : values) out.push_back(format(value));
  return out;
}

std::size_t stage_gene(std::size_t stage, StageGene gene) {
  return global_genes + stage * genes_per_stage + static_cast<std::size_t>(gene);
}

// round(base * multiplier) with the multiplier as a product of quarters over `denominator`.
int scaled_channels(int base, int quarters_product, int denominator) {
  return std::max(1, (base * quarters_product + denominator / 2) / denominator);
}

std::vector<Decision> declare(const SpaceSkeleton& skeleton) {
  auto int_text = [](int value) { return std::to_string(value); };
  std::vector<Decision> decisions = {
      {"resolution", texts(skeleton.resolutions, int_text),
       "input height and width (square); the data is resized to it"},
      {"width", texts(global_width_quarters, quarters_text),
       "global width multiplier of the stem and every stage (the head stays fixed)"},
  };
  for (std::size_t s = 0; s < skeleton.stages.size(); ++s) {
    const std::string stage = "s" + std::to_string(s + 1) + ".";
    const auto& base = skeleton.stages[s];
    const std::string where = " of stage " + std::to_string(s + 1) + " (base width " +
                              std::to_string(base.base_width) + ", stride " +
                              std::to_string(base.stride) + ")";
    decisions.push_back({stage + "block", texts(block_choices, block_type_name),
                         "block type" + where + ": depthwise MBConv, fused-MBConv (full KxK conv) "
                         "or one plain KxK conv"});
    decisions.push_back({stage + "kernel", texts(kernel_choices, int_text), "kernel size" + where});
    decisions.push_back({stage + "expansion", texts(expansion_choices, int_text),
                         "expansion ratio" + where + "; 1 only for plain conv, fused-MBConv "
                         "takes 3, 4 or 6"});
    decisions.push_back({stage + "width", texts(stage_width_quarters, quarters_text),
                         "output width multiplier" + where});
    decisions.push_back({stage + "layers", texts(skeleton.layer_choices, int_text),
                         "number of blocks" + where});
    decisions.push_back({stage + "activation", texts(activation_choices, activation_name),
                         "activation" + where});
    decisions.push_back({stage + "skip", {"off", "on"},
                         "residual adds" + where + " on blocks whose shape allows them; only "
                         "'off' where none does"});
  }
  return decisions;
}

int gene_at(const Genotype& genotype, std::size_t gene) {
  return gene < genotype.size() ? genotype[gene] : 0;
}

int stem_channels_of(const SpaceSkeleton& skeleton, const Genotype& genotype) {
  return scaled_channels(skeleton.stem_channels,
                         global_width_quarters[static_cast<std::size_t>(gene_at(genotype, global_width_gene))], 4);
}

int stage_channels_of(const SpaceSkeleton& skeleton, const Genotype& genotype, std::size_t stage) {
  const int global = global_width_quarters[static_cast<std::size_t>(gene_at(genotype, global_width_gene))];
  const int local = stage_width_quarters[static_cast<std::size_t>(gene_at(genotype, stage_gene(stage, width_gene)))];
  return scaled_channels(skeleton.stages[stage].base_width, global * local, 16);
}

std::vector<int> all_indices(std::size_t count) {
  std::vector<int> indices(count);
  for (std::size_t i = 0; i < count; ++i) indices[i] = static_cast<int>(i);
  return indices;
}

std::string choices_text(const Decision& decision, const std::vector<int>& indices) {
  std::string text;
  for (int index : indices) {
    text += (text.empty() ? "" : " | ") + decision.choices[static_cast<std::size_t>(index)];
  }
  return text;
}

}  // namespace

NetworkSpace::NetworkSpace(SpaceSkeleton skeleton)
    : skeleton_(std::move(skeleton)), decisions_(declare(skeleton_)) {}

const NetworkSpace& NetworkSpace::proxy() {
  // Proportionally smaller than the ImageNet skeleton so networks train in seconds to minutes
  // on a CPU: stride-1 stem, four stages, two stride-2 steps (28 -> 14 -> 7).
  static const NetworkSpace space({"proxy", 1,
                                   "28x28x1 inputs (Fashion-MNIST), 10 classes",
                                   1, 10, {20, 24, 28}, 16, 1,
                                   {{16, 1}, {24, 2}, {40, 2}, {80, 1}}, 256, {1, 2, 3}});
  return space;
}

const NetworkSpace& NetworkSpace::imagenet() {
  // The MnasNet / EfficientNet-B0 skeleton.
  static const NetworkSpace space({"imagenet", 1,
                                   "224x224x3 inputs (ImageNet), 1000 classes; "
                                   "MnasNet/EfficientNet-B0 skeleton",
                                   3, 1000, {160, 192, 224}, 32, 2,
                                   {{16, 1}, {24, 2}, {40, 2}, {80, 2}, {112, 1}, {192, 2}, {320, 1}},
                                   1280, {1, 2, 3, 4}});
  return space;
}

const NetworkSpace* NetworkSpace::find(const std::string& name) {
  for (const NetworkSpace* space : {&proxy(), &imagenet()}) {
    if (space->name() == name) return space;
  }
  return nullptr;
}

std::vector<std::string> NetworkSpace::names() { return {proxy().name(), imagenet().name()}; }

std::vector<int> NetworkSpace::allowed(const Genotype& genotype, std::size_t gene) const {
  const std::size_t choices = decisions_.at(gene).choices.size();
  if (gene < global_genes) return all_indices(choices);
  const std::size_t stage = (gene - global_genes) / genes_per_stage;
  const auto which = static_cast<StageGene>((gene - global_genes) % genes_per_stage);
  const BlockType block = block_choices[static_cast<std::size_t>(gene_at(genotype, stage_gene(stage, block_gene)))];
  if (which == expansion_gene) {
    if (block == BlockType::conv) return {0};
    if (block == BlockType::fused_mbconv) return {1, 2, 3};  // expansion 1 would be a plain conv
    return all_indices(choices);
  }
  if (which == skip_gene) {
    const int layers = skeleton_.layer_choices[static_cast<std::size_t>(gene_at(genotype, stage_gene(stage, layers_gene)))];
    const int in_channels = stage == 0 ? stem_channels_of(skeleton_, genotype)
                                       : stage_channels_of(skeleton_, genotype, stage - 1);
    const bool first_can_skip = skeleton_.stages[stage].stride == 1 &&
                                in_channels == stage_channels_of(skeleton_, genotype, stage);
    return layers > 1 || first_can_skip ? all_indices(choices) : std::vector<int>{0};
  }
  return all_indices(choices);
}

std::optional<std::string> NetworkSpace::check(const Genotype& genotype) const {
  if (genotype.size() != decisions_.size()) {
    return "a genotype of space '" + name() + "' has " + std::to_string(decisions_.size()) +
           " genes, got " + std::to_string(genotype.size());
  }
  for (std::size_t gene = 0; gene < genotype.size(); ++gene) {
    const Decision& decision = decisions_[gene];
    const int value = genotype[gene];
    if (value < 0 || value >= static_cast<int>(decision.choices.size())) {
      return "gene " + std::to_string(gene) + " (" + decision.name + ") is " +
             std::to_string(value) + ", outside 0.." + std::to_string(decision.choices.size() - 1);
    }
    const std::vector<int> ok = allowed(genotype, gene);
    if (std::find(ok.begin(), ok.end(), value) == ok.end()) {
      return "gene " + std::to_string(gene) + " (" + decision.name + ") is '" +
             decision.choices[static_cast<std::size_t>(value)] + "', but here only " +
             choices_text(decision, ok) + " is allowed (" + decision.description + ")";
    }
  }
  return std::nullopt;
}

StagedNetworkSpec NetworkSpace::spec(const Genotype& genotype) const {
  if (auto problem = check(genotype)) throw std::invalid_argument(*problem);
  const int resolution = skeleton_.resolutions[static_cast<std::size_t>(genotype[resolution_gene])];
  StagedNetworkSpec spec;
  spec.name = name() + "-" + hash(genotype);
  spec.input = {resolution, resolution, skeleton_.input_channels};
  spec.num_classes = skeleton_.num_classes;
  spec.stem_channels = stem_channels_of(skeleton_, genotype);
  spec.stem_kernel = 3;
  spec.stem_stride = skeleton_.stem_stride;
  spec.stem_activation = stem_head_activation;
  spec.head_channels = skeleton_.head_channels;
  spec.head_activation = stem_head_activation;
  for (std::size_t s = 0; s < skeleton_.stages.size(); ++s) {
    auto gene = [&](StageGene which) {
      return static_cast<std::size_t>(genotype[stage_gene(s, which)]);
    };
    StageSpec stage;
    stage.block.type = block_choices[gene(block_gene)];
    stage.block.kernel = kernel_choices[gene(kernel_gene)];
    stage.block.expansion = expansion_choices[gene(expansion_gene)];
    stage.block.out_channels = stage_channels_of(skeleton_, genotype, s);
    stage.block.stride = skeleton_.stages[s].stride;
    stage.block.activation = activation_choices[gene(activation_gene)];
    stage.block.skip = gene(skip_gene) == 1;
    stage.layers = skeleton_.layer_choices[gene(layers_gene)];
    spec.stages.push_back(stage);
  }
  return spec;
}

Network NetworkSpace::decode(const Genotype& genotype) const {
  return build_staged_network(spec(genotype));
}

namespace {

// Reads the decisions back from a staged network's layers, found by their names.
class StagedNetworkReader {
 public:
  explicit StagedNetworkReader(const Network& network) {
    for (const auto& layer : network.layers) by_name_[layer.name] = &layer;
  }

  const Layer& layer(const std::string& name) const {
    const Layer* found = find(name);
    if (!found) throw std::invalid_argument("no layer '" + name + "' where the space has one");
    return *found;
  }
  const Layer* find(const std::string& name) const {
    auto it = by_name_.find(name);
    return it == by_name_.end() ? nullptr : it->second;
  }
  int blocks_in_stage(std::size_t stage) const {
    int blocks = 0;
    while (has_block(stage, blocks + 1)) ++blocks;
    return blocks;
  }
  bool has_block(std::size_t stage, int block) const {
    const std::string prefix = block_prefix(stage, block);
    auto it = by_name_.lower_bound(prefix);
    return it != by_name_.end() && it->first.compare(0, prefix.size(), prefix) == 0;
  }
  static std::string block_prefix(std::size_t stage, int block) {
    return "s" + std::to_string(stage + 1) + ".b" + std::to_string(block) + ".";
  }

 private:
  std::map<std::string, const Layer*> by_name_;
};

template <typename T>
int index_of(const std::vector<T>& choices, const T& value, const std::string& what) {
  auto found = std::find(choices.begin(), choices.end(), value);
  if (found == choices.end()) throw std::invalid_argument(what + " is not one of the space's choices");
  return static_cast<int>(found - choices.begin());
}

}  // namespace

Genotype NetworkSpace::encode(const Network& network) const {
  const StagedNetworkReader reader(network);
  Genotype genotype(decisions_.size(), 0);
  if (network.input.height != network.input.width) {
    throw std::invalid_argument("input " + network.input.to_string() + " is not square");
  }
  genotype[resolution_gene] = index_of(skeleton_.resolutions, network.input.height,
                                       "input resolution " + std::to_string(network.input.height));
  const int stem = layer_out_channels(reader.layer("stem"));
  for (std::size_t i = 0; i < global_width_quarters.size(); ++i) {
    if (scaled_channels(skeleton_.stem_channels, global_width_quarters[i], 4) == stem) {
      genotype[global_width_gene] = static_cast<int>(i);
    }
  }
  int in_channels = stem;
  for (std::size_t s = 0; s < skeleton_.stages.size(); ++s) {
    const std::string prefix = StagedNetworkReader::block_prefix(s, 1);
    auto set = [&](StageGene which, int value) { genotype[stage_gene(s, which)] = value; };
    const Layer* dw = reader.find(prefix + "dw");
    const Layer* fused = reader.find(prefix + "fused");
    const Layer& main = dw ? *dw : fused ? *fused : reader.layer(prefix + "conv");
    const Layer* expand = reader.find(prefix + "expand");
    const Layer* project = reader.find(prefix + "project");
    const BlockType block = dw ? BlockType::mbconv : fused ? BlockType::fused_mbconv : BlockType::conv;
    // layer_out_channels: a depthwise layer records no out_channels (a foreign network may end a
    // block on one, and its zero would divide below).
    const int out_channels = layer_out_channels(project ? *project : main);
    const int expanded = expand ? layer_out_channels(*expand) : project && fused ? layer_out_channels(*fused) : in_channels;
    if (expanded % in_channels != 0) {
      throw std::invalid_argument("stage " + std::to_string(s + 1) + ": expanded width " +
                                  std::to_string(expanded) + " is not a multiple of the input width");
    }
    set(block_gene, index_of(block_choices, block, "block type"));
    set(kernel_gene, index_of(kernel_choices, main.kernel_h, "kernel " + std::to_string(main.kernel_h)));
    set(expansion_gene, index_of(expansion_choices, expanded / in_channels, "expansion"));
    set(activation_gene, index_of(activation_choices, main.activation, "activation"));
    set(layers_gene, index_of(skeleton_.layer_choices, reader.blocks_in_stage(s), "layer count"));
    for (std::size_t i = 0; i < stage_width_quarters.size(); ++i) {
      set(width_gene, static_cast<int>(i));
      if (stage_channels_of(skeleton_, genotype, s) == out_channels) break;
    }
    bool any_add = false;
    for (int b = 1; b <= reader.blocks_in_stage(s); ++b) {
      any_add = any_add || reader.find(StagedNetworkReader::block_prefix(s, b) + "add") != nullptr;
    }
    set(skip_gene, any_add ? 1 : 0);
    in_channels = out_channels;
  }
  if (auto problem = check(genotype)) {
    throw std::invalid_argument("not a network of space '" + name() + "': " + *problem);
  }
  // Everything not read above (head, strides, names, shapes) must match too.
  Network rebuilt = decode(genotype);
  rebuilt.name = network.name;
  if (!same_structure(rebuilt, network)) {
    throw std::invalid_argument("not a network of space '" + name() +
                                "': its layers differ from those of the nearest genotype");
  }
  return genotype;
}

Genotype NetworkSpace::sample(std::mt19937_64& rng) const {
  Genotype genotype(decisions_.size(), 0);
  for (std::size_t gene = 0; gene < genotype.size(); ++gene) {
    const std::vector<int> ok = allowed(genotype, gene);
    genotype[gene] = ok[static_cast<std::size_t>(uniform_index(rng, static_cast<int>(ok.size())))];
  }
  return genotype;
}

Genotype NetworkSpace::sample(std::uint64_t seed) const {
  std::mt19937_64 rng(seed);
  return sample(rng);
}

std::string format_genotype(const Genotype& genotype) {
  std::string text;
  for (int gene : genotype) text += (text.empty() ? "" : ",") + std::to_string(gene);
  return text;
}

Genotype parse_genotype(const std::string& text) {
  Genotype genotype;
  std::stringstream stream(text);
  for (std::string gene; std::getline(stream, gene, ',');) {
    try {
      std::size_t used = 0;
      genotype.push_back(std::stoi(gene, &used));
      if (used != gene.size()) throw std::invalid_argument(gene);
    } catch (const std::exception&) {
      throw std::invalid_argument("'" + gene + "' is not a gene index (give comma-separated integers, e.g. 2,0,1)");
    }
  }
  return genotype;
}

std::string NetworkSpace::canonical_text(const Genotype& genotype) const {
  std::string text = "tandem-network-space=" + name() + "\nversion=" + std::to_string(skeleton_.version) + "\n";
  for (std::size_t gene = 0; gene < decisions_.size(); ++gene) {
    const int value = gene_at(genotype, gene);
    const auto& choices = decisions_[gene].choices;
    text += decisions_[gene].name + "=" +
            (value >= 0 && value < static_cast<int>(choices.size())
                 ? choices[static_cast<std::size_t>(value)]
                 : "#" + std::to_string(value)) +
            "\n";
  }
  return text;
}

std::string NetworkSpace::hash(const Genotype& genotype) const {
  return sha256_hex(canonical_text(genotype)).substr(0, 16);
}

std::string NetworkSpace::describe(const Genotype& genotype) const {
  const StagedNetworkSpec s = spec(genotype);
  std::string text = "res " + std::to_string(s.input.height) + " stem " + std::to_string(s.stem_channels);
  for (const auto& stage : s.stages) {
    const BlockSpec& b = stage.block;
    text += " | " + std::string(block_type_name(b.type)) + " k" + std::to_string(b.kernel) +
            (b.type == BlockType::conv ? "" : " e" + std::to_string(b.expansion)) + " c" +
            std::to_string(b.out_channels) + " x" + std::to_string(stage.layers) + " " +
            activation_name(b.activation) + (b.skip ? " skip" : "");
  }
  return text + " | head " + std::to_string(s.head_channels);
}

}  // namespace tandem
