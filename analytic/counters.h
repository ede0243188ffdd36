// The activity counters of docs/isa.md as a fixed array indexed by CSR address
// (isa::counter::Index), so that the analytic model's inner loop adds to array slots instead of
// looking names up in a map.
#pragma once

#include <array>
#include <cstdint>

#include "core/isa.h"

namespace tandem::analytic {

namespace counter = isa::counter;
using Counters = std::array<std::uint64_t, isa::counter::count>;

}  // namespace tandem::analytic
