#include "core/accelerator_sampling.h"

#include <stdexcept>

#include "core/random.h"

namespace tandem {

namespace {

std::int64_t sample_value(const ParamSpec& param, std::mt19937_64& rng, SampleRange range) {
  if (range == SampleRange::search_values) {
    return param.search_values[static_cast<std::size_t>(
        uniform_index(rng, static_cast<int>(param.search_values.size())))];
  }
  if (param.power_of_two) {
    std::vector<std::int64_t> powers;
    for (std::int64_t v = 1; v <= param.max; v *= 2) {
      if (v >= param.min) powers.push_back(v);
    }
    return powers[static_cast<std::size_t>(uniform_index(rng, static_cast<int>(powers.size())))];
  }
  return param.min + uniform_index(rng, static_cast<int>(param.max - param.min + 1));
}

}  // namespace

AcceleratorConfig sample_accelerator(std::mt19937_64& rng, SampleRange range) {
  for (int attempt = 0; attempt < 10000; ++attempt) {
    AcceleratorConfig config;
    for (const auto& param : accelerator_space()) param.set(config, sample_value(param, rng, range));
    if (validate(config).empty()) return config;
  }
  throw std::runtime_error("no valid accelerator configuration found in 10000 samples");
}

}  // namespace tandem
