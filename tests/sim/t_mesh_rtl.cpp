// t_mesh (RTL cases, label rtl): random layers on meshes of 1x2, 2x1 and 2x2 small cores (docs/mesh.md), run on
// the generated mesh RTL in co-simulation: bit-exact against the golden reference, and the
// analytic model equal to the RTL on cycles and every exact counter (evaluator "both").
#include <random>
#include <string>

#include <catch2/catch.hpp>

#include "random_layers.h"
#include "rtl_checks.h"
#include "cosim/rtl_cosim.h"
#include "sim/network_simulation.h"

using namespace tandem;

TEST_CASE("t_mesh: random layers on meshes of small cores are bit-exact and cycle-equal", "[mesh][rtl]") {
  const AcceleratorConfig meshes[] = {test::small_mesh(1, 2),
                                      test::small_mesh(2, 1, Dataflow::output_stationary),
                                      test::small_mesh(2, 2)};
  std::uint64_t seed = 40;
  for (const AcceleratorConfig& config : meshes) {
    INFO("mesh " << config.mesh.x << "x" << config.mesh.y << " " << dataflow_name(config.array.dataflow));
    std::mt19937_64 rng(++seed);
    int checked = 0;
    for (int i = 0; i < 10; ++i) {
      const Network net = test::random_layer_network(rng, static_cast<int>(seed) * 1000 + i);
      SimulationOptions options = test::both_evaluator_options();
      options.seed = seed + static_cast<std::uint64_t>(i);
      NetworkMetrics metrics = simulate_network(net, config, options);
      // Layers these 4 KiB cores cannot hold are refused, never run wrong: leave them out.
      std::vector<LayerMetrics> mapped;
      for (const LayerMetrics& layer : metrics.layers) {
        if (layer.error.rfind("cannot be mapped", 0) != 0) mapped.push_back(layer);
      }
      checked += static_cast<int>(mapped.size());
      metrics.layers = mapped;
      test::check_bit_exact_and_cycle_equal(metrics);
    }
    CHECK(checked >= 8);
  }
}

TEST_CASE("t_mesh: a core's bad DRAM access stops the mesh with a diagnosis naming the core", "[mesh][rtl]") {
  MeshProgram mesh = test::conv_on_mesh(test::small_mesh(1, 2), {6, 5, 3}, 5, 9).program;
  REQUIRE(mesh.cores.size() == 2);
  // Core 1's first load reads far past the DRAM.
  isa::Instruction& load = mesh.cores[1].instructions.front();
  REQUIRE(load.opcode() == isa::Opcode::load);
  load.set(isa::field::dram_addr, 0x7ff00000);
  CosimOptions options = test::both_evaluator_options().cosim;
  const CosimResult result = run_rtl_cosim(mesh, options);
  CHECK_FALSE(result.ok);
  CHECK(result.status == "error");
  CHECK_THAT(result.diagnosis, Catch::StartsWith("core 1: DMA read request of"));
  CHECK_THAT(result.diagnosis, Catch::Contains("outside DRAM"));
  CHECK_THAT(result.diagnosis, Catch::Contains("; core 1 (busy units:"));
}
