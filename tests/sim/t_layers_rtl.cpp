// t_layers_rtl: every layer kind, compiled for an accelerator and run on its generated RTL in
// the SystemC co-simulation, gives the golden reference's output bit for bit; and the RTL's
// data-movement counters agree with what the Program moves.
#include <catch2/catch.hpp>

#include "every_kind_network.h"
#include "compiler/compiler.h"
#include "golden/golden.h"
#include "cosim/rtl_cosim.h"

using namespace tandem;

namespace {

CosimOptions test_options() {
  CosimOptions options;
  options.cache_dir = TANDEM_COSIM_TEST_CACHE;
  return options;
}

void check_layers_on_rtl(const AcceleratorConfig& config) {
  const Network net = test::every_kind_network({7, 6, 5}, 7, 9, 5);
  const Tensor8 input = random_input(net, 3);
  const std::vector<Tensor8> golden = golden_network(net, input);
  for (std::size_t l = 0; l < net.layers.size(); ++l) {
    const Layer& layer = net.layers[l];
    INFO("layer " << layer.name << " on " << config.array.rows << "x" << config.array.cols << " "
                  << dataflow_name(config.array.dataflow));
    const std::vector<const Tensor8*> inputs = layer_inputs(layer, input, golden);
    const Program program = compile_layer(layer, inputs, config);
    const CosimResult rtl = run_rtl_cosim(program, test_options());
    INFO(rtl.diagnosis);
    REQUIRE(rtl.ok);
    REQUIRE(rtl.outputs.size() == 1);
    CHECK(decode_layer_output(layer, config, rtl.outputs[0]).data == golden[l].data);
    CHECK(rtl.counters.at("instructions") == program.instructions.size());
    const bool on_array = layer.kind == LayerKind::conv2d || layer.kind == LayerKind::fully_connected;
    CHECK((rtl.counters.at("macs") > 0) == on_array);
  }
}

AcceleratorConfig accelerator(int rows, int cols, Dataflow dataflow, int bytes_per_cycle, int latency) {
  AcceleratorConfig config;
  config.array = {rows, cols, dataflow};
  config.buffers = {4, 4, 4, 2};
  config.vector.lanes = 4;
  config.dram = {bytes_per_cycle, latency};
  return config;
}

}  // namespace

TEST_CASE("t_layers_rtl: every layer kind is bit-exact on a weight-stationary 4x6 array", "[rtl][layers]") {
  check_layers_on_rtl(accelerator(4, 6, Dataflow::weight_stationary, 8, 20));
}

TEST_CASE("t_layers_rtl: every layer kind is bit-exact on an output-stationary 6x4 array", "[rtl][layers]") {
  check_layers_on_rtl(accelerator(6, 4, Dataflow::output_stationary, 4, 7));
}
