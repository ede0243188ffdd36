#include "core/accelerator_geometry.h"

#include <algorithm>

namespace tandem {

int dma_group_words(int word_bytes, int banks, int bytes_per_cycle) {
  int group = 1;
  while (group * 2 <= banks && group * 2 * word_bytes <= bytes_per_cycle) group *= 2;
  return group;
}

double BufferGeometry::dma_requests_per_word(int bytes_per_cycle) const {
  if (dma_group > 1) return 1.0 / dma_group;
  return static_cast<double>((word_bytes + bytes_per_cycle - 1) / bytes_per_cycle);
}

AcceleratorGeometry accelerator_geometry(const AcceleratorConfig& config) {
  const int rows = config.array.rows;
  const int cols = config.array.cols;
  const int accumulator_bytes = config.precision.accumulator_bits / 8;
  AcceleratorGeometry geometry;
  geometry.ibuf = {rows, rows, config.buffers.input_kib * 1024 / rows};
  geometry.wbuf = {cols, cols, config.buffers.weight_kib * 1024 / cols};
  geometry.obuf = {accumulator_bytes * cols, cols,
                   config.buffers.output_kib * 1024 / (accumulator_bytes * cols)};
  // Two channel blocks of parameters, so that the next block loads while one is in use.
  geometry.param = {12, 1, 2 * std::max(rows, cols)};
  geometry.banks = config.buffers.banks;
  const int bpc = config.dram.bytes_per_cycle;
  for (BufferGeometry* b : {&geometry.ibuf, &geometry.wbuf, &geometry.obuf}) {
    b->dma_group = dma_group_words(b->word_bytes, geometry.banks, bpc);
  }
  geometry.narrow_dma_group = dma_group_words(cols, geometry.banks, bpc);  // PARAM: one bank
  return geometry;
}

}  // namespace tandem
