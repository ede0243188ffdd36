// The network IR: TFLite padding arithmetic, validation, metrics and requantization.
#include <catch2/catch.hpp>

#include "models/network.h"
#include "models/network_builder.h"

using namespace tandem;

TEST_CASE("t_models: padding follows TFLite (same: ceil(in/stride), pad before floor(total/2))",
          "[models][ir]") {
  CHECK(padded_output_size(224, 3, 2, Padding::same) == 112);
  CHECK(padded_output_size(7, 3, 2, Padding::same) == 4);
  CHECK(padded_output_size(224, 3, 2, Padding::valid) == 111);
  CHECK(padded_output_size(4, 5, 1, Padding::valid) == 0);
  // 224 with a 3x3 stride 2: total padding 1, all of it after (TensorFlow, not PyTorch).
  CHECK(padding_before(224, 3, 2, Padding::same) == 0);
  CHECK(padding_before(225, 3, 2, Padding::same) == 1);
  CHECK(padding_before(7, 7, 1, Padding::same) == 3);
  CHECK(padding_before(7, 7, 1, Padding::valid) == 0);
}

TEST_CASE("t_models: metrics of a small network, counted by hand", "[models][ir]") {
  NetworkBuilder builder("hand", {8, 8, 3}, 5);
  const int stem = builder.conv("stem", NetworkBuilder::network_input, 4, 3, 2, Activation::relu);
  const int dw = builder.depthwise("dw", stem, 3, 1, Activation::relu6);
  const int pw = builder.conv("pw", dw, 4, 1, 1, Activation::none);
  const int sum = builder.add("sum", stem, pw);
  const int pool = builder.global_avg_pool("pool", sum);
  builder.fully_connected("fc", pool, 5);
  const Network network = builder.finish();
  REQUIRE_FALSE(network.validate());
  const auto& layers = network.layers;
  CHECK(layers[0].output == TensorShape{4, 4, 4});
  CHECK(macs(layers[0]) == 4 * 4 * 4 * 3 * 3 * 3);  // positions x out x kh x kw x in
  CHECK(params(layers[0]) == 3 * 3 * 3 * 4 + 4);     // weights + folded bias
  CHECK(macs(layers[1]) == 4 * 4 * 4 * 9);
  CHECK(params(layers[1]) == 9 * 4 + 4);
  CHECK(is_pointwise(layers[2]));
  CHECK_FALSE(is_pointwise(layers[0]));
  CHECK(macs(layers[3]) == 0);
  CHECK(params(layers[3]) == 0);
  CHECK(layers[4].output == TensorShape{1, 1, 4});
  CHECK(macs(layers[5]) == 4 * 5);
  CHECK(params(layers[5]) == 4 * 5 + 5);
  CHECK(output_bytes(layers[0]) == 64);
  CHECK(total_macs(network) == 1728 + 576 + 256 + 20);
  CHECK(total_activation_bytes(network) == 64 * 4 + 4 + 5);
  CHECK(peak_activation_bytes(network) == 64);
}

TEST_CASE("t_models: validate names the first problem", "[models][ir]") {
  NetworkBuilder builder("v", {8, 8, 3}, 2);
  const int a = builder.conv("a", NetworkBuilder::network_input, 4, 3, 1, Activation::relu);
  const int pool = builder.global_avg_pool("pool", a);
  builder.fully_connected("fc", pool, 2);
  const Network good = builder.finish();
  REQUIRE_FALSE(good.validate());

  Network bad = good;
  bad.layers[1].inputs = {2};
  CHECK(*bad.validate() == "layer 1 'pool': input 2 is not the network input (-1) or an earlier layer");

  bad = good;
  bad.layers[0].output.channels = 5;
  CHECK(*bad.validate() == "layer 0 'a': output shape 8x8x5 but its parameters give 8x8x4");

  bad = good;
  bad.layers[1].input_shapes[0] = {4, 4, 4};
  CHECK(*bad.validate() == "layer 1 'pool': input shape 4x4x4 does not match its producer's output 8x8x4");

  bad = good;
  bad.num_classes = 10;
  CHECK(*bad.validate() == "the last layer gives 2 channels, but num_classes is 10");

  bad = good;
  bad.layers[2].name = "a";
  CHECK(*bad.validate() == "layer 2 'a': name used twice");

  bad = good;
  bad.layers[0].quant = LayerQuant{};
  bad.layers[0].quant->input_zero_points = {0};
  bad.layers[0].quant->input_scales = {1.0f};
  bad.layers[0].quant->weights.assign(10, 1);
  CHECK(*bad.validate() == "layer 0 'a': quantization has 10 weights, the layer needs 108");
}

TEST_CASE("t_models: infer_shapes fills shapes from the inputs", "[models][ir]") {
  Network network;
  network.name = "manual";
  network.input = {10, 10, 2};
  Layer conv;
  conv.name = "conv";
  conv.kind = LayerKind::conv2d;
  conv.inputs = {-1};
  conv.kernel_h = 3;
  conv.kernel_w = 1;
  conv.padding = Padding::valid;
  conv.out_channels = 6;
  network.layers.push_back(conv);
  Layer sum;
  sum.name = "sum";
  sum.kind = LayerKind::add;
  sum.inputs = {0, -1};
  network.layers.push_back(sum);
  const auto problem = infer_shapes(network);
  REQUIRE(problem);
  CHECK(*problem == "layer 1 'sum': add inputs differ in shape: 8x10x6 and 10x10x2");
  network.layers.pop_back();
  REQUIRE_FALSE(infer_shapes(network));
  CHECK(network.layers[0].output == TensorShape{8, 10, 6});
}

TEST_CASE("t_models: quantize_multiplier matches TFLite", "[models][ir][quant]") {
  std::int32_t multiplier = 0;
  int shift = 0;
  quantize_multiplier(0.5, &multiplier, &shift);
  CHECK(multiplier == 1073741824);  // 2^30
  CHECK(shift == 0);
  quantize_multiplier(0.25, &multiplier, &shift);
  CHECK(multiplier == 1073741824);
  CHECK(shift == -1);
  quantize_multiplier(1.0, &multiplier, &shift);
  CHECK(multiplier == 1073741824);
  CHECK(shift == 1);
  quantize_multiplier(0.0, &multiplier, &shift);
  CHECK(multiplier == 0);
  CHECK(shift == 0);
  // 0.1 = 0.8 * 2^-3; 0.8 * 2^31 rounds to 1717986918.
  quantize_multiplier(0.1, &multiplier, &shift);
  CHECK(multiplier == 1717986918);
  CHECK(shift == -3);
  // Rounding up to 2^31 renormalizes instead of overflowing.
  quantize_multiplier(0.99999999999, &multiplier, &shift);
  CHECK(multiplier == 1073741824);
  CHECK(shift == 1);
}

TEST_CASE("t_models: requantization and activation clamps follow TFLite", "[models][ir][quant]") {
  LayerQuant quant;
  quant.input_scales = {0.5f};
  quant.output_scale = 0.25f;
  quant.weight_scales = {0.01f, 0.02f};
  derive_requantization(quant);
  REQUIRE(quant.output_multipliers.size() == 2);
  std::int32_t expected = 0;
  int expected_shift = 0;
  quantize_multiplier(0.5 * static_cast<double>(0.01f) / 0.25, &expected, &expected_shift);
  CHECK(quant.output_multipliers[0] == expected);
  CHECK(quant.output_shifts[0] == expected_shift);

  std::int32_t qmin = 0, qmax = 0;
  activation_range(Activation::none, 0.1f, 3, &qmin, &qmax);
  CHECK((qmin == -128 && qmax == 127));
  activation_range(Activation::relu, 0.1f, -20, &qmin, &qmax);
  CHECK((qmin == -20 && qmax == 127));
  activation_range(Activation::relu6, 0.1f, -128, &qmin, &qmax);
  CHECK((qmin == -128 && qmax == -68));
  activation_range(Activation::relu6, 0.01f, -128, &qmin, &qmax);
  CHECK((qmin == -128 && qmax == 127));  // 6.0 lies beyond the int8 range
}
