// Whole networks: the 28x28x1 zoo proxies under quantize_randomly, determinism, the spread of
// random quantization, and the errors golden_layer/golden_network raise.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include "models/network_builder.h"
#include "models/random_quantization.h"
#include "models/zoo.h"
#include "t_golden_support.h"

using namespace tandem;
using namespace tandem::test;

namespace {

std::vector<std::string> proxy_names() {
  std::vector<std::string> names;
  for (const auto& name : zoo_model_names()) {
    if (name.rfind("proxy_", 0) == 0) names.push_back(name);
  }
  return names;
}

Network quantized_zoo(const std::string& name, std::uint64_t seed) {
  Network net = find_zoo_model(name)->build();
  quantize_randomly(net, seed);
  return net;
}

// Outputs pinned at an int8 end or at ReLU6's upper clamp (not ReLU's floor, which is 0 real).
bool saturated(std::int8_t value, const LayerQuant& q) {
  return value == -128 || value == 127 || (q.activation_max < 127 && value == q.activation_max);
}

}  // namespace

TEST_CASE("t_golden: every zoo proxy runs end to end under random quantization",
          "[golden][network]") {
  const auto names = proxy_names();
  REQUIRE(names.size() >= 4);
  for (const auto& name : names) {
    INFO(name);
    const Network net = quantized_zoo(name, 11);
    REQUIRE_FALSE(net.validate());
    REQUIRE(net.input == (TensorShape{28, 28, 1}));
    const std::vector<Tensor8> outputs = golden_network(net, random_input(net, 11));
    REQUIRE(outputs.size() == net.layers.size());
    for (std::size_t l = 0; l < outputs.size(); ++l) {
      CHECK(outputs[l].shape == net.layers[l].output);
      CHECK(static_cast<std::int64_t>(outputs[l].data.size()) == net.layers[l].output.elements());
    }
    CHECK(outputs.back().shape == (TensorShape{1, 1, net.num_classes}));
  }
}

TEST_CASE("t_golden: random quantization neither saturates nor collapses the outputs",
          "[golden][network][statistics]") {
  for (const auto& name : proxy_names()) {
    for (std::uint64_t seed : {1, 2, 3}) {
      const Network net = quantized_zoo(name, seed);
      const std::vector<Tensor8> outputs = golden_network(net, random_input(net, seed));
      std::int64_t total = 0, at_clamps = 0;
      for (std::size_t l = 0; l < outputs.size(); ++l) {
        const LayerQuant& q = *net.layers[l].quant;
        std::set<int> distinct;
        std::int64_t layer_saturated = 0;
        for (std::int8_t v : outputs[l].data) {
          distinct.insert(v);
          layer_saturated += saturated(v, q) ? 1 : 0;
        }
        total += static_cast<std::int64_t>(outputs[l].data.size());
        at_clamps += layer_saturated;
        INFO(name << " seed " << seed << " layer " << net.layers[l].name << ": "
                  << distinct.size() << " distinct values, " << layer_saturated << " of "
                  << outputs[l].data.size() << " saturated");
        // Not collapsed: a layer's outputs take many levels (the classifier has only 10).
        CHECK(distinct.size() >= std::min<std::size_t>(8, outputs[l].data.size()));
        CHECK(layer_saturated * 2 <= static_cast<std::int64_t>(outputs[l].data.size()));
      }
      INFO(name << " seed " << seed << ": " << at_clamps << " of " << total << " saturated");
      CHECK(at_clamps * 5 < total);  // under 20% at the clamps
    }
  }
}

TEST_CASE("t_golden: the same seed gives the same quantization and outputs", "[golden][network]") {
  const std::string name = proxy_names().front();
  const Network a = quantized_zoo(name, 42), b = quantized_zoo(name, 42), c = quantized_zoo(name, 43);
  for (std::size_t l = 0; l < a.layers.size(); ++l) {
    const LayerQuant &qa = *a.layers[l].quant, &qb = *b.layers[l].quant;
    CHECK(qa.weights == qb.weights);
    CHECK(qa.bias == qb.bias);
    CHECK(qa.output_multipliers == qb.output_multipliers);
    CHECK(qa.output_zero_point == qb.output_zero_point);
    CHECK(qa.output_scale == qb.output_scale);
  }
  const std::vector<Tensor8> run_a = golden_network(a, random_input(a, 5));
  const std::vector<Tensor8> run_b = golden_network(b, random_input(b, 5));
  for (std::size_t l = 0; l < run_a.size(); ++l) CHECK(run_a[l].data == run_b[l].data);
  CHECK(random_input(a, 5).data != random_input(a, 6).data);
  CHECK(golden_network(c, random_input(c, 5)).back().data != run_a.back().data);
}

TEST_CASE("t_golden: a layer without quantization is rejected by name", "[golden][errors]") {
  Network net = find_zoo_model(proxy_names().front())->build();
  const Tensor8 input = Tensor8::zeros(net.input);
  CHECK_THROWS_WITH(golden_network(net, input),
                    "golden: layer '" + net.layers[0].name + "' (" +
                        layer_kind_name(net.layers[0].kind) + "): has no quantization parameters");
  quantize_randomly(net, 1);
  net.layers[2].quant.reset();
  CHECK_THROWS_WITH(golden_network(net, input), Catch::Contains("'" + net.layers[2].name + "'"));
}

TEST_CASE("t_golden: inputs and quantization that do not fit the layer are rejected",
          "[golden][errors]") {
  Layer layer = make_layer({LayerKind::conv2d, {2, 2, 1}, 1, 1, Padding::same, 1});
  layer.quant = make_quant(layer, 1.0f, 0, 1.0f, 0, {1}, {0});
  const Tensor8 wrong = Tensor8::zeros({2, 3, 1});
  CHECK_THROWS_WITH(run(layer, wrong),
                    "golden: layer 'hand' (conv2d): input 0 is 2x3x1 with 6 values, the layer "
                    "takes 2x2x1");
  CHECK_THROWS_AS(golden_layer(layer, {}), std::invalid_argument);
  Layer stale = layer;
  stale.output = {2, 2, 3};
  CHECK_THROWS_WITH(run(stale, Tensor8::zeros({2, 2, 1})),
                    "golden: layer 'hand' (conv2d): output 2x2x3 does not follow from its inputs "
                    "and parameters (2x2x1)");
  layer.quant->output_multipliers.clear();
  CHECK_THROWS_WITH(run(layer, Tensor8::zeros({2, 2, 1})), Catch::Contains("derive_requantization"));


  Layer pool = make_layer({LayerKind::max_pool, {2, 2, 1}, 2, 1, Padding::valid});
  pool.quant = make_quant(pool, 1.0f, 0, 0.5f, 0);
  CHECK_THROWS_WITH(run(pool, Tensor8::zeros({2, 2, 1})),
                    "golden: layer 'hand' (max_pool): output quantization must equal the input's");
  Network net = quantized_zoo(proxy_names().front(), 1);
  CHECK_THROWS_WITH(golden_network(net, Tensor8::zeros({28, 28, 3})),
                    Catch::Contains("takes 28x28x1, got 28x28x3"));
}
