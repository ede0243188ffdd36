// Building networks in code, layer by layer and block by block, with shapes computed as layers
// are added. The zoo and the network search space are made of these same block builders, so a
// block means the same layers wherever it appears. See docs/networks.md for each block.
#pragma once

#include <string>
#include <vector>

#include "models/network.h"

namespace tandem {

class NetworkBuilder {
 public:
  static constexpr int network_input = -1;

  NetworkBuilder(std::string name, TensorShape input, int num_classes);

  // Each call appends one layer reading `input` (a layer index or network_input) and returns
  // its index. Throws std::logic_error when the shapes do not work (a bug in the caller).
  int conv(const std::string& name, int input, int out_channels, int kernel, int stride,
           Activation activation, Padding padding = Padding::same);
  int depthwise(const std::string& name, int input, int kernel, int stride, Activation activation,
                Padding padding = Padding::same);
  int fully_connected(const std::string& name, int input, int out_channels,
                      Activation activation = Activation::none);
  int add(const std::string& name, int a, int b, Activation activation = Activation::none);
  int pool(const std::string& name, LayerKind kind, int input, int kernel, int stride,
           Padding padding = Padding::same);
  int global_avg_pool(const std::string& name, int input);

  const TensorShape& shape(int index) const;  // output of a layer, or the network input
  // The finished network; throws std::logic_error if it does not validate.
  Network finish();

 private:
  int append(Layer layer);
  Network network_;
};

// Which layers a stage block is made of.
enum class BlockType {
  mbconv,        // [1x1 expand] -> KxK depthwise -> 1x1 linear project (MobileNetV2, MnasNet)
  fused_mbconv,  // KxK full conv expand -> 1x1 linear project; expansion 1: one KxK conv
  conv,          // one KxK full conv with activation (expansion has no meaning)
  separable,     // KxK depthwise + act -> 1x1 pointwise + act (MobileNetV1; zoo only)
};
const char* block_type_name(BlockType type);

struct BlockSpec {
  BlockType type = BlockType::mbconv;
  int kernel = 3;
  int expansion = 1;
  int out_channels = 0;
  int stride = 1;
  Activation activation = Activation::relu6;
  bool skip = true;  // residual add where stride is 1 and channels match
  // Expanded width = expand_from * expansion; 0 means the block's input channels. (EdgeTPU-S
  // expands its first block from 24 though its input has 32 channels.)
  int expand_from = 0;
};

// Whether a block with this spec and input channels gets a residual add.
bool block_has_skip(const BlockSpec& spec, int in_channels);

// A convolution with batch norm folded into its bias, then the activation (one IR layer).
int conv_bn_act(NetworkBuilder& builder, const std::string& name, int input, int out_channels,
                int kernel, int stride, Activation activation);
// One block of `spec.type`; layer names start with `prefix` ("s2.b1.dw", ...).
int inverted_block(NetworkBuilder& builder, const std::string& prefix, int input,
                   const BlockSpec& spec);
// ResNet blocks; the add carries the ReLU. Projection shortcut where the shape changes.
int basic_residual_block(NetworkBuilder& builder, const std::string& prefix, int input,
                         int out_channels, int stride);
int bottleneck_residual_block(NetworkBuilder& builder, const std::string& prefix, int input,
                              int mid_channels, int stride);  // output 4 x mid_channels
// [1x1 head conv] -> global average pool -> fully connected classifier.
int classifier_head(NetworkBuilder& builder, int input, int head_channels, Activation activation,
                    int num_classes);

// The MnasNet/EfficientNet family: stem conv, stages of repeated blocks (the first block of a
// stage strides), head, pool, classifier. Layer names: stem, s<i>.b<j>.<part>, head, pool,
// classifier (stages and blocks numbered from 1).
struct StageSpec {
  BlockSpec block;  // block.stride applies to the stage's first block only
  int layers = 1;
};
struct StagedNetworkSpec {
  std::string name;
  TensorShape input;
  int num_classes = 0;
  int stem_channels = 32;
  int stem_kernel = 3;
  int stem_stride = 2;
  Activation stem_activation = Activation::relu6;
  std::vector<StageSpec> stages;
  int head_channels = 1280;  // 0: no head conv
  Activation head_activation = Activation::relu6;
};
Network build_staged_network(const StagedNetworkSpec& spec);

}  // namespace tandem
