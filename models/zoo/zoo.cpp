#include <algorithm>

#include "models/zoo/families.h"

namespace tandem {

namespace zoo {
StageSpec stage(BlockType type, int kernel, int expansion, int out_channels, int layers, int stride,
                Activation activation, bool skip) {
  StageSpec spec;
  spec.block.type = type;
  spec.block.kernel = kernel;
  spec.block.expansion = expansion;
  spec.block.out_channels = out_channels;
  spec.block.stride = stride;
  spec.block.activation = activation;
  spec.block.skip = skip;
  spec.layers = layers;
  return spec;
}
}  // namespace zoo

namespace {
std::vector<ZooModel> collect() {
  std::vector<ZooModel> all;
  for (auto family : {zoo::mobilenet_models, zoo::mnasnet_models, zoo::efficientnet_models,
                      zoo::resnet_models}) {
    for (auto& model : family()) all.push_back(std::move(model));
  }
  // ImageNet models first, then proxies; each group by name.
  std::stable_sort(all.begin(), all.end(), [](const ZooModel& a, const ZooModel& b) {
    const bool a_proxy = a.name.rfind("proxy_", 0) == 0;
    const bool b_proxy = b.name.rfind("proxy_", 0) == 0;
    return a_proxy != b_proxy ? b_proxy : a.name < b.name;
  });
  return all;
}
}  // namespace

const std::vector<ZooModel>& zoo_models() {
  static const std::vector<ZooModel> models = collect();
  return models;
}

const ZooModel* find_zoo_model(const std::string& name) {
  for (const auto& model : zoo_models()) {
    if (model.name == name) return &model;
  }
  return nullptr;
}

std::vector<std::string> zoo_model_names() {
  std::vector<std::string> names;
  for (const auto& model : zoo_models()) names.push_back(model.name);
  return names;
}

}  // namespace tandem
