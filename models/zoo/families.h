// Internal: each zoo family file contributes its models; zoo.cpp concatenates them. (A static
// library drops self-registering objects nothing references, so the list is explicit.)
#pragma once

#include <vector>

#include "models/network_builder.h"
#include "models/zoo.h"

namespace tandem::zoo {

std::vector<ZooModel> mobilenet_models();
std::vector<ZooModel> mnasnet_models();
std::vector<ZooModel> efficientnet_models();
std::vector<ZooModel> resnet_models();

// The shapes every zoo and space network uses.
inline TensorShape imagenet_input() { return {224, 224, 3}; }
constexpr int imagenet_classes = 1000;
inline TensorShape proxy_input() { return {28, 28, 1}; }  // Fashion-MNIST
constexpr int proxy_classes = 10;

// A stage of identical blocks; only the first strides.
StageSpec stage(BlockType type, int kernel, int expansion, int out_channels, int layers, int stride,
                Activation activation, bool skip = true);

}  // namespace tandem::zoo
