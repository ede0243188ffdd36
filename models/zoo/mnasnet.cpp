// MnasNet-A1 (Tan et al. 2019) without squeeze-and-excite: the accelerator's vector unit has no
// sigmoid, so the SE blocks of stages 3, 5 and 6 are left out (everything else as published).
#include "models/zoo/families.h"

namespace tandem::zoo {

std::vector<ZooModel> mnasnet_models() {
  const auto mb = BlockType::mbconv;
  const auto relu = Activation::relu;
  return {
      {"mnasnet_a1", "MnasNet-A1 at 224 without squeeze-excite (no sigmoid on the hardware), ReLU",
       "Tan et al. 2019, arXiv:1807.11626, Figure 7; tensorflow/tpu mnasnet_models.py",
       [=] {
         StagedNetworkSpec spec{
             "mnasnet_a1", imagenet_input(), imagenet_classes, 32, 3, 2, relu,
             {stage(mb, 3, 1, 16, 1, 1, relu, false), stage(mb, 3, 6, 24, 2, 2, relu),
              stage(mb, 5, 3, 40, 3, 2, relu), stage(mb, 3, 6, 80, 4, 2, relu),
              stage(mb, 3, 6, 112, 2, 1, relu), stage(mb, 5, 6, 160, 3, 2, relu),
              stage(mb, 3, 6, 320, 1, 1, relu)},
             1280, relu};
         return build_staged_network(spec);
       }},
  };
}

}  // namespace tandem::zoo
