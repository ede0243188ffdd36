#include "core/random.h"

#include <cstdint>
#include <limits>

namespace tandem {

int uniform_index(std::mt19937_64& rng, int n) {
  if (n <= 1) return 0;
  const std::uint64_t range = static_cast<std::uint64_t>(n);
  // Reject the top partial block so that every residue is equally likely.
  const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() -
                              std::numeric_limits<std::uint64_t>::max() % range;
  std::uint64_t draw = rng();
  while (draw >= limit) draw = rng();
  return static_cast<int>(draw % range);
}

}  // namespace tandem
