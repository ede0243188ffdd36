// Layer primitives and the shared blocks of the zoo and the search space.
#include "models/network_builder.h"

#include <stdexcept>

namespace tandem {

NetworkBuilder::NetworkBuilder(std::string name, TensorShape input, int num_classes) {
  network_.name = std::move(name);
  network_.input = input;
  network_.num_classes = num_classes;
}

int NetworkBuilder::append(Layer layer) {
  for (int producer : layer.inputs) layer.input_shapes.push_back(shape(producer));
  ShapeResult result = infer_output_shape(layer, layer.input_shapes);
  if (!result.shape) {
    throw std::logic_error(network_.name + ": layer '" + layer.name + "': " + result.error);
  }
  layer.output = *result.shape;
  network_.layers.push_back(std::move(layer));
  return static_cast<int>(network_.layers.size()) - 1;
}

const TensorShape& NetworkBuilder::shape(int index) const {
  if (index == network_input) return network_.input;
  if (index < 0 || index >= static_cast<int>(network_.layers.size())) {
    throw std::logic_error(network_.name + ": no layer " + std::to_string(index));
  }
  return network_.layers[static_cast<std::size_t>(index)].output;
}

namespace {
Layer windowed(const std::string& name, LayerKind kind, int input, int kernel, int stride,
               Padding padding) {
  Layer layer;
  layer.name = name;
  layer.kind = kind;
  layer.inputs = {input};
  layer.kernel_h = layer.kernel_w = kernel;
  layer.stride_h = layer.stride_w = stride;
  layer.padding = padding;
  return layer;
}
}  // namespace

int NetworkBuilder::conv(const std::string& name, int input, int out_channels, int kernel,
                         int stride, Activation activation, Padding padding) {
  Layer layer = windowed(name, LayerKind::conv2d, input, kernel, stride, padding);
  layer.out_channels = out_channels;
  layer.activation = activation;
  return append(std::move(layer));
}

int NetworkBuilder::depthwise(const std::string& name, int input, int kernel, int stride,
                              Activation activation, Padding padding) {
  Layer layer = windowed(name, LayerKind::depthwise_conv2d, input, kernel, stride, padding);
  layer.activation = activation;
  return append(std::move(layer));
}

int NetworkBuilder::fully_connected(const std::string& name, int input, int out_channels,
                                    Activation activation) {
  Layer layer;
  layer.name = name;
  layer.kind = LayerKind::fully_connected;
  layer.inputs = {input};
  layer.out_channels = out_channels;
  layer.activation = activation;
  return append(std::move(layer));
}

int NetworkBuilder::add(const std::string& name, int a, int b, Activation activation) {
  Layer layer;
  layer.name = name;
  layer.kind = LayerKind::add;
  layer.inputs = {a, b};
  layer.activation = activation;
  return append(std::move(layer));
}

int NetworkBuilder::pool(const std::string& name, LayerKind kind, int input, int kernel,
                         int stride, Padding padding) {
  return append(windowed(name, kind, input, kernel, stride, padding));
}

int NetworkBuilder::global_avg_pool(const std::string& name, int input) {
  Layer layer;
  layer.name = name;
  layer.kind = LayerKind::global_avg_pool;
  layer.inputs = {input};
  return append(std::move(layer));
}

Network NetworkBuilder::finish() {
  if (auto problem = network_.validate()) {
    throw std::logic_error(network_.name + ": " + *problem);
  }
  return network_;
}

const char* block_type_name(BlockType type) {
  switch (type) {
    case BlockType::mbconv: return "mbconv";
    case BlockType::fused_mbconv: return "fused_mbconv";
    case BlockType::conv: return "conv";
    case BlockType::separable: return "separable";
  }
  return "unknown";
}

bool block_has_skip(const BlockSpec& spec, int in_channels) {
  return spec.skip && spec.stride == 1 && in_channels == spec.out_channels;
}

int conv_bn_act(NetworkBuilder& builder, const std::string& name, int input, int out_channels,
                int kernel, int stride, Activation activation) {
  return builder.conv(name, input, out_channels, kernel, stride, activation);
}

int inverted_block(NetworkBuilder& builder, const std::string& prefix, int input,
                   const BlockSpec& spec) {
  const int in_channels = builder.shape(input).channels;
  const int expanded = (spec.expand_from > 0 ? spec.expand_from : in_channels) * spec.expansion;
  const Activation act = spec.activation;
  int x = input;
  switch (spec.type) {
    case BlockType::mbconv:
      if (spec.expansion != 1) x = conv_bn_act(builder, prefix + "expand", x, expanded, 1, 1, act);
      x = builder.depthwise(prefix + "dw", x, spec.kernel, spec.stride, act);
      x = conv_bn_act(builder, prefix + "project", x, spec.out_channels, 1, 1, Activation::none);
      break;
    case BlockType::fused_mbconv:
      if (spec.expansion == 1) {
        x = conv_bn_act(builder, prefix + "fused", x, spec.out_channels, spec.kernel, spec.stride, act);
      } else {
        x = conv_bn_act(builder, prefix + "fused", x, expanded, spec.kernel, spec.stride, act);
        x = conv_bn_act(builder, prefix + "project", x, spec.out_channels, 1, 1, Activation::none);
      }
      break;
    case BlockType::conv:
      x = conv_bn_act(builder, prefix + "conv", x, spec.out_channels, spec.kernel, spec.stride, act);
      break;
    case BlockType::separable:
      x = builder.depthwise(prefix + "dw", x, spec.kernel, spec.stride, act);
      x = conv_bn_act(builder, prefix + "pw", x, spec.out_channels, 1, 1, act);
      break;
  }
  if (block_has_skip(spec, in_channels)) x = builder.add(prefix + "add", input, x);
  return x;
}

namespace {
// The shortcut of a residual block: identity, or a 1x1 projection where the shape changes.
int shortcut(NetworkBuilder& builder, const std::string& prefix, int input, int out_channels,
             int stride) {
  if (stride == 1 && builder.shape(input).channels == out_channels) return input;
  return conv_bn_act(builder, prefix + "shortcut", input, out_channels, 1, stride,
                     Activation::none);
}
}  // namespace

int basic_residual_block(NetworkBuilder& builder, const std::string& prefix, int input,
                         int out_channels, int stride) {
  int x = conv_bn_act(builder, prefix + "conv1", input, out_channels, 3, stride, Activation::relu);
  x = conv_bn_act(builder, prefix + "conv2", x, out_channels, 3, 1, Activation::none);
  const int identity = shortcut(builder, prefix, input, out_channels, stride);
  return builder.add(prefix + "add", identity, x, Activation::relu);
}

int bottleneck_residual_block(NetworkBuilder& builder, const std::string& prefix, int input,
                              int mid_channels, int stride) {
  // ResNet v1.5 (torchvision): the 3x3 conv strides, not the first 1x1.
  const int out_channels = 4 * mid_channels;
  int x = conv_bn_act(builder, prefix + "conv1", input, mid_channels, 1, 1, Activation::relu);
  x = conv_bn_act(builder, prefix + "conv2", x, mid_channels, 3, stride, Activation::relu);
  x = conv_bn_act(builder, prefix + "conv3", x, out_channels, 1, 1, Activation::none);
  const int identity = shortcut(builder, prefix, input, out_channels, stride);
  return builder.add(prefix + "add", identity, x, Activation::relu);
}

int classifier_head(NetworkBuilder& builder, int input, int head_channels, Activation activation,
                    int num_classes) {
  int x = input;
  if (head_channels > 0) x = conv_bn_act(builder, "head", x, head_channels, 1, 1, activation);
  x = builder.global_avg_pool("pool", x);
  return builder.fully_connected("classifier", x, num_classes);
}

Network build_staged_network(const StagedNetworkSpec& spec) {
  NetworkBuilder builder(spec.name, spec.input, spec.num_classes);
  int x = conv_bn_act(builder, "stem", NetworkBuilder::network_input, spec.stem_channels,
                      spec.stem_kernel, spec.stem_stride, spec.stem_activation);
  for (std::size_t s = 0; s < spec.stages.size(); ++s) {
    const StageSpec& stage = spec.stages[s];
    for (int b = 0; b < stage.layers; ++b) {
      BlockSpec block = stage.block;
      if (b > 0) {
        block.stride = 1;
        block.expand_from = 0;
      }
      const std::string prefix = "s" + std::to_string(s + 1) + ".b" + std::to_string(b + 1) + ".";
      x = inverted_block(builder, prefix, x, block);
    }
  }
  classifier_head(builder, x, spec.head_channels, spec.head_activation, spec.num_classes);
  return builder.finish();
}

}  // namespace tandem
