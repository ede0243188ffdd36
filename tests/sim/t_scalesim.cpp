// t_scalesim: SCALE-Sim's own files, read as SCALE-Sim reads them. Topologies (copies of SCALE-Sim
// v2's, tests/data/scalesim) load with one independent layer per row and SCALE-Sim's MAC count,
// computed here from the raw cells; GEMM rows become 1x1 convolutions; .cfg files map to an
// accelerator configuration, naming what has no counterpart; a workload simulates row by row.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <sstream>

#include "core/input_error.h"
#include "core/scalesim_config.h"
#include "models/network_io.h"
#include "sim/network_simulation.h"
#include "golden_file.h"

using namespace tandem;

namespace {

const std::string data = "tests/data/scalesim/";

// SCALE-Sim's MACs of a convolution topology, from the cells as SCALE-Sim v2's topology_utils
// reads them (columns 1-7): ofmap_h * ofmap_w * filter_h * filter_w * channels * filters per row,
// ofmap = ceil((ifmap - filter + stride) / stride) as SCALE-Sim computes it (in floating point). Independent of tandem's reader: plain splitting, no header logic beyond
// skipping the first non-empty line.
std::pair<int, std::int64_t> scalesim_rows_and_macs(const std::string& file) {
  std::string text = read_input_file(file);
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
  std::stringstream lines(text);
  int rows = 0;
  std::int64_t sum = 0;
  bool header = true;
  for (std::string line; std::getline(lines, line);) {
    for (char& c : line) c = c == '\t' ? ',' : c;
    std::vector<std::string> cells;
    std::stringstream cells_of(line);
    for (std::string cell; std::getline(cells_of, cell, ',');) cells.push_back(cell);
    if (cells.size() < 8 || cells[1].find_first_of("0123456789") == std::string::npos) {
      if (!cells.empty() && cells[0].find_first_not_of(" \r") != std::string::npos) header = false;
      continue;
    }
    REQUIRE_FALSE(header);
    std::vector<std::int64_t> v;
    for (int c = 1; c < 8; ++c) v.push_back(std::stoll(cells[static_cast<std::size_t>(c)]));
    const auto ofmap = [](double ifmap, double filter, double stride) {
      return static_cast<std::int64_t>(std::ceil((ifmap - filter + stride) / stride));
    };
    const std::int64_t oh = ofmap(v[0], v[2], v[6]), ow = ofmap(v[1], v[3], v[6]);
    sum += oh * ow * v[2] * v[3] * v[4] * v[5];
    ++rows;
  }
  return {rows, sum};
}

}  // namespace

TEST_CASE("t_scalesim: SCALE-Sim's topologies load with one independent layer per row and its MACs", "[scalesim]") {
  const std::map<std::string, int> expected_rows = {{"mobilenet.csv", 27}, {"Resnet50.csv", 54},
                                                    {"UNet_maestro.csv", 23}, {"UNet_2d.csv", 19},
                                                    {"alexnet.csv", 5}, {"yolo_tiny.csv", 9}, {"test.csv", 1}};
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(data + "topologies")) {
    const std::string file = entry.path().generic_string();
    INFO(file);
    const Workload workload = load_workload(file);
    const auto [rows, macs] = scalesim_rows_and_macs(file);
    CHECK(static_cast<int>(workload.networks.size()) == rows);
    CHECK(rows == expected_rows.at(entry.path().filename().string()));
    CHECK(total_macs(workload) == macs);
    CHECK(workload.name == entry.path().stem().string());
    for (const Network& network : workload.networks) {
      CHECK_FALSE(network.validate());
      REQUIRE(network.layers.size() == 1);
      const Layer& layer = network.layers[0];
      CHECK(layer.inputs == std::vector<int>{-1});
      CHECK(layer.pad_top == 0);  // SCALE-Sim pads, if at all, only past the input's end
      CHECK(layer.pad_left == 0);
    }
    ++files;
  }
  CHECK(files == 7);
}

TEST_CASE("t_scalesim: depthwise rows run as SCALE-Sim runs them, rows need not chain", "[scalesim]") {
  const Workload mobilenet = load_workload(data + "topologies/mobilenet.csv");
  // Row 2: IFMAP 112x112x32, 3x3, Num Filter 1: a convolution with one filter, SCALE-Sim's MACs.
  const Layer& conv2 = mobilenet.networks[1].layers[0];
  CHECK(conv2.name == "Conv2");
  CHECK(conv2.kind == LayerKind::conv2d);
  CHECK(mobilenet.networks[1].input == TensorShape{112, 112, 32});
  CHECK(conv2.output == TensorShape{110, 110, 1});
  CHECK(macs(conv2) == 110 * 110 * 3 * 3 * 32);
  // Row 1, 224x224 3x3 stride 2: SCALE-Sim's 112x112 output (rounded up; floor would give 111),
  // its last window one row and column past the input: padding after it.
  const Layer& conv1 = mobilenet.networks[0].layers[0];
  CHECK(conv1.output == TensorShape{112, 112, 32});
  CHECK(conv1.padding == Padding::explicit_pads);
  CHECK(conv1.pad_bottom == 1);
  CHECK(conv1.pad_right == 1);
  CHECK(macs(conv1) == 112 * 112 * 3 * 3 * 3 * 32);
  // Row 2's depthwise output (one channel in SCALE-Sim's form) does not chain into row 3's
  // 32-channel IFMAP: chaining refuses it with the line, and a single-network reader says how to
  // chain.
  CHECK_THROWS_WITH(load_workload(data + "topologies/mobilenet.csv", TopologyMode::chained),
                    Catch::StartsWith(data + "topologies/mobilenet.csv:4: error: IFMAP Height: IFMAP 112x112x32 does "
                                             "not follow from the previous layer's output 110x110x1"));
  CHECK_THROWS_WITH(load_network(data + "topologies/mobilenet.csv"),
                    Catch::Contains("holds 27 independent layers") && Catch::Contains("--topology-mode chained"));
  // A one-row topology is one network.
  CHECK(load_network(data + "topologies/test.csv").layers.at(0).output == TensorShape{5, 5, 384});
}

TEST_CASE("t_scalesim: tabs, a byte order mark, empty rows and extra columns read as SCALE-Sim reads them",
          "[scalesim]") {
  const Workload maestro = load_workload(data + "topologies/UNet_maestro.csv");  // tab-separated
  CHECK(maestro.networks[0].input == TensorShape{572, 572, 1});
  CHECK(maestro.networks[0].layers[0].output == TensorShape{570, 570, 64});
  const Workload unet = load_workload(data + "topologies/UNet_2d.csv");  // starts with a BOM
  CHECK(unet.networks[0].layers[0].name == "Conv1a");
  const Workload resnet = load_workload(data + "topologies/Resnet50.csv");  // ",,,," row, 13 columns
  CHECK(resnet.networks[0].layers[0].name == "Conv1");
  CHECK(resnet.networks[0].layers[0].output == TensorShape{110, 110, 64});  // ceil((224 - 7 + 2) / 2), the file's Eh, Ew
  // A ninth column headed "Stride..." is the width stride.
  const std::vector<TopologyRow> rows = parse_topology_rows(
      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Stride H, Stride W\n"
      "c, 9, 9, 3, 3, 2, 4, 1, 2\n",
      "strides.csv");
  CHECK(topology_row_network(rows.at(0)).layers[0].output == TensorShape{7, 4, 4});
}

TEST_CASE("t_scalesim: GEMM topologies (Layer, M, N, K) become 1x1 convolutions with M*N*K MACs", "[scalesim]") {
  const Workload gemm = load_workload(data + "gemm/small_gemm.csv");
  REQUIRE(gemm.networks.size() == 3);
  const Network& proj = gemm.networks[1];
  CHECK(proj.input == TensorShape{12, 1, 24});  // M x 1 x K
  CHECK(proj.layers[0].output == TensorShape{12, 1, 20});  // N filters
  CHECK(is_pointwise(proj.layers[0]));
  CHECK(total_macs(gemm) == 16 * 16 * 8 + 12 * 20 * 24 + 4 * 40 * 33);
  const std::vector<TopologyRow> rows = parse_topology_rows(read_input_file(data + "gemm/small_gemm.csv"), "g.csv");
  for (std::size_t i = 0; i < rows.size(); ++i) CHECK(rows[i].macs() == total_macs(gemm.networks[i]));
}

TEST_CASE("t_scalesim: SCALE-Sim configurations map to tandem's, naming what has no counterpart", "[scalesim]") {
  const ScaleSimConfig eyeriss = load_scalesim_config(data + "configs/eyeriss.cfg");
  CHECK(eyeriss.run_name == "eyeriss");
  CHECK(eyeriss.accelerator.array.rows == 12);
  CHECK(eyeriss.accelerator.array.cols == 14);
  CHECK(eyeriss.accelerator.array.dataflow == Dataflow::weight_stationary);
  CHECK(eyeriss.accelerator.buffers.input_kib == 32);  // 36 KB rounded down to a power of two
  CHECK(eyeriss.accelerator.buffers.weight_kib == 32);
  CHECK(eyeriss.accelerator.buffers.output_kib == 32);
  CHECK(eyeriss.accelerator.dram.bytes_per_cycle == 16);  // Bandwidth unused under CALC: the default
  auto noted = [&](const std::string& text) {
    return std::any_of(eyeriss.notes.begin(), eyeriss.notes.end(),
                       [&](const std::string& note) { return note.find(text) != std::string::npos; });
  };
  CHECK(noted("IfmapSramSzkB 36 KiB -> buffers.input_kib 32 (rounded down"));
  CHECK(noted("FilterOffset 10000000: no counterpart (tandem lays out DRAM itself); ignored"));
  CHECK(noted("MemoryBanks 1: no counterpart"));
  CHECK(noted("Bandwidth 10: ignored, as SCALE-Sim ignores it unless InterfaceBandwidth is USER"));
  CHECK(noted("InterfaceBandwidth CALC: tandem always models its DRAM port at dram.bytes_per_cycle 16"));
  CHECK(noted("tandem's defaults, no SCALE-Sim counterpart: array.requantizer pipelined"));
  CHECK_FALSE(noted("run_name"));

  const ScaleSimConfig scale = load_scalesim_config(data + "configs/scale.cfg");
  CHECK(scale.accelerator.array.rows == 32);
  CHECK(scale.accelerator.array.dataflow == Dataflow::output_stationary);
  CHECK(scale.accelerator.buffers.input_kib == 64);

  // With USER bandwidth, Bandwidth counts: one value per bank, the least taken (as SCALE-Sim);
  // a key SCALE-Sim needs but the file lacks keeps tandem's default, and says so.
  const ScaleSimConfig user = parse_scalesim_config(
      "[architecture_presets]\nArrayHeight: 8\nBandwidth: 40, 10\n[run_presets]\nInterfaceBandwidth: USER\n", "u.cfg");
  CHECK(user.accelerator.dram.bytes_per_cycle == 8);
  CHECK(std::count(user.notes.begin(), user.notes.end(), "ArrayWidth absent: array.cols kept at tandem's default 16") == 1);
  CHECK(std::count(user.notes.begin(), user.notes.end(),
                   "Dataflow absent: array.dataflow kept at tandem's default weight_stationary") == 1);

  CHECK_THROWS_WITH(load_scalesim_config(data + "configs/google.cfg"),
                    data + "configs/google.cfg:5: error: ArrayHeight: 256 has no counterpart: tandem's array.rows is an "
                           "integer 2..64");
}

TEST_CASE("t_scalesim: every bad SCALE-Sim configuration gives its golden one-line error", "[scalesim][bad]") {
  CHECK(test::check_bad_input_goldens(data + "bad", {".cfg"}, [](const std::string& file) {
          return test::input_error_of([&] { load_scalesim_config(file); });
        }) >= 6);
}

TEST_CASE("t_scalesim: a workload simulates row by row, each row as its own network", "[scalesim]") {
  const Workload workload = load_workload(data + "gemm/small_gemm.csv");
  AcceleratorConfig config;
  config.array = {8, 8, Dataflow::weight_stationary};
  SimulationOptions options;
  options.seed = 5;
  std::vector<std::size_t> progress;
  options.on_layer = [&](std::size_t index, std::size_t count, const LayerMetrics&) {
    CHECK(count == 3);
    progress.push_back(index);
  };
  const NetworkMetrics metrics = simulate_workload(workload, config, options);
  CHECK(progress == std::vector<std::size_t>{1, 2, 3});
  CHECK(metrics.network == "small_gemm");
  REQUIRE(metrics.layers.size() == 3);
  REQUIRE(metrics.all_ok());
  std::uint64_t cycles = 0;
  for (std::size_t k = 0; k < 3; ++k) {
    SimulationOptions alone;
    alone.seed = 5 + 2 * k;  // network k's own weights and input
    const LayerMetrics row = simulate_network(workload.networks[k], config, alone).layers.at(0);
    CHECK(metrics.layers[k].name == row.name);
    CHECK(metrics.layers[k].cycles == row.cycles);
    CHECK(metrics.layers[k].counters == row.counters);
    cycles += row.cycles;
  }
  CHECK(metrics.total_cycles() == cycles);
  // --layer picks rows of any network.
  options.only_layers = {"FF"};
  options.on_layer = nullptr;
  const NetworkMetrics ff = simulate_workload(workload, config, options);
  REQUIRE(ff.layers.size() == 1);
  CHECK(ff.layers[0].cycles == metrics.layers[2].cycles);
  options.only_layers = {"nope"};
  CHECK_THROWS_WITH(simulate_workload(workload, config, options), "workload 'small_gemm' has no layer 'nope'");
}
