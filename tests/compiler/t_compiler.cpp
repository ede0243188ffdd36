// t_compiler: every layer kind, compiled for several accelerators (both dataflows, square and
// not, buffers small enough to force tiling) and run by the functional ISA executor, gives the
// golden reference's output bit for bit. Mapping failures explain themselves.
#include <catch2/catch.hpp>

#include "every_kind_network.h"
#include "compiler/compiler.h"
#include "golden/golden.h"

using namespace tandem;

namespace {

AcceleratorConfig accelerator(int rows, int cols, Dataflow dataflow, int kib = 64, int banks = 4) {
  AcceleratorConfig config;
  config.array = {rows, cols, dataflow};
  config.buffers = {kib, kib, kib, banks};
  return config;
}

void check_every_layer(const AcceleratorConfig& config) {
  const Network net = test::every_kind_network({9, 7, 5}, 11, 17, 7);
  const Tensor8 input = random_input(net, 11);
  const std::vector<Tensor8> golden = golden_network(net, input);
  for (std::size_t l = 0; l < net.layers.size(); ++l) {
    const Layer& layer = net.layers[l];
    INFO("layer " << layer.name << " on " << config.array.rows << "x" << config.array.cols << " "
                  << dataflow_name(config.array.dataflow));
    const std::vector<const Tensor8*> inputs = layer_inputs(layer, input, golden);
    const Program program = compile_layer(layer, inputs, config);
    const FunctionalResult result = execute_program(program);
    REQUIRE(result.outputs.size() == 1);
    const Tensor8 out = decode_layer_output(layer, config, result.outputs[0]);
    CHECK(out.data == golden[l].data);
  }
}

}  // namespace

TEST_CASE("t_compiler: every layer kind matches the golden reference, weight-stationary", "[compiler]") {
  check_every_layer(accelerator(4, 4, Dataflow::weight_stationary));
  check_every_layer(accelerator(3, 5, Dataflow::weight_stationary));
  check_every_layer(accelerator(16, 16, Dataflow::weight_stationary));
}

TEST_CASE("t_compiler: every layer kind matches the golden reference, output-stationary", "[compiler]") {
  check_every_layer(accelerator(4, 4, Dataflow::output_stationary));
  check_every_layer(accelerator(5, 3, Dataflow::output_stationary));
  check_every_layer(accelerator(16, 16, Dataflow::output_stationary));
}

TEST_CASE("t_compiler: small buffers force tiling and still match", "[compiler]") {
  check_every_layer(accelerator(2, 3, Dataflow::weight_stationary, 1, 1));
  check_every_layer(accelerator(3, 2, Dataflow::output_stationary, 1, 1));
}

TEST_CASE("t_compiler: a layer that does not fit says why", "[compiler]") {
  NetworkBuilder b("too_wide", {8, 200, 64}, 10);
  b.conv("conv", NetworkBuilder::network_input, 10, 3, 1, Activation::none);
  Network net = b.finish();
  quantize_randomly(net, 1);
  const Tensor8 input = random_input(net, 1);
  const AcceleratorConfig tiny = accelerator(16, 16, Dataflow::weight_stationary, 1, 1);
  CHECK_THROWS_AS(compile_layer(net.layers[0], {&input}, tiny), MappingError);
  CHECK_THROWS_WITH(compile_layer(net.layers[0], {&input}, tiny),
                    Catch::Contains("one output row needs") && Catch::Contains("IBUF words"));
}
