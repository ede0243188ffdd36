#include "core/accelerator_geometry.h"

#include <algorithm>

namespace tandem {

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
  return geometry;
}

}  // namespace tandem
