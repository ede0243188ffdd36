// t_mesh: layers split across a mesh of cores (docs/mesh.md), without RTL: every core's
// program, run on the functional executor, assembles the golden output; a 1x1 mesh is exactly
// one core; the split follows the layer's shape; the mesh's analytic figures are its cores'.
// The RTL side is t_mesh_rtl.
#include <algorithm>
#include <filesystem>
#include <random>

#include <catch2/catch.hpp>

#include "random_layers.h"
#include "rtl_checks.h"
#include "analytic/analytic_model.h"
#include "compiler/compiler.h"
#include "golden/golden.h"
#include "sim/network_simulation.h"

using namespace tandem;

namespace {

using test::small_mesh;

// Calls check(layer, inputs, golden output) for `count` seeded random one-layer networks.
template <typename Check>
void for_random_layers(std::uint64_t seed, int count, Check check) {
  std::mt19937_64 rng(seed);
  for (int i = 0; i < count; ++i) {
    const Network net = test::random_layer_network(rng, static_cast<int>(seed) * 1000 + i);
    const Tensor8 input = random_input(net, seed + static_cast<std::uint64_t>(i));
    const std::vector<Tensor8> golden = golden_network(net, input);
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
      const Layer& layer = net.layers[l];
      INFO("layer " << i << " " << layer.name << " (" << layer_kind_name(layer.kind) << ") in "
                    << layer.input_shapes[0].to_string() << " out " << layer.output.to_string()
                    << " kernel " << layer.kernel_h << " stride " << layer.stride_h);
      check(layer, layer_inputs(layer, input, golden), golden[l]);
    }
  }
}

}  // namespace

TEST_CASE("t_mesh: a 1x1 mesh compiles exactly one core's program", "[mesh][fast]") {
  const AcceleratorConfig config = test::small_rtl_accelerator();
  for_random_layers(11, 12, [&](const Layer& layer, const std::vector<const Tensor8*>& inputs, const Tensor8&) {
    const MeshProgram mesh = compile_layer_on_mesh(layer, inputs, config);
    const Program single = compile_layer(layer, inputs, config);
    REQUIRE(mesh.cores.size() == 1);
    CHECK(mesh.cores[0].instructions == single.instructions);
    CHECK(evaluate_analytic(mesh).counters == evaluate_analytic(single).counters);
  });
}

TEST_CASE("t_mesh: every core's part, run on the functional executor, assembles the golden output", "[mesh][fast]") {
  const AcceleratorConfig meshes[] = {small_mesh(1, 2), small_mesh(2, 1, Dataflow::output_stationary),
                                      small_mesh(2, 2), small_mesh(3, 1), small_mesh(2, 3)};
  std::uint64_t seed = 20;
  for (const AcceleratorConfig& config : meshes) {
    INFO("mesh " << config.mesh.x << "x" << config.mesh.y << " " << dataflow_name(config.array.dataflow));
    for_random_layers(++seed, 24, [&](const Layer& layer, const std::vector<const Tensor8*>& inputs,
                                      const Tensor8& golden) {
      MeshProgram mesh;
      try {
        mesh = compile_layer_on_mesh(layer, inputs, config);
      } catch (const MappingError&) {
        CHECK(mapping_problem(layer, config));  // the planner says so too
        return;
      }
      CHECK_FALSE(mapping_problem(layer, config));
      REQUIRE(mesh.cores.size() == static_cast<std::size_t>(mesh_cores(config)));
      std::vector<std::vector<std::uint8_t>> regions;
      for (const Program& core : mesh.cores) {
        CHECK(core.config == core_config(config));
        if (core.instructions.empty()) continue;  // a core the layer has no part for
        const FunctionalResult result = execute_program(core);
        regions.insert(regions.end(), result.outputs.begin(), result.outputs.end());
      }
      CHECK(decode_mesh_output(layer, mesh, regions).data == golden.data);
      // The cores' DRAM ranges are disjoint.
      for (std::size_t a = 0; a + 1 < mesh.cores.size(); ++a) {
        for (const MemorySegment& s : mesh.cores[a + 1].memory) CHECK(s.address >= mesh.cores[a].dram_bytes);
      }
    });
  }
}

TEST_CASE("t_mesh: the split follows the layer: rows for a tall layer, channels for a flat one", "[mesh][fast]") {
  const AcceleratorConfig config = small_mesh(2, 2);
  NetworkBuilder b("shapes", {32, 8, 8}, 0);
  const int tall = b.conv("tall", NetworkBuilder::network_input, 4, 3, 1, Activation::relu);
  b.fully_connected("fc", tall, 64, Activation::none);
  const Network net = b.finish();
  const MeshSplit rows = choose_mesh_split(net.layers[0], config);
  CHECK(rows.row_bands == 4);  // 4 output channels: one array tile; 32 rows share out evenly
  CHECK(rows.channel_groups == 1);
  const MeshSplit channels = choose_mesh_split(net.layers[1], config);
  CHECK(channels.row_bands == 1);  // a fully connected layer has no rows to split
  CHECK(channels.channel_groups == 4);
  CHECK(choose_mesh_split(net.layers[0], test::small_rtl_accelerator()).row_bands == 1);
}

TEST_CASE("t_mesh: the mesh's analytic figures are its cores': slowest cycles, summed counters", "[mesh][fast]") {
  const test::MeshConv conv = test::conv_on_mesh(small_mesh(3, 1), {2, 9, 5}, 6, 5);  // two rows
  const MeshProgram& mesh = conv.program;
  const AnalyticResult whole = evaluate_analytic(mesh);
  std::uint64_t slowest = 0, macs = 0, busy_cores = 0;
  for (const Program& core : mesh.cores) {
    if (core.instructions.empty()) continue;
    const AnalyticResult part = evaluate_analytic(core);
    slowest = std::max(slowest, part.cycles);
    macs += part.counters.at("macs");
    ++busy_cores;
  }
  CHECK(whole.cycles == slowest);
  CHECK(whole.counters.at("cycles") == slowest);
  CHECK(whole.counters.at("macs") == macs);
  CHECK(macs >= static_cast<std::uint64_t>(tandem::macs(conv.network.layers[0])));  // whole tiles
  CHECK(busy_cores >= 2);
}

TEST_CASE("t_mesh: mesh program files round-trip, and mismatches are refused with the file named", "[mesh][fast]") {
  const AcceleratorConfig config = small_mesh(2, 1);
  const MeshProgram mesh = test::conv_on_mesh(config, {6, 5, 3}, 5, 9).program;
  const std::string dir = std::string(TANDEM_TEST_OUTPUT_DIR) + "/t_mesh";
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/mesh.tpg";
  write_program_file(mesh, path);
  const MeshProgram read = read_mesh_program_file(path);
  CHECK(read.name == mesh.name);
  CHECK(read.config == config);
  REQUIRE(read.cores.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(read.cores[i].instructions == mesh.cores[i].instructions);
    CHECK(read.cores[i].outputs.at(0).address == mesh.cores[i].outputs.at(0).address);
    CHECK(read.cores[i].dram_bytes == mesh.cores[i].dram_bytes);
  }
  CHECK(read.cores[1].memory.front().address >= 4096);  // core 1's data moved past core 0's
  CHECK_THROWS_WITH(read_program_file(path),
                    Catch::Contains("a mesh program file (version 2) where one core's program (version 1) was expected"));

  // A single core's file reads as a mesh of one.
  const std::string single = dir + "/single.tpg";
  write_program_file(mesh.cores[0], single);
  const MeshProgram one = read_mesh_program_file(single);
  REQUIRE(one.cores.size() == 1);
  CHECK(one.config == core_config(config));

  // The cores' count must be the mesh's.
  MeshProgram short_mesh = mesh;
  short_mesh.cores.pop_back();
  write_program_file(short_mesh, path);
  CHECK_THROWS_WITH(read_mesh_program_file(path),
                    path + ": error: the file holds 1 core programs for a mesh of 2x1 cores");
}
