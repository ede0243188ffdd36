// t_compiler_zoo: every layer of every zoo network maps (mapping_problem finds none) on the
// smallest and on the largest accelerator of the declared space, both dataflows. That the
// mapped Programs are right is t_compiler's and the RTL suites' business; that the planning
// check agrees with compile_layer is checked here on a few layers.
#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "compiler/compiler.h"
#include "core/accelerator_config.h"
#include "models/random_quantization.h"
#include "models/zoo.h"

using namespace tandem;

namespace {

// Every declared parameter at its minimum (`smallest`) or maximum.
AcceleratorConfig extreme_config(bool smallest, Dataflow dataflow) {
  AcceleratorConfig config;
  for (const ParamSpec& spec : accelerator_space()) {
    if (spec.kind == ParamSpec::Kind::integer) spec.set(config, smallest ? spec.min : spec.max);
  }
  config.array.dataflow = dataflow;
  return config;
}

void check_maps(const AcceleratorConfig& config) {
  for (const ZooModel& entry : zoo_models()) {
    Network net = entry.build();
    quantize_randomly(net, 1);
    for (const Layer& layer : net.layers) {
      INFO(entry.name << " layer " << layer.name << " on " << config.array.rows << "x" << config.array.cols << " "
                      << dataflow_name(config.array.dataflow) << ", " << config.buffers.input_kib << " KiB");
      CHECK(mapping_problem(layer, config) == std::nullopt);
    }
  }
}

}  // namespace

TEST_CASE("t_compiler_zoo: every zoo network maps on the smallest accelerator", "[compiler][zoo]") {
  check_maps(extreme_config(true, Dataflow::weight_stationary));
  check_maps(extreme_config(true, Dataflow::output_stationary));
}

TEST_CASE("t_compiler_zoo: every zoo network maps on the largest accelerator", "[compiler][zoo]") {
  check_maps(extreme_config(false, Dataflow::weight_stationary));
  check_maps(extreme_config(false, Dataflow::output_stationary));
}

TEST_CASE("t_compiler_zoo: the planning check agrees with compiling", "[compiler][zoo]") {
  Network net = find_zoo_model("proxy_mobilenet_v2")->build();
  quantize_randomly(net, 1);
  const AcceleratorConfig tiny = extreme_config(true, Dataflow::weight_stationary);
  AcceleratorConfig no_weights = tiny;  // below the space: WBUF cannot double-buffer a tile
  no_weights.array.rows = no_weights.array.cols = 64;
  for (const Layer& layer : net.layers) {
    std::vector<Tensor8> inputs;
    for (const TensorShape& shape : layer.input_shapes) inputs.push_back(Tensor8::zeros(shape));
    std::vector<const Tensor8*> pointers;
    for (const Tensor8& t : inputs) pointers.push_back(&t);
    for (const AcceleratorConfig& config : {tiny, no_weights}) {
      INFO(layer.name << " on " << config.array.rows << "x" << config.array.cols);
      const auto problem = mapping_problem(layer, config);
      if (problem) {
        CHECK_THROWS_WITH(compile_layer(layer, pointers, config), *problem);
      } else {
        CHECK_NOTHROW(compile_layer(layer, pointers, config));
      }
    }
  }
}
