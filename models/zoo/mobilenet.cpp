// MobileNetV1 (Howard et al. 2017) and MobileNetV2 (Sandler et al. 2018), and their 28x28 proxies.
#include "models/zoo/families.h"

namespace tandem::zoo {

namespace {

constexpr auto relu6 = Activation::relu6;

struct SeparableStage {
  int width, layers, stride;
};

// MobileNetV1 has no head conv: the last separable block feeds the pool. The paper's table
// lists the last depthwise conv with stride 2, but it runs on 7x7 with stride 1 (as every
// implementation does), which is what the published 569M MACs count.
StagedNetworkSpec mobilenet_v1(const std::string& name, TensorShape input, int classes,
                               int stem_channels, int stem_stride,
                               const std::vector<SeparableStage>& stages) {
  StagedNetworkSpec spec{name, input, classes, stem_channels, 3, stem_stride, relu6, {}, 0, relu6};
  for (const auto& s : stages) {
    spec.stages.push_back(stage(BlockType::separable, 3, 1, s.width, s.layers, s.stride, relu6, false));
  }
  return spec;
}

StagedNetworkSpec mobilenet_v2(const std::string& name, TensorShape input, int classes,
                               int stem_channels, int stem_stride, std::vector<StageSpec> stages,
                               int head_channels) {
  return {name, input, classes, stem_channels, 3, stem_stride, relu6, std::move(stages),
          head_channels, relu6};
}

}  // namespace

std::vector<ZooModel> mobilenet_models() {
  const auto mb = BlockType::mbconv;
  const std::vector<SeparableStage> v1_stages = {
      {64, 1, 1}, {128, 2, 2}, {256, 2, 2}, {512, 6, 2}, {1024, 2, 2}};
  const std::vector<SeparableStage> v1_proxy_stages = {{16, 1, 1}, {24, 2, 2}, {40, 2, 2}, {80, 2, 1}};
  return {
      {"mobilenet_v1", "MobileNetV1 1.0-224: 13 depthwise-separable blocks, ReLU6",
       "Howard et al. 2017, arXiv:1704.04861, Table 1",
       [=] {
         return build_staged_network(
             mobilenet_v1("mobilenet_v1", imagenet_input(), imagenet_classes, 32, 2, v1_stages));
       }},
      {"mobilenet_v2", "MobileNetV2 1.0-224: inverted residuals with linear bottlenecks, ReLU6",
       "Sandler et al. 2018, arXiv:1801.04381, Table 2",
       [=] {
         return build_staged_network(mobilenet_v2(
             "mobilenet_v2", imagenet_input(), imagenet_classes, 32, 2,
             {stage(mb, 3, 1, 16, 1, 1, relu6), stage(mb, 3, 6, 24, 2, 2, relu6),
              stage(mb, 3, 6, 32, 3, 2, relu6), stage(mb, 3, 6, 64, 4, 2, relu6),
              stage(mb, 3, 6, 96, 3, 1, relu6), stage(mb, 3, 6, 160, 3, 2, relu6),
              stage(mb, 3, 6, 320, 1, 1, relu6)},
             1280));
       }},
      {"proxy_mobilenet_v1", "MobileNetV1 blocks on the 28x28x1 proxy skeleton (10 classes)",
       "this repository (docs/networks.md, proxy skeleton)",
       [=] {
         return build_staged_network(mobilenet_v1("proxy_mobilenet_v1", proxy_input(),
                                                  proxy_classes, 16, 1, v1_proxy_stages));
       }},
      {"proxy_mobilenet_v2", "MobileNetV2 blocks on the 28x28x1 proxy skeleton (10 classes)",
       "this repository (docs/networks.md, proxy skeleton)",
       [=] {
         return build_staged_network(mobilenet_v2(
             "proxy_mobilenet_v2", proxy_input(), proxy_classes, 16, 1,
             {stage(mb, 3, 1, 16, 1, 1, relu6), stage(mb, 3, 6, 24, 2, 2, relu6),
              stage(mb, 3, 6, 40, 2, 2, relu6), stage(mb, 3, 6, 80, 2, 1, relu6)},
             256));
       }},
  };
}

}  // namespace tandem::zoo
