// t_scalesim_topologies (slow): every SCALE-Sim topology carried as test data simulates with
// every row mapped, on SCALE-Sim's own eyeriss and scale configurations (analytic). UNet_2d.csv
// is left to bench/scalesim_topologies (its 2048x2048 rows take minutes and gigabytes, see
// docs/results.md); the fast suite loads it.
#include <catch2/catch.hpp>

#include <filesystem>

#include "core/scalesim_config.h"
#include "models/network_io.h"
#include "sim/network_simulation.h"

using namespace tandem;

TEST_CASE("t_scalesim_topologies: SCALE-Sim's topologies simulate on SCALE-Sim's configurations", "[scalesim]") {
  for (const std::string cfg : {"eyeriss.cfg", "scale.cfg"}) {
    const AcceleratorConfig config = load_scalesim_config("tests/data/scalesim/configs/" + cfg).accelerator;
    for (const auto& entry : std::filesystem::directory_iterator("tests/data/scalesim/topologies")) {
      if (entry.path().filename() == "UNet_2d.csv") continue;
      INFO(cfg << " " << entry.path());
      const Workload workload = load_workload(entry.path().string());
      const NetworkMetrics metrics = simulate_workload(workload, config, SimulationOptions{});
      REQUIRE(metrics.layers.size() == workload.networks.size());
      for (const LayerMetrics& layer : metrics.layers) {
        INFO(layer.name << ": " << layer.error);
        CHECK(layer.ok());
        // No more MACs per cycle than the array has PEs.
        CHECK(static_cast<double>(layer.macs) <=
              static_cast<double>(layer.cycles) * config.array.rows * config.array.cols);
      }
      CHECK(metrics.total_macs() == total_macs(workload));
    }
  }
}
