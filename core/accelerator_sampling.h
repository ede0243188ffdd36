// Random points of the declared accelerator space (tests, search initialization).
#pragma once

#include <random>

#include "core/accelerator_config.h"

namespace tandem {

enum class SampleRange {
  search_values,  // each parameter from its declared search values
  full_range,     // each parameter from every allowed value
};

// A configuration that satisfies every range and constraint (rejection sampling).
AcceleratorConfig sample_accelerator(std::mt19937_64& rng, SampleRange range);

}  // namespace tandem
