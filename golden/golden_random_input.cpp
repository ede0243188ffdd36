// A deterministic random network input for tests and co-simulation runs.
#include <random>

#include "core/random.h"
#include "golden/golden.h"

namespace tandem {

Tensor8 random_input(const Network& net, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Tensor8 input = Tensor8::zeros(net.input);
  for (auto& value : input.data) value = static_cast<std::int8_t>(uniform_index(rng, 256) - 128);
  return input;
}

}  // namespace tandem
