// SCALE-Sim v2 configuration files (`.cfg`, an INI file: [general] run_name, [architecture_presets]
// ArrayHeight/ArrayWidth, Ifmap/Filter/OfmapSramSzkB, Dataflow, Bandwidth, ..., [run_presets]
// InterfaceBandwidth) read into tandem's accelerator configuration, so that a SCALE-Sim user runs
// `tandem simulate --scalesim-config tpu.cfg --topology net.csv` with the files they have.
//
// The mapping (docs/networks.md has the table): ArrayHeight/Width -> array.rows/cols;
// Ifmap/Filter/OfmapSramSzkB -> buffers.input/weight/output_kib and, with InterfaceBandwidth
// USER only (SCALE-Sim ignores it under CALC), Bandwidth (words per cycle, one byte per int8
// word; the least of a per-bank list) -> dram.bytes_per_cycle, each rounded down to the power of
// two tandem's generator builds (never more than the file declares; the note says so); Dataflow
// ws/os -> weight_/output_stationary. Keys without a counterpart (the trace offsets, MemoryBanks,
// anything else) are listed in `notes` as ignored, never silently dropped; a mapped key the file
// lacks keeps tandem's default, and the note says so.
// SCALE-Sim has no clock: `accelerator.clock_mhz` keeps tandem's default, and the commands set the
// timing model's Fmax (cli/scalesim_accelerator.h).
// A value tandem cannot build (a 256x256 array, input-stationary dataflow) is an InputError
// naming file:line, the key and tandem's valid range.
#pragma once

#include <string>
#include <vector>

#include "core/accelerator_config.h"

namespace tandem {

struct ScaleSimConfig {
  AcceleratorConfig accelerator;  // tandem's defaults where the file has no counterpart
  std::string run_name;           // [general] run_name, if any
  // One line per key of the file and per tandem parameter left at its default: what became of it.
  std::vector<std::string> notes;
};

ScaleSimConfig parse_scalesim_config(const std::string& text, const std::string& file);
ScaleSimConfig load_scalesim_config(const std::string& file);

}  // namespace tandem
