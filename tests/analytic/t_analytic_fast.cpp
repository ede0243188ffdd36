// t_analytic: the analytic model on hand-assembled Programs whose numbers are worked out on
// paper (t_analytic_programs.h; t_analytic_rtl holds the RTL to the same numbers), the
// counter order, the operand-density estimate, and compiled layers' consistency.
#include <catch2/catch.hpp>

#include "core/isa.h"
#include "models/network_builder.h"
#include "models/random_quantization.h"
#include "analytic/operand_density.h"
#include "analytic/analytic_model.h"
#include "compiler/compiler.h"
#include "golden/golden.h"
#include "analytic_programs.h"

using namespace tandem;

TEST_CASE("t_analytic: hand-computed programs", "[analytic]") {
  for (const test::HandCase& hand : test::hand_cases()) {
    SECTION(hand.name) {
      const AnalyticResult model = evaluate_analytic(hand.program);
      CHECK(model.cycles == hand.expected.at("cycles"));
      test::check_hand_counters(model.counters, hand.expected);
    }
  }
}

TEST_CASE("t_analytic: the model reports every counter of core/isa.h", "[analytic]") {
  const AnalyticResult model = evaluate_analytic(test::hand_cases().front().program);
  CHECK(model.counters.size() == isa::counter_names().size());
  for (const std::string& name : isa::counter_names()) CHECK(model.counters.count(name) == 1);
  CHECK(model.estimated == std::set<std::string>{"zero_operand_macs"});
}

TEST_CASE("t_analytic: zero-operand estimate from the loaded data's density", "[analytic]") {
  // Activations: a segment with half its bytes zero, loaded into IBUF; weights: a quarter zero.
  Program p = test::hand_program("density", test::hand_ws_config(), {});
  p.memory.clear();
  MemorySegment acts{"acts", 0, std::vector<std::uint8_t>(400)};
  MemorySegment weights{"weights", 1000, std::vector<std::uint8_t>(400)};
  for (std::size_t i = 0; i < 400; ++i) {
    acts.bytes[i] = i % 2 ? 5 : 0;
    weights.bytes[i] = i % 4 ? 7 : 0;
  }
  p.memory = {acts, weights};
  isa::Instruction load_w = test::dma(isa::Opcode::load, isa::Buffer::wbuf, 1, 8);
  load_w.set(isa::field::dram_addr, 1000);
  p.instructions = {test::dma(isa::Opcode::load, isa::Buffer::ibuf, 1, 8), load_w,
                    isa::Instruction(isa::Opcode::loadw), test::matmul(10, false)};
  const analytic::OperandDensity d = analytic::estimate_operand_density(p);
  CHECK(d.activation_zero_fraction == Approx(0.5));
  CHECK(d.weight_zero_fraction == Approx(0.25));
  // Weight-stationary: nested zeros, the sparser operand's half plus 5% (the cap on
  // independent data zeros) of the rest: 1 - 0.5 * 0.95. Output-stationary: independent.
  CHECK(d.zero_operand_fraction(Dataflow::weight_stationary) == Approx(0.525));
  CHECK(d.zero_operand_fraction(Dataflow::output_stationary) == Approx(1 - 0.5 * 0.75));
  const AnalyticResult model = evaluate_analytic(p);
  CHECK(model.counters.at("macs") == 240);
  CHECK(model.counters.at("zero_operand_macs") == 126);  // 240 * 0.525
}

TEST_CASE("t_analytic: compiled layers: data movement matches the Program's instructions", "[analytic]") {
  NetworkBuilder b("fast_mix", {9, 9, 6}, 10);
  const int c = b.conv("conv", NetworkBuilder::network_input, 10, 3, 1, Activation::relu);
  b.depthwise("dw", c, 3, 2, Activation::relu6);
  Network net = b.finish();
  quantize_randomly(net, 3);
  const Tensor8 input = random_input(net, 1);
  const std::vector<Tensor8> golden = golden_network(net, input);
  for (const AcceleratorConfig& config : {test::hand_ws_config(), test::hand_os_config()}) {
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
      std::vector<const Tensor8*> inputs{l == 0 ? &input : &golden[0]};
      const Program program = compile_layer(net.layers[l], inputs, config);
      const AnalyticResult model = evaluate_analytic(program);
      INFO(net.layers[l].name << " " << dataflow_name(config.array.dataflow));
      CHECK(model.counters.at("instructions") == program.instructions.size());
      // Every cycle of the run is idle, a dispatch stall, or one in which something dispatched
      // or ran; stalls split exactly into the three blamed units.
      CHECK(model.counters.at("dispatch_stall_cycles") ==
            model.counters.at("stall_on_dma_cycles") + model.counters.at("stall_on_array_cycles") +
                model.counters.at("stall_on_vector_cycles"));
      CHECK(model.cycles >= model.counters.at("dma_busy_cycles"));
      CHECK(model.cycles >= model.counters.at("array_busy_cycles"));
      CHECK(model.cycles >= model.counters.at("vector_busy_cycles"));
      CHECK(model.counters.at("dram_write_bytes") > 0);
    }
  }
}
