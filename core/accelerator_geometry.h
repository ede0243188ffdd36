// Quantities derived from an AcceleratorConfig that the RTL, the compiler and the analytic
// model must agree on (docs/isa.md, "Storage"). Computed in one place.
#pragma once

#include "core/accelerator_config.h"

namespace tandem {

struct BufferGeometry {
  int word_bytes = 0;  // bytes per word
  int elements = 0;    // elements per word
  int depth = 0;       // words
};

struct AcceleratorGeometry {
  BufferGeometry ibuf;   // R x int8
  BufferGeometry wbuf;   // C x int8
  BufferGeometry obuf;   // C x int32
  BufferGeometry param;  // one entry (bias, multiplier, shift) per word
  int banks = 1;
};

AcceleratorGeometry accelerator_geometry(const AcceleratorConfig& config);

}  // namespace tandem
