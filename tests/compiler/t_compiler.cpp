// t_compiler: every layer kind, compiled for several accelerators (both dataflows, square and
// not, buffers small enough to force tiling) and run by the functional ISA executor, gives the
// golden reference's output bit for bit. Mapping failures explain themselves.
#include <catch2/catch.hpp>

#include "compiled_layers.h"
#include "every_kind_network.h"
#include "models/network_builder.h"
#include "models/random_quantization.h"
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

void check_layers(const Network& net, const AcceleratorConfig& config) {
  test::for_each_compiled_layer(net, 11, config, [&](const Layer& layer, const Program& program, const Tensor8& golden) {
    const FunctionalResult result = execute_program(program);
    REQUIRE(result.outputs.size() == 1);
    CHECK(decode_layer_output(layer, config, result.outputs[0]).data == golden.data);
  });
}

void check_every_layer(const AcceleratorConfig& config) {
  check_layers(test::every_kind_network({9, 7, 5}, 11, 17, 7), config);
}

// Convolutions that exercise the weight-stationary tiling: kernel taps packed into the
// reduction (few input channels), row phases (stride 2, kernels 1 to 7), outputs computed past
// the row end, FC layers.
Network strided_convolutions(TensorShape input) {
  NetworkBuilder b("strided", input, 10);
  int x = b.conv("stem3x3s2", NetworkBuilder::network_input, 8, 3, 2, Activation::relu);
  x = b.conv("c5x5s1", x, 6, 5, 1, Activation::relu6);
  x = b.conv("c1x1s2", x, 12, 1, 2, Activation::none);
  x = b.conv("c7x7s2", x, 9, 7, 2, Activation::relu);
  x = b.conv("c3x3s1", x, 20, 3, 1, Activation::relu);
  x = b.conv("c2x2s2", x, 7, 2, 2, Activation::none, Padding::valid);
  b.fully_connected("fc", x, 10);
  Network net = b.finish();
  quantize_randomly(net, 3);
  return net;
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

TEST_CASE("t_compiler: strides, kernel sizes and tap packing match, weight-stationary", "[compiler]") {
  for (int channels : {1, 3, 5, 24}) {
    INFO("input channels " << channels);
    const Network net = strided_convolutions({33, 29, channels});
    check_layers(net, accelerator(16, 16, Dataflow::weight_stationary));
    check_layers(net, accelerator(4, 8, Dataflow::weight_stationary));
    check_layers(net, accelerator(8, 4, Dataflow::weight_stationary, 1, 1));  // tiles, double-buffered
  }
}

TEST_CASE("t_compiler: a layer wider than the buffers is tiled by columns and matches", "[compiler]") {
  NetworkBuilder b("too_wide", {8, 200, 64}, 10);
  b.conv("conv", NetworkBuilder::network_input, 10, 3, 1, Activation::none);
  Network net = b.finish();
  quantize_randomly(net, 1);
  check_layers(net, accelerator(16, 16, Dataflow::weight_stationary, 1, 1));
}

// Column tiles of 20 outputs and a last one of 13 on a 64-word OBUF: only the last fits two
// OBUF halves. A block's STOREs follow the next block's first MATMUL, also across tiles, so
// every tile must use the layout of the largest (else the next row's first tile overwrites them).
TEST_CASE("t_compiler: uneven column tiles keep the deferred STOREs' OBUF rows", "[compiler]") {
  NetworkBuilder b("uneven_tiles", {4, 153, 4}, 8);
  b.conv("conv", NetworkBuilder::network_input, 8, 3, 1, Activation::none);
  Network net = b.finish();
  quantize_randomly(net, 2);
  check_layers(net, accelerator(4, 4, Dataflow::weight_stationary, 1, 1));
}

TEST_CASE("t_compiler: window layers wider than IBUF are tiled by channel blocks and match", "[compiler]") {
  NetworkBuilder b("many_channels", {6, 5, 200}, 200);
  int x = b.depthwise("dw", NetworkBuilder::network_input, 3, 1, Activation::relu6);
  x = b.pool("max", LayerKind::max_pool, x, 2, 1);
  x = b.depthwise("dw_s2", x, 5, 2, Activation::none);
  b.global_avg_pool("gap", x);
  Network net = b.finish();
  quantize_randomly(net, 5);
  check_layers(net, accelerator(16, 16, Dataflow::weight_stationary, 2, 1));
  check_layers(net, accelerator(4, 4, Dataflow::output_stationary, 1, 1));
}

TEST_CASE("t_compiler: a reduction deeper than IBUF is chunked, a window wider packs its taps", "[compiler]") {
  NetworkBuilder b("deep_and_wide", {3, 3, 2000}, 6);
  int x = b.conv("deep", NetworkBuilder::network_input, 10, 3, 1, Activation::none);
  b.conv("wide_window", x, 6, 11, 1, Activation::relu);
  Network net = b.finish();
  quantize_randomly(net, 1);
  check_layers(net, accelerator(16, 16, Dataflow::weight_stationary, 1, 1));
}
