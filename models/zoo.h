// The model zoo: reference networks built in code from the shared blocks (network_builder.h).
// Zoo networks carry no quantization; training fills it in later.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "models/network.h"

namespace tandem {

struct ZooModel {
  std::string name;         // what `tandem model show zoo:NAME` takes
  std::string description;  // one line
  std::string reference;    // the paper or implementation it follows
  std::function<Network()> build;
};

// Every zoo model, 224x224 ImageNet models first, then the 28x28x1 proxies.
const std::vector<ZooModel>& zoo_models();
// nullptr when no model has that name.
const ZooModel* find_zoo_model(const std::string& name);
std::vector<std::string> zoo_model_names();

}  // namespace tandem
