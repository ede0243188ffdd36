// Accelerator configurations that cover the corners of the declared space, for RTL tool tests.
#pragma once

#include <string>
#include <vector>

#include "core/accelerator_config.h"

namespace tandem::test {

struct NamedConfig {
  std::string name;
  AcceleratorConfig config;
};

inline AcceleratorConfig make_config(int rows, int cols, Dataflow dataflow, int kib, int banks,
                                     int lanes, int bytes_per_cycle) {
  AcceleratorConfig config;
  config.array = {rows, cols, dataflow};
  config.buffers = {kib, kib, kib, banks};
  config.vector.lanes = lanes;
  config.dram.bytes_per_cycle = bytes_per_cycle;
  return config;
}

// Corners: smallest, a large practical one, non-square both ways, both dataflows, one bank and
// many, one lane and many, non-power-of-two shapes, narrow and wide DRAM.
inline std::vector<NamedConfig> corner_configs() {
  const Dataflow ws = Dataflow::weight_stationary, os = Dataflow::output_stationary;
  return {
      {"smallest_2x2_ws", make_config(2, 2, ws, 1, 1, 1, 1)},
      {"smallest_2x2_os", make_config(2, 2, os, 1, 1, 1, 1)},
      {"large_32x32_os", make_config(32, 32, os, 256, 16, 64, 64)},
      {"wide_4x16_ws", make_config(4, 16, ws, 32, 32, 16, 16)},
      {"tall_16x4_os", make_config(16, 4, os, 32, 1, 4, 8)},
      {"odd_6x12_ws", make_config(6, 12, ws, 16, 4, 64, 128)},
      {"odd_12x6_os", make_config(12, 6, os, 16, 8, 1, 2)},
      {"default_16x16_ws", AcceleratorConfig{}},
  };
}

}  // namespace tandem::test
