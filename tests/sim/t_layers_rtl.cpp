// t_layers_rtl: every layer kind, compiled for an accelerator and run on its generated RTL in
// the SystemC co-simulation, gives the golden reference's output bit for bit; and the RTL's
// data-movement counters agree with what the Program moves.
#include <algorithm>

#include <catch2/catch.hpp>

#include "compiled_layers.h"
#include "every_kind_network.h"
#include "analytic/analytic_model.h"
#include "compiler/compiler.h"
#include "models/network_builder.h"
#include "models/random_quantization.h"
#include "golden/golden.h"
#include "cosim/rtl_cosim.h"

using namespace tandem;

namespace {

CosimOptions test_options() {
  CosimOptions options;
  options.cache_dir = TANDEM_COSIM_TEST_CACHE;
  return options;
}

void check_layers_on_rtl(const AcceleratorConfig& config,
                         const Network& net = test::every_kind_network({7, 6, 5}, 7, 9, 5)) {
  test::for_each_compiled_layer(net, 3, config, [&](const Layer& layer, const Program& program, const Tensor8& golden) {
    const CosimResult rtl = run_rtl_cosim(program, test_options());
    INFO(rtl.diagnosis);
    REQUIRE(rtl.ok);
    REQUIRE(rtl.outputs.size() == 1);
    CHECK(decode_layer_output(layer, config, rtl.outputs[0]).data == golden.data);
    CHECK(rtl.counters.at("instructions") == program.instructions.size());
    CHECK(evaluate_analytic(program).cycles == rtl.cycles);
    CHECK((rtl.counters.at("macs") > 0) == runs_on_array(layer, config));
  });
}

// Layers that the 1 KiB buffers below can only hold tiled: output columns (a wide row), kernel
// taps packed into the reduction (a stem with one channel, stride 2), channel blocks of a
// depthwise layer and of a pool. (Reduction chunks need hundreds of channels: t_compiler.)
Network tiling_network() {
  NetworkBuilder b("tiling", {6, 56, 1}, 6);
  int x = b.conv("stem", NetworkBuilder::network_input, 16, 3, 2, Activation::relu);
  x = b.conv("wide", x, 72, 3, 1, Activation::relu6);
  x = b.depthwise("dw", x, 3, 1, Activation::relu6);
  x = b.pool("max", LayerKind::max_pool, x, 2, 2);
  x = b.conv("project", x, 6, 1, 1, Activation::none);
  b.global_avg_pool("pool", x);
  Network net = b.finish();
  quantize_randomly(net, 7);
  return net;
}

// Explicit (ONNX/PyTorch) padding that TFLite's `same` cannot express: a stride-2 3x3 padded
// 1 on every side (PyTorch's MobileNet stem), asymmetric pads larger after than before and
// before than after, on the array (conv), on the vector unit's window datapath (depthwise, max
// pool) and through the sliding depthwise window.
Network explicit_padding_network() {
  NetworkBuilder b("explicit_pads", {9, 8, 5}, 4);
  int x = b.conv("stem", NetworkBuilder::network_input, 8, 3, 2, Activation::relu6);
  x = b.depthwise("dw_s1", x, 3, 1, Activation::relu);
  x = b.depthwise("dw_s2", x, 3, 2, Activation::none);
  x = b.pool("max", LayerKind::max_pool, x, 3, 1);
  x = b.pool("avg", LayerKind::avg_pool, x, 2, 1);
  b.conv("head", x, 4, 3, 1, Activation::none);
  Network net = b.finish();
  // The average pool stays unpadded: windows cut by padding need a divisor per position, which the
  // compiler refuses for any padding (a MappingError, as for `same`).
  const int pads[][4] = {{1, 1, 1, 1}, {2, 0, 0, 2}, {1, 1, 1, 1}, {0, 2, 2, 1}, {0, 0, 0, 0}, {0, 2, 1, 0}};
  for (std::size_t l = 0; l < net.layers.size(); ++l) {
    Layer& layer = net.layers[l];
    layer.padding = Padding::explicit_pads;
    layer.pad_top = pads[l][0];
    layer.pad_left = pads[l][1];
    layer.pad_bottom = pads[l][2];
    layer.pad_right = pads[l][3];
  }
  if (auto problem = infer_shapes(net)) FAIL(*problem);
  net.num_classes = net.layers.back().output.channels;
  if (auto problem = net.validate()) FAIL(*problem);
  quantize_randomly(net, 11);
  return net;
}

AcceleratorConfig accelerator(int rows, int cols, Dataflow dataflow, int bytes_per_cycle, int latency, int kib = 4) {
  AcceleratorConfig config;
  config.array = {rows, cols, dataflow};
  config.buffers = {kib, kib, kib, 2};
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

TEST_CASE("t_layers_rtl: layers that need tiling are bit-exact and cycle-equal to the analytic model", "[rtl][layers]") {
  check_layers_on_rtl(accelerator(4, 4, Dataflow::weight_stationary, 8, 20, 1), tiling_network());
  check_layers_on_rtl(accelerator(4, 4, Dataflow::output_stationary, 8, 20, 1), tiling_network());
}

TEST_CASE("t_layers_rtl: explicit (ONNX) padding is bit-exact and cycle-equal to the analytic model", "[rtl][layers]") {
  const Network net = explicit_padding_network();
  CHECK(net.layers[0].output == TensorShape{5, 4, 8});  // (9 + 2 - 3) / 2 + 1, (8 + 2 - 3) / 2 + 1
  check_layers_on_rtl(accelerator(4, 6, Dataflow::weight_stationary, 8, 20), net);
  check_layers_on_rtl(accelerator(6, 4, Dataflow::output_stationary, 4, 7), net);
}

// On a square array the window layers and residual adds write their results to OBUF (VECTOR
// to_obuf) and load the next tile into the other IBUF half while the vector unit works
// (docs/compiler.md): the hazards of that overlap are the compiler's, so the RTL must run them
// bit-exact and cycle-equal; a non-square array keeps the results in IBUF.
TEST_CASE("t_layers_rtl: window layers and adds overlapping the DMA through OBUF are bit-exact", "[rtl][layers]") {
  NetworkBuilder b("overlap", {9, 12, 40}, 40);
  int x = b.depthwise("dw", NetworkBuilder::network_input, 3, 1, Activation::relu6);
  x = b.add("add", x, NetworkBuilder::network_input);  // 1080 words: chunks of 32 in OBUF halves
  x = b.depthwise("dw_s2", x, 5, 2, Activation::none);
  x = b.pool("max", LayerKind::max_pool, x, 2, 1);
  b.global_avg_pool("gap", x);
  Network net = b.finish();
  quantize_randomly(net, 9);
  // A slow DRAM (2 bytes per cycle, latency 30): transfers take about as long as the windows, so
  // the overlapped plan is chosen and a missing wait lets a window read a tile not yet loaded (a
  // mutation test: dropping the per-tile or per-chunk SYNC fails the bit-exact check).
  for (const auto& [config, square] : {std::pair{accelerator(4, 4, Dataflow::weight_stationary, 2, 30, 1), true},
                                       std::pair{accelerator(4, 6, Dataflow::weight_stationary, 2, 30, 1), false}}) {
    test::for_each_compiled_layer(net, 3, config, [&, square = square](const Layer& layer, const Program& program, const Tensor8&) {
      const bool to_obuf = std::any_of(program.instructions.begin(), program.instructions.end(), [](const isa::Instruction& i) {
        return i.opcode() == isa::Opcode::vector && i.get(isa::field::to_obuf) != 0;
      });
      INFO(layer.name);
      CHECK(to_obuf == square);
    });
    check_layers_on_rtl(config, net);
  }
}
