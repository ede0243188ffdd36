// SCALE-Sim topology CSV import: no padding, output = (input - filter) / stride + 1; padded
// IFMAPs chain with `same` padding where that gives SCALE-Sim's output.
#include <catch2/catch.hpp>

#include "core/input_error.h"
#include "models/topology_csv.h"

using namespace tandem;

TEST_CASE("t_models: a SCALE-Sim topology with trailing commas imports", "[models][csv]") {
  const Network network = load_topology("tests/data/models/csv/small_convnet.csv", TopologyMode::chained).at(0);
  CHECK_FALSE(network.validate());
  CHECK(network.name == "small_convnet");
  CHECK(network.input == TensorShape{32, 32, 3});
  REQUIRE(network.layers.size() == 4);
  CHECK(network.layers[0].padding == Padding::valid);
  CHECK(network.layers[0].output == TensorShape{30, 30, 16});
  // SCALE-Sim's ceil((30 - 3 + 2) / 2) = 15: the last window is padded after the input.
  CHECK(network.layers[1].output == TensorShape{15, 15, 32});
  CHECK(network.layers[1].padding == Padding::explicit_pads);
  CHECK(network.layers[1].pad_bottom == 1);
  CHECK(network.layers[2].padding == Padding::same);  // IFMAP 17 = 15 + padding 2
  CHECK(network.layers[2].output == TensorShape{15, 15, 32});
  CHECK(network.layers[3].output == TensorShape{15, 15, 64});
  CHECK(network.num_classes == 64);
  CHECK(macs(network.layers[0]) == 30 * 30 * 16 * 3 * 3 * 3);
}

TEST_CASE("t_models: SCALE-Sim rows parse from text, blank lines ignored", "[models][csv]") {
  const Network network = parse_topology_csv(
      "Layer name,IFMAP Height,IFMAP Width,Filter Height,Filter Width,Channels,Num Filter,Strides\n"
      "\n"
      "FC, 1, 1, 1, 1, 256, 10, 1\n",
      "fc.csv");
  CHECK(network.layers[0].output == TensorShape{1, 1, 10});
  CHECK(total_params(network) == 256 * 10 + 10);
}

TEST_CASE("t_models: SCALE-Sim rows as independent layers, as SCALE-Sim reads them", "[models][csv]") {
  // Rows 1-3 of SCALE-Sim's mobilenet.csv: row 3's 32-channel IFMAP does not follow row 2's
  // one-channel output (a depthwise layer in SCALE-Sim's form), which chaining refuses and
  // independent rows take as they are.
  const std::string text =
      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
      "Conv1,  224, 224,    3, 3,      3,      32,     2,\n"
      "Conv2,  112, 112,    3, 3,      32,      1,     1,\n"
      "Conv3,  112, 112,    1, 1,      32,     64,     1,\n";
  CHECK_THROWS_AS(parse_topology_csv(text, "mobilenet.csv"), InputError);
  const auto rows = parse_topology_rows(text, "mobilenet.csv");
  REQUIRE(rows.size() == 3);
  CHECK(rows[1].where.to_string() == "mobilenet.csv:3");
  const Network conv2 = topology_row_network(rows[1]);
  REQUIRE(conv2.layers.size() == 1);
  CHECK(conv2.input == TensorShape{112, 112, 32});
  CHECK(conv2.layers[0].output == TensorShape{110, 110, 1});
  CHECK(topology_row_network(rows[0]).layers[0].output == TensorShape{112, 112, 32});  // rounded up
  CHECK_THROWS_WITH(parse_topology_rows(text + "Conv4, 4, 4, 5, 5, 1, 1, 1\n", "m.csv"),
                    Catch::Contains("m.csv:5") && Catch::Contains("does not fit"));
}
