// ResNet-18 and ResNet-50 (He et al. 2016, torchvision v1.5 layout), and a basic-block proxy.
#include "models/zoo/families.h"

namespace tandem::zoo {

namespace {

enum class ResidualKind { basic, bottleneck };

struct ResNetSpec {
  std::string name;
  TensorShape input;
  int classes;
  int stem_channels, stem_kernel, stem_stride;
  bool stem_max_pool;
  ResidualKind kind;
  std::vector<int> widths;  // basic: block output; bottleneck: mid width (output 4x)
  std::vector<int> blocks;
  std::vector<int> strides;
};

Network build_resnet(const ResNetSpec& spec) {
  NetworkBuilder builder(spec.name, spec.input, spec.classes);
  int x = conv_bn_act(builder, "stem", NetworkBuilder::network_input, spec.stem_channels,
                      spec.stem_kernel, spec.stem_stride, Activation::relu);
  if (spec.stem_max_pool) x = builder.pool("stem_pool", LayerKind::max_pool, x, 3, 2);
  for (std::size_t s = 0; s < spec.widths.size(); ++s) {
    for (int b = 0; b < spec.blocks[s]; ++b) {
      const std::string prefix = "s" + std::to_string(s + 1) + ".b" + std::to_string(b + 1) + ".";
      const int stride = b == 0 ? spec.strides[s] : 1;
      x = spec.kind == ResidualKind::basic
              ? basic_residual_block(builder, prefix, x, spec.widths[s], stride)
              : bottleneck_residual_block(builder, prefix, x, spec.widths[s], stride);
    }
  }
  classifier_head(builder, x, 0, Activation::none, spec.classes);
  return builder.finish();
}

}  // namespace

std::vector<ZooModel> resnet_models() {
  const auto basic = ResidualKind::basic;
  const auto bottleneck = ResidualKind::bottleneck;
  return {
      {"resnet18", "ResNet-18 at 224: basic residual blocks [2,2,2,2]",
       "He et al. 2016, arXiv:1512.03385, Table 1; torchvision resnet18",
       [=] {
         return build_resnet({"resnet18", imagenet_input(), imagenet_classes, 64, 7, 2, true, basic,
                              {64, 128, 256, 512}, {2, 2, 2, 2}, {1, 2, 2, 2}});
       }},
      {"resnet50", "ResNet-50 v1.5 at 224: bottleneck blocks [3,4,6,3], stride in the 3x3 conv",
       "He et al. 2016, arXiv:1512.03385, Table 1; torchvision resnet50 (v1.5)",
       [=] {
         return build_resnet({"resnet50", imagenet_input(), imagenet_classes, 64, 7, 2, true,
                              bottleneck, {64, 128, 256, 512}, {3, 4, 6, 3}, {1, 2, 2, 2}});
       }},
      {"proxy_resnet", "ResNet basic blocks on the 28x28x1 proxy skeleton (10 classes)",
       "this repository (docs/networks.md, proxy skeleton)",
       [=] {
         return build_resnet({"proxy_resnet", proxy_input(), proxy_classes, 16, 3, 1, false, basic,
                              {16, 24, 40, 80}, {1, 1, 1, 1}, {1, 2, 2, 1}});
       }},
  };
}

}  // namespace tandem::zoo
