// Area model (docs/energy-area.md): per-component area of an accelerator configuration from a
// technology's per-unit areas (PEs by bit widths, SRAM per bit and per bank, vector lanes,
// controller and DMA). Scratchpads are SRAM macros; everything else is standard-cell logic.
#pragma once

#include <map>
#include <string>

#include "core/accelerator_config.h"
#include "sim/technology.h"

namespace tandem {

struct AreaBreakdown {  // mm^2
  double array = 0;    // R x C PEs: int8 multiplier, int32 adder, 48 bits of registers each
  double ibuf = 0, wbuf = 0, obuf = 0, param = 0;  // SRAM macros, one per bank
  double vector = 0;   // lanes and the per-element registers of the vector unit
  double control = 0;  // controller, instruction register, activity counters
  double dma = 0;      // DMA engine and its word queue

  double buffers() const { return ibuf + wbuf + obuf + param; }
  double logic() const { return array + vector + control + dma; }  // standard cells only
  double total() const { return logic() + buffers(); }
  std::map<std::string, double> components() const;  // by name, for reports
};

AreaBreakdown estimate_area(const AcceleratorConfig& config, const Technology& technology);

}  // namespace tandem
