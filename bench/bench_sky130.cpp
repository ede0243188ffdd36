// bench_sky130: the sky130 sweep table (docs/results.md "Timing closure"). For each package
// directory given (exported by `tandem export`, synthesized by `tandem synth --target sky130`;
// scripts/sky130-sweep.sh makes them), prints the measured cells, area by unit, critical path
// and Fmax next to the timing model's Fmax and the area model's logic area by unit, then the
// models' errors and correlations.
//
//   bench_sky130 out/sky130-sweep/*/
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bench/statistics.h"
#include "core/accelerator_yaml.h"
#include "core/files.h"
#include "cost/cost.h"

using namespace tandem;

namespace {

double component(const nlohmann::json& parts, const char* name) {
  return parts.contains(name) ? parts[name].get<double>() : 0.0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_sky130 PACKAGE_DIR...  (each with synth_sky130.json)\n");
    return 2;
  }
  std::printf("%-24s %8s %10s %9s %9s %9s %9s | %8s %8s %7s | %9s %9s %9s\n", "configuration", "cells",
              "area um2", "array", "vector", "dma", "control", "Fmax", "model", "err %", "array x", "vector x",
              "total x");
  std::vector<double> measured_ns, model_ns, measured_area, model_area;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path dir = argv[i];
    if (!std::filesystem::exists(dir / "synth_sky130.json")) {  // a sweep run that failed
      std::fprintf(stderr, "%s: no synth_sky130.json (run tandem synth --target sky130 on it), skipped\n",
                   dir.string().c_str());
      continue;
    }
    const auto manifest = nlohmann::json::parse(read_file(dir / "manifest.json"));
    const auto synth = nlohmann::json::parse(read_file(dir / "synth_sky130.json"));
    const AcceleratorConfig config = accelerator_from_json(manifest.at("accelerator"));
    const ClockEstimate clock = estimate_clock(config);
    const AreaBreakdown area = estimate_area(config, default_technology());
    const auto& parts = synth.at("area_by_component_um2");
    const double array = component(parts, "tandem_array_unit");
    const double vector = component(parts, "tandem_vector_unit");
    const double control = component(parts, "tandem_controller") + component(parts, "tandem_core (own logic)");
    const double fmax = synth.at("fmax_mhz").get<double>();
    const std::string name = std::to_string(config.array.rows) + "x" + std::to_string(config.array.cols) +
                             (config.array.dataflow == Dataflow::weight_stationary ? " WS" : " OS") + " L" +
                             std::to_string(config.vector.lanes) + " b" + std::to_string(config.buffers.banks) +
                             " BPC" + std::to_string(config.dram.bytes_per_cycle);
    // Model areas are the 45 nm technology's mm^2; the ratios are sky130 um^2 per modelled um^2.
    std::printf("%-24s %8lld %10.0f %9.0f %9.0f %9.0f %9.0f | %8.1f %8.1f %7.1f | %9.2f %9.2f %9.2f\n", name.c_str(),
                synth.at("cells").get<long long>(), synth.at("area_um2").get<double>(), array, vector,
                component(parts, "tandem_dma"), control, fmax, clock.fmax_mhz, 100 * (clock.fmax_mhz / fmax - 1),
                array / (1e6 * (area.array + area.requantizer)), vector / (1e6 * area.vector),
                synth.at("area_um2").get<double>() / (1e6 * area.logic()));
    measured_ns.push_back(synth.at("critical_path_ns").get<double>());
    model_ns.push_back(clock.critical_path_ns);
    measured_area.push_back(synth.at("area_um2").get<double>());
    model_area.push_back(area.logic());
  }
  if (measured_ns.size() >= 2) {
    std::printf("correlation: critical path (model, measured) %.3f; logic area (model, measured) %.3f\n",
                bench::correlation(model_ns, measured_ns), bench::correlation(model_area, measured_area));
  }
  return 0;
}
