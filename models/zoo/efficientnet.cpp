// EfficientNet-B0 as the edge variants run it, and EfficientNet-EdgeTPU-S, plus a proxy.
#include "models/zoo/families.h"

namespace tandem::zoo {

std::vector<ZooModel> efficientnet_models() {
  const auto mb = BlockType::mbconv;
  const auto fused = BlockType::fused_mbconv;
  const auto relu = Activation::relu;
  const auto relu6 = Activation::relu6;
  return {
      {"efficientnet_b0", "EfficientNet-B0 layout without squeeze-excite, ReLU6 instead of swish "
                          "(= EfficientNet-Lite0)",
       "Tan & Le 2019, arXiv:1905.11946, Table 1; tensorflow/tpu efficientnet/lite",
       [=] {
         StagedNetworkSpec spec{
             "efficientnet_b0", imagenet_input(), imagenet_classes, 32, 3, 2, relu6,
             {stage(mb, 3, 1, 16, 1, 1, relu6), stage(mb, 3, 6, 24, 2, 2, relu6),
              stage(mb, 5, 6, 40, 2, 2, relu6), stage(mb, 3, 6, 80, 3, 2, relu6),
              stage(mb, 5, 6, 112, 3, 1, relu6), stage(mb, 5, 6, 192, 4, 2, relu6),
              stage(mb, 3, 6, 320, 1, 1, relu6)},
             1280, relu6};
         return build_staged_network(spec);
       }},
      {"efficientnet_edgetpu_s", "EfficientNet-EdgeTPU-S: fused-MBConv in the early stages, ReLU",
       "Gupta & Tan 2019 (Google AI blog); tensorflow/tpu efficientnet/edgetpu; timm efficientnet_es",
       [=] {
         StageSpec first = stage(fused, 3, 4, 24, 1, 1, relu, false);
         first.block.expand_from = 24;  // expands 32 -> 96 as the reference does
         StagedNetworkSpec spec{
             "efficientnet_edgetpu_s", imagenet_input(), imagenet_classes, 32, 3, 2, relu,
             {first, stage(fused, 3, 8, 32, 2, 2, relu), stage(fused, 3, 8, 48, 4, 2, relu),
              stage(mb, 5, 8, 96, 5, 2, relu), stage(mb, 5, 8, 144, 4, 1, relu),
              stage(mb, 5, 8, 192, 2, 2, relu)},
             1280, relu};
         return build_staged_network(spec);
       }},
      {"proxy_edgetpu", "EdgeTPU-style fused-MBConv then MBConv on the 28x28x1 proxy skeleton",
       "this repository (docs/networks.md, proxy skeleton)",
       [=] {
         StagedNetworkSpec spec{
             "proxy_edgetpu", proxy_input(), proxy_classes, 16, 3, 1, relu,
             {stage(fused, 3, 4, 16, 1, 1, relu, false), stage(fused, 3, 4, 24, 2, 2, relu),
              stage(mb, 5, 6, 40, 2, 2, relu), stage(mb, 3, 6, 80, 2, 1, relu)},
             256, relu};
         return build_staged_network(spec);
       }},
  };
}

}  // namespace tandem::zoo
