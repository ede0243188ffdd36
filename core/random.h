// Deterministic random choices: the same seed gives the same study on every standard library.
#pragma once

#include <random>

namespace tandem {

// A uniform integer in [0, n) from a 64-bit generator, the same on every standard library
// (unlike std::uniform_int_distribution): rejection sampling on the raw output.
int uniform_index(std::mt19937_64& rng, int n);

}  // namespace tandem
