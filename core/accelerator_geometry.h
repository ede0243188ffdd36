// Quantities derived from an AcceleratorConfig that the RTL, the compiler and the analytic
// model must agree on (docs/isa.md, "Storage"). Computed in one place.
#pragma once

#include "core/accelerator_config.h"

namespace tandem {

struct BufferGeometry {
  int word_bytes = 0;  // bytes per word
  int elements = 0;    // elements per word
  int depth = 0;       // words
  int dma_group = 1;   // words one DRAM request moves (dma_group_words)
  // DRAM requests per word of a long transfer: 1/dma_group, or ceil(word_bytes/BPC) for words
  // wider than a request. For estimates; the analytic model counts requests per row exactly.
  double dma_requests_per_word(int bytes_per_cycle) const;
};

struct AcceleratorGeometry {
  BufferGeometry ibuf;   // R x int8
  BufferGeometry wbuf;   // C x int8
  BufferGeometry obuf;   // C x int32
  BufferGeometry param;  // one entry (bias, multiplier, shift) per word
  int banks = 1;
  int narrow_dma_group = 1;  // OBUF words per request of a narrow STORE (C bytes each)
};

// Words one DMA request moves between DRAM and a buffer of `banks` banks whose words are
// `word_bytes` wide (docs/isa.md, LOAD/STORE; tandem_core.v group_words): the largest power of
// two <= banks whose words fit `bytes_per_cycle` bytes, at least 1. Consecutive words lie in
// different banks, so a group is written or read in one cycle.
int dma_group_words(int word_bytes, int banks, int bytes_per_cycle);

AcceleratorGeometry accelerator_geometry(const AcceleratorConfig& config);

}  // namespace tandem
