// t_layers_sweep: 504 random layers (seeded) over the configuration matrix, both dataflows, on
// the generated RTL, each bit-exact with the golden reference; the functional executor agrees.
// Long: label `slow`.
#include <catch2/catch.hpp>

#include "random_layers.h"
#include "compiler/compiler.h"
#include "golden/golden.h"
#include "cosim/rtl_cosim.h"

using namespace tandem;

namespace {

constexpr int kLayersPerConfig = 84;

AcceleratorConfig config(int rows, int cols, Dataflow dataflow, int kib, int banks, int lanes, int bpc, int latency) {
  AcceleratorConfig c;
  c.array = {rows, cols, dataflow};
  c.buffers = {kib, kib, kib, banks};
  c.vector.lanes = lanes;
  c.dram = {bpc, latency};
  return c;
}

void sweep(const AcceleratorConfig& accel, std::uint64_t seed) {
  CosimOptions options;
  options.cache_dir = TANDEM_COSIM_TEST_CACHE;
  std::mt19937_64 rng(seed);
  int checked = 0, unmappable = 0;
  for (int i = 0; i < kLayersPerConfig; ++i) {
    const Network net = test::random_layer_network(rng, static_cast<int>(seed) * 1000 + i);
    const Tensor8 input = random_input(net, seed + static_cast<std::uint64_t>(i));
    const std::vector<Tensor8> golden = golden_network(net, input);
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
      const Layer& layer = net.layers[l];
      INFO("sweep layer " << i << " " << layer.name << " (" << layer_kind_name(layer.kind) << ") in "
                          << layer.input_shapes[0].height << "x" << layer.input_shapes[0].width << "x"
                          << layer.input_shapes[0].channels << " kernel " << layer.kernel_h << " stride "
                          << layer.stride_h << " on " << canonical_text(accel));
      const std::vector<const Tensor8*> inputs = layer_inputs(layer, input, golden);
      Program program;
      try {
        program = compile_layer(layer, inputs, accel);
      } catch (const MappingError&) {
        ++unmappable;
        continue;
      }
      const CosimResult rtl = run_rtl_cosim(program, options);
      INFO(rtl.diagnosis);
      REQUIRE(rtl.ok);
      CHECK(decode_layer_output(layer, accel, rtl.outputs.at(0)).data == golden[l].data);
      CHECK(execute_program(program).outputs.at(0) == rtl.outputs.at(0));
      ++checked;
    }
  }
  WARN(checked << " layers bit-exact on the RTL, " << unmappable << " not mappable on this configuration");
  CHECK(checked >= kLayersPerConfig);  // every network has at least one layer
  CHECK(unmappable * 10 <= checked);   // the sweep exercises the RTL, not the mapping errors
}

}  // namespace

TEST_CASE("t_layers_sweep: weight-stationary 4x4 with one lane and one bank", "[rtl][sweep]") {
  sweep(config(4, 4, Dataflow::weight_stationary, 4, 1, 1, 4, 10), 1);
}
TEST_CASE("t_layers_sweep: output-stationary 4x4 with 16 lanes and 4 banks", "[rtl][sweep]") {
  sweep(config(4, 4, Dataflow::output_stationary, 4, 4, 16, 16, 3), 2);
}
TEST_CASE("t_layers_sweep: weight-stationary 3x8 non-square", "[rtl][sweep]") {
  sweep(config(3, 8, Dataflow::weight_stationary, 8, 2, 4, 8, 25), 3);
}
TEST_CASE("t_layers_sweep: output-stationary 8x3 non-square", "[rtl][sweep]") {
  sweep(config(8, 3, Dataflow::output_stationary, 8, 2, 2, 2, 0), 4);
}
TEST_CASE("t_layers_sweep: weight-stationary 6x6 with wide DRAM", "[rtl][sweep]") {
  sweep(config(6, 6, Dataflow::weight_stationary, 16, 8, 8, 64, 100), 5);
}
TEST_CASE("t_layers_sweep: output-stationary 2x5 with small buffers", "[rtl][sweep]") {
  sweep(config(2, 5, Dataflow::output_stationary, 1, 1, 4, 1, 7), 6);
}
