// A SCALE-Sim .cfg as the accelerator of a command (`tandem simulate --scalesim-config`, `tandem
// config from-scalesim`): what became of each key on `notes`, and the clock set to the timing
// model's Fmax, since SCALE-Sim counts cycles and has no clock, so that latencies are honest.
#pragma once

#include <algorithm>
#include <ostream>
#include <string>

#include "core/scalesim_config.h"
#include "cost/cost.h"

namespace tandem::cli {

inline AcceleratorConfig load_scalesim_accelerator(const std::string& file, std::ostream& notes) {
  ScaleSimConfig scalesim = load_scalesim_config(file);
  for (const std::string& note : scalesim.notes) notes << file << ": " << note << "\n";
  const ParamSpec& clock = *find_param("clock_mhz");
  scalesim.accelerator.clock_mhz = static_cast<int>(std::clamp<std::int64_t>(
      static_cast<std::int64_t>(estimate_clock(scalesim.accelerator).fmax_mhz), clock.min, clock.max));
  notes << file << ": no clock in SCALE-Sim -> clock_mhz " << scalesim.accelerator.clock_mhz
        << " (the timing model's Fmax for this configuration)\n";
  return scalesim.accelerator;
}

}  // namespace tandem::cli
