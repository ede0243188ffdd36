// t_cosim: RTL co-simulation of hand-assembled Programs on small generated accelerators
// (docs/cosim.md). Each configuration's simulator is built once into a test-local cache below
// the build tree, so later runs only simulate.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/accelerator_geometry.h"
#include "core/files.h"
#include "core/isa.h"
#include "core/program.h"
#include "models/network_builder.h"
#include "models/random_quantization.h"
#include "run_process.h"
#include "compiler/compiler.h"
#include "golden/golden.h"
#include "core/quant_math.h"
#include "cosim/rtl_cosim.h"

namespace tandem {
namespace {

namespace f = isa::field;
using isa::Instruction;
using isa::Opcode;

AcceleratorConfig make_config(int rows, int cols, Dataflow df, int bpc, int latency) {
  AcceleratorConfig c;
  c.array = {rows, cols, df};
  c.buffers = {1, 1, 1, 2};
  c.vector.lanes = 4;
  c.dram = {bpc, latency};
  return c;
}

// 3x5 weight-stationary, 4 bytes/cycle (word sizes 3, 5, 20, 12: none a multiple of 4 but 20),
// 37 cycles of latency.
AcceleratorConfig config_ws() { return make_config(3, 5, Dataflow::weight_stationary, 4, 37); }
// 5x3 output-stationary, 16 bytes/cycle (every word but OBUF's in one request), latency 0.
AcceleratorConfig config_os() { return make_config(5, 3, Dataflow::output_stationary, 16, 0); }

CosimOptions options() {
  CosimOptions o;
  o.cache_dir = TANDEM_COSIM_TEST_CACHE;
  return o;
}

int word_bytes(const AcceleratorConfig& c, isa::Buffer b) {
  const AcceleratorGeometry g = accelerator_geometry(c);
  switch (b) {
    case isa::Buffer::ibuf: return g.ibuf.word_bytes;
    case isa::Buffer::wbuf: return g.wbuf.word_bytes;
    case isa::Buffer::obuf: return g.obuf.word_bytes;
    case isa::Buffer::param: return g.param.word_bytes;
  }
  return 0;
}

Instruction dma(Opcode op, isa::Buffer b, std::int64_t sp, std::int64_t dram, std::int64_t rows,
                std::int64_t row_words, std::int64_t pitch, bool narrow = false) {
  Instruction i(op);
  i.set(f::buf, static_cast<std::int64_t>(b)).set(f::sp_addr, sp).set(f::dram_addr, dram);
  i.set(f::rows, rows).set(f::row_words, row_words).set(f::dram_pitch, pitch);
  if (narrow) i.set(f::narrow, 1);
  return i;
}
Instruction sync(int mask) { return Instruction(Opcode::sync).set(f::mask, mask); }

std::vector<std::uint8_t> pattern(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::uint8_t> v(n);
  for (auto& b : v) b = static_cast<std::uint8_t>(rng());
  return v;
}

void put32(std::vector<std::uint8_t>& v, std::size_t at, std::int32_t x) {
  for (int i = 0; i < 4; ++i) v[at + i] = static_cast<std::uint8_t>(static_cast<std::uint32_t>(x) >> (8 * i));
}
std::int32_t get32(const std::vector<std::uint8_t>& v, std::size_t at) {
  std::uint32_t x = 0;
  for (int i = 0; i < 4; ++i) x |= std::uint32_t{v.at(at + i)} << (8 * i);
  return static_cast<std::int32_t>(x);
}

CosimResult run(const Program& p, CosimOptions o = options()) {
  CosimResult r = run_rtl_cosim(p, o);
  INFO(r.json);
  REQUIRE(r.ok);
  REQUIRE(r.outputs.size() == p.outputs.size());
  return r;
}

// (a) LOAD a strided pattern into a buffer, STORE it back elsewhere with another shape: DRAM
// bytes equal a C++ model of the two transfers.
void check_copy(const AcceleratorConfig& c, isa::Buffer b) {
  const int B = word_bytes(c, b);
  const int rows = 3, row_words = 2, in_pitch = 2 * B + 7;   // gaps between the source rows
  const int out_rows = 2, out_words = 3, out_pitch = 3 * B + 5;
  const std::uint32_t src = 64, dst = 1024, sp = 1;  // PARAM holds only 2*max(R, C) words
  Program p;
  p.name = "copy";
  p.config = c;
  p.dram_bytes = 2048;
  p.memory.push_back({"src", src, pattern(static_cast<std::size_t>(rows * in_pitch), 7 + static_cast<unsigned>(b))});
  p.instructions.push_back(dma(Opcode::load, b, sp, src, rows, row_words, in_pitch));
  p.instructions.push_back(dma(Opcode::store, b, sp, dst, out_rows, out_words, out_pitch));
  p.outputs.push_back({"dst", dst, static_cast<std::uint32_t>(out_rows * out_pitch)});

  // The scratchpad words in order, then the expected destination (untouched gaps stay 0).
  std::vector<std::uint8_t> words;
  for (int r = 0; r < rows; ++r) {
    const auto& s = p.memory[0].bytes;
    words.insert(words.end(), s.begin() + r * in_pitch, s.begin() + r * in_pitch + row_words * B);
  }
  std::vector<std::uint8_t> expected(static_cast<std::size_t>(out_rows * out_pitch), 0);
  for (int r = 0; r < out_rows; ++r) {
    std::copy(words.begin() + r * out_words * B, words.begin() + (r + 1) * out_words * B,
              expected.begin() + r * out_pitch);
  }
  const CosimResult result = run(p);
  CHECK(result.outputs[0] == expected);
  CHECK(result.counters.at("dram_read_bytes") == static_cast<std::uint64_t>(rows * row_words * B));
  CHECK(result.counters.at("dram_write_bytes") == static_cast<std::uint64_t>(out_rows * out_words * B));
  CHECK(result.counters.at("instructions") == p.instructions.size());
}

TEST_CASE("t_cosim: program file round trip", "[rtl]") {
  Program p;
  p.name = "round trip";
  p.config = config_os();
  p.instructions.push_back(dma(Opcode::load, isa::Buffer::wbuf, 3, 100, 2, 3, 40));
  p.instructions.push_back(Instruction(Opcode::vset).set(f::zp_a, -5).set(f::out_step, 65535));
  p.memory.push_back({"w", 100, pattern(77, 1)});
  p.outputs.push_back({"o", 300, 12});
  p.dram_bytes = 512;
  const std::string path = std::string(TANDEM_COSIM_TEST_CACHE) + "/round_trip.tpg";
  std::filesystem::create_directories(TANDEM_COSIM_TEST_CACHE);
  write_program_file(p, path);
  const Program q = read_program_file(path);
  CHECK(q.name == p.name);
  CHECK(q.config == p.config);
  CHECK(q.instructions == p.instructions);
  REQUIRE(q.memory.size() == 1);
  CHECK(q.memory[0].name == "w");
  CHECK(q.memory[0].address == 100);
  CHECK(q.memory[0].bytes == p.memory[0].bytes);
  REQUIRE(q.outputs.size() == 1);
  CHECK(q.outputs[0].name == "o");
  CHECK(q.outputs[0].address == 300);
  CHECK(q.outputs[0].bytes == 12);
  CHECK(q.dram_bytes == 512);
}

TEST_CASE("t_cosim: bad program files are refused with a clear error", "[rtl]") {
  const std::string dir = std::string(TANDEM_COSIM_TEST_CACHE) + "/bad";
  std::filesystem::create_directories(dir);
  const std::string garbage = dir + "/garbage.tpg";
  std::ofstream(garbage) << "this is not a program\n";
  CHECK_THROWS_WITH(read_program_file(garbage),
                    garbage + ": error: not a tandem program file (bad magic; expected \"TANDEMPG\")");
  CHECK_THROWS_WITH(run_rtl_cosim_file(garbage, options()), Catch::Contains("bad magic"));
  CHECK_THROWS_WITH(read_program_file(dir + "/missing.tpg"),
                    dir + "/missing.tpg: error: cannot open program file: No such file or directory");

  Program p;
  p.name = "t";
  p.config = config_ws();
  p.memory.push_back({"m", 0, pattern(100, 2)});
  p.dram_bytes = 100;
  const std::string good = dir + "/good.tpg";
  write_program_file(p, good);
  std::string bytes = tandem::read_file(good);
  const std::string truncated = dir + "/truncated.tpg";
  std::ofstream(truncated, std::ios::binary) << bytes.substr(0, bytes.size() - 30);
  CHECK_THROWS_WITH(read_program_file(truncated), Catch::StartsWith(truncated + ": error: truncated program file"));
  bytes[8] = 9;  // version
  const std::string version = dir + "/version.tpg";
  std::ofstream(version, std::ios::binary) << bytes;
  CHECK_THROWS_WITH(read_program_file(version),
                    version + ": error: unsupported program file version 9 (this tandem reads 1 and 2)");
  p.dram_bytes = 50;
  write_program_file(p, good);
  CHECK_THROWS_WITH(read_program_file(good),
                    good + ": error: memory segment 'm' [0, 100) exceeds dram_bytes 50");
}

TEST_CASE("t_cosim: LOAD/STORE round trips of every buffer on 3x5 WS with 4 bytes per cycle and latency 37", "[rtl]") {
  const AcceleratorConfig c = config_ws();
  for (auto b : {isa::Buffer::ibuf, isa::Buffer::wbuf, isa::Buffer::obuf, isa::Buffer::param}) {
    INFO("buffer " << static_cast<int>(b));
    check_copy(c, b);
  }
}

TEST_CASE("t_cosim: LOAD/STORE round trips of every buffer on 5x3 OS with 16 bytes per cycle and latency 0", "[rtl]") {
  const AcceleratorConfig c = config_os();
  for (auto b : {isa::Buffer::ibuf, isa::Buffer::wbuf, isa::Buffer::obuf, isa::Buffer::param}) {
    INFO("buffer " << static_cast<int>(b));
    check_copy(c, b);
  }
}

// int8 matrices as DRAM bytes.
struct Matrix {
  int rows, cols;
  std::vector<std::int8_t> v;
  std::int8_t at(int r, int c) const { return v[static_cast<std::size_t>(r * cols + c)]; }
  std::vector<std::uint8_t> bytes() const { return {v.begin(), v.end()}; }
};
Matrix random_matrix(int rows, int cols, unsigned seed) {
  std::mt19937 rng(seed);
  Matrix m{rows, cols, {}};
  for (int i = 0; i < rows * cols; ++i) m.v.push_back(static_cast<std::int8_t>(rng() % 256));
  return m;
}

// (b) + (c) + (d): WS matmul (twice, the second accumulating), then REQUANT and a narrow STORE.
TEST_CASE("t_cosim: weight-stationary matmul and accumulate and requantize and counters", "[rtl]") {
  const AcceleratorConfig c = config_ws();
  const int R = c.array.rows, C = c.array.cols, M = 6;
  const Matrix A = random_matrix(M, R, 11), W = random_matrix(R, C, 12);
  std::vector<std::uint8_t> params(static_cast<std::size_t>(12 * C));
  std::vector<std::int32_t> bias(C), mult(C), shift(C);
  for (int e = 0; e < C; ++e) {
    bias[e] = 100 * e - 250;
    mult[e] = 1073741824 + 12345678 * e;  // ~0.5 .. 0.53 in Q31
    shift[e] = -3 - (e % 3);
    put32(params, 12 * e, bias[e]);
    put32(params, 12 * e + 4, mult[e]);
    put32(params, 12 * e + 8, shift[e]);
  }
  const std::int32_t zp_out = -3, lo = -100, hi = 90;
  Program p;
  p.name = "ws_matmul";
  p.config = c;
  p.dram_bytes = 4096;
  p.memory = {{"A", 0, A.bytes()}, {"W", 256, W.bytes()}, {"params", 512, params}};
  p.outputs = {{"acc", 1024, static_cast<std::uint32_t>(M * C * 4)},
               {"q", 2048, static_cast<std::uint32_t>(M * C)}};
  using isa::Buffer;
  p.instructions = {
      dma(Opcode::load, Buffer::ibuf, 0, 0, 1, M, 0),
      dma(Opcode::load, Buffer::wbuf, 0, 256, 1, R, 0),
      dma(Opcode::load, Buffer::param, 0, 512, 1, C, 0),
      sync(isa::sync_dma),
      Instruction(Opcode::loadw).set(f::w_addr, 0),
      Instruction(Opcode::matmul).set(f::a_addr, 0).set(f::c_addr, 0).set(f::len, M).set(f::a_stride, 1),
      Instruction(Opcode::matmul).set(f::acc, 1).set(f::a_addr, 0).set(f::c_addr, 0).set(f::len, M).set(f::a_stride, 1),
      sync(isa::sync_array),
      dma(Opcode::store, Buffer::obuf, 0, 1024, 1, M, 0),
      Instruction(Opcode::vset).set(f::zp_out, zp_out).set(f::clamp_lo, lo).set(f::clamp_hi, hi).set(f::param_base, 0),
      sync(isa::sync_dma),
      Instruction(Opcode::vector).set(f::vop, static_cast<int>(isa::VectorOp::requant)).set(f::src, 0).set(f::count, M),
      sync(isa::sync_vector),
      dma(Opcode::store, Buffer::obuf, 0, 2048, M, 1, C, true),
  };
  const CosimResult r = run(p);
  for (int m = 0; m < M; ++m) {
    for (int j = 0; j < C; ++j) {
      std::int32_t sum = 0;
      for (int i = 0; i < R; ++i) sum += 2 * A.at(m, i) * W.at(i, j);
      INFO("m " << m << " j " << j);
      CHECK(get32(r.outputs[0], static_cast<std::size_t>(4 * (m * C + j))) == sum);
      const std::int8_t q = requantize(sum, bias[j], mult[j], shift[j], zp_out, lo, hi);
      CHECK(static_cast<std::int8_t>(r.outputs[1][static_cast<std::size_t>(m * C + j)]) == q);
    }
  }
  // (d) counters
  const auto& k = r.counters;
  CHECK(k.size() == isa::counter_names().size());
  CHECK(k.at("instructions") == p.instructions.size());
  CHECK(k.at("dram_read_bytes") == static_cast<std::uint64_t>(M * R + R * C + 12 * C));
  CHECK(k.at("dram_write_bytes") == static_cast<std::uint64_t>(M * C * 4 + M * C));
  CHECK(k.at("macs") == static_cast<std::uint64_t>(2 * M * R * C));
  CHECK(r.cycles > 0);
  CHECK(r.cycles == k.at("cycles"));
  CHECK(r.json.find("\"cycles\": " + std::to_string(r.cycles) + ",") != std::string::npos);
  // Three loads at 37 cycles of latency each, at least.
  CHECK(r.cycles > 3 * 37);
}

TEST_CASE("t_cosim: output-stationary matmul", "[rtl]") {
  const AcceleratorConfig c = config_os();
  const int R = c.array.rows, C = c.array.cols, K = 7;
  const Matrix A = random_matrix(K, R, 21), B = random_matrix(K, C, 22);
  Program p;
  p.name = "os_matmul";
  p.config = c;
  p.dram_bytes = 1024;
  p.memory = {{"A", 0, A.bytes()}, {"B", 128, B.bytes()}};
  p.outputs = {{"out", 512, static_cast<std::uint32_t>(R * C * 4)}};
  using isa::Buffer;
  p.instructions = {
      dma(Opcode::load, Buffer::ibuf, 2, 0, 1, K, 0),
      dma(Opcode::load, Buffer::wbuf, 3, 128, 1, K, 0),
      sync(isa::sync_dma),
      Instruction(Opcode::matmul).set(f::a_addr, 2).set(f::b_addr, 3).set(f::c_addr, 1).set(f::len, K).set(f::a_stride, 1),
      sync(isa::sync_array),
      dma(Opcode::store, Buffer::obuf, 1, 512, 1, R, 0),
  };
  const CosimResult r = run(p);
  for (int i = 0; i < R; ++i) {
    for (int j = 0; j < C; ++j) {
      std::int32_t sum = 0;
      for (int k = 0; k < K; ++k) sum += A.at(k, i) * B.at(k, j);
      INFO("i " << i << " j " << j);
      CHECK(get32(r.outputs[0], static_cast<std::size_t>(4 * (i * C + j))) == sum);
    }
  }
  CHECK(r.counters.at("instructions") == p.instructions.size());
  CHECK(r.counters.at("dram_read_bytes") == static_cast<std::uint64_t>(K * R + K * C));
  CHECK(r.counters.at("dram_write_bytes") == static_cast<std::uint64_t>(R * C * 4));
}

// End to end: every layer kind of a small network, compiled by compiler/compiler.h, gives on the RTL
// the functional executor's bytes and the golden reference's tensor.
void check_compiled_layers(const AcceleratorConfig& config) {
  NetworkBuilder b("cosim_mix", {6, 5, 4}, 7);
  const int in = NetworkBuilder::network_input;
  const int c1 = b.conv("conv3x3", in, 7, 3, 1, Activation::relu);
  const int d1 = b.depthwise("dw3x3", c1, 3, 1, Activation::relu6);
  b.conv("pointwise", d1, 6, 1, 1, Activation::none);
  b.add("residual", c1, d1, Activation::relu);
  b.pool("maxpool", LayerKind::max_pool, c1, 3, 2, Padding::same);
  b.pool("avgpool", LayerKind::avg_pool, c1, 2, 2, Padding::valid);
  Network net = b.finish();
  quantize_randomly(net, 5);
  const Tensor8 input = random_input(net, 9);
  const std::vector<Tensor8> golden = golden_network(net, input);
  int ran = 0;
  for (std::size_t l = 0; l < net.layers.size(); ++l) {
    const Layer& layer = net.layers[l];
    INFO("layer " << layer.name);
    const std::vector<const Tensor8*> inputs = layer_inputs(layer, input, golden);
    Program program;
    try {
      program = compile_layer(layer, inputs, config);
    } catch (const MappingError& e) {
      WARN("not mapped: " << e.what());
      continue;
    }
    const FunctionalResult functional = execute_program(program);
    const CosimResult rtl = run(program);
    CHECK(rtl.outputs == functional.outputs);
    CHECK(decode_layer_output(layer, config, rtl.outputs[0]).data == golden[l].data);
    CHECK(rtl.counters.at("instructions") == program.instructions.size());
    ++ran;
  }
  CHECK(ran > 0);
}

TEST_CASE("t_cosim: compiled layers on the RTL match the executor and golden on WS", "[rtl]") {
  check_compiled_layers(config_ws());
}

TEST_CASE("t_cosim: compiled layers on the RTL match the executor and golden on OS", "[rtl]") {
  check_compiled_layers(config_os());
}

// (e) the watchdog: a DRAM that never answers stalls the DMA; the run stops with a diagnosis.
TEST_CASE("t_cosim: watchdog stops a stalled simulation with a diagnosis", "[rtl]") {
  Program p;
  p.name = "stall";
  p.config = config_ws();
  p.dram_bytes = 256;
  p.memory = {{"x", 0, pattern(64, 3)}};
  p.instructions = {dma(Opcode::load, isa::Buffer::ibuf, 0, 0, 1, 4, 0),
                    dma(Opcode::store, isa::Buffer::ibuf, 0, 128, 1, 4, 0)};
  CosimOptions o = options();
  o.test_drop_dram_responses = true;
  o.stall_cycles = 500;
  const auto t0 = std::chrono::steady_clock::now();
  const CosimResult r = run_rtl_cosim(p, o);
  INFO(r.json);
  CHECK_FALSE(r.ok);
  CHECK(r.status == "stalled");
  CHECK_THAT(r.diagnosis, Catch::Contains("no progress for 501 cycles"));
  CHECK_THAT(r.diagnosis, Catch::Contains("busy units: DMA;"));
  CHECK_THAT(r.diagnosis, Catch::Contains("held: instruction 1 (STORE"));
  CHECK_THAT(r.diagnosis, Catch::Contains("last dispatched: instruction 0 (LOAD)"));
  CHECK(r.cycles < 1000);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(60));

  // The absolute cap, with a working DRAM.
  CosimOptions capped = options();
  capped.max_cycles = 20;
  const CosimResult c = run_rtl_cosim(p, capped);
  CHECK_FALSE(c.ok);
  CHECK(c.status == "cycle_cap");
  CHECK_THAT(c.diagnosis, Catch::StartsWith("cycle cap of 20 cycles reached; busy units: DMA"));
}

// (f) a second use of a configuration finds the cached simulator.
TEST_CASE("t_cosim: the simulator is cached by configuration", "[rtl]") {
  const CosimOptions o = options();
  bool built = false;
  const std::string first = ensure_simulator(config_ws(), o, &built);
  const auto stamp = std::filesystem::last_write_time(first);
  const auto t0 = std::chrono::steady_clock::now();
  const std::string second = ensure_simulator(config_ws(), o, &built);
  CHECK_FALSE(built);
  CHECK(second == first);
  CHECK(std::filesystem::last_write_time(second) == stamp);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
  CHECK(first.find(config_hash(config_ws())) != std::string::npos);
  // A different configuration gets another simulator.
  AcceleratorConfig other = config_ws();
  other.dram.latency_cycles = 38;
  CHECK(std::filesystem::path(first).parent_path().filename().string().rfind(config_hash(other), 0) != 0);
}

// (g) the simulator executable itself refuses a bad file with exit code 2.
TEST_CASE("t_cosim: the simulator executable reports bad input", "[rtl]") {
  const std::string exe = ensure_simulator(config_ws(), options());
  const std::string dir = std::string(TANDEM_COSIM_TEST_CACHE) + "/bad";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/junk.tpg") << "junk";
  const auto r = test::run_process(exe + " --program " + dir + "/junk.tpg --output " + dir + "/junk.json");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("not a tandem program file"));
  CHECK_THAT(tandem::read_file(dir + "/junk.json"), Catch::Contains("\"ok\": false"));

  Program p;
  p.name = "other";
  p.config = config_os();
  write_program_file(p, dir + "/other.tpg");
  const auto w = test::run_process(exe + " --program " + dir + "/other.tpg --output " + dir + "/other.json");
  CHECK(w.exit_code == 2);
  CHECK_THAT(w.err, Catch::Contains("was compiled for accelerator " + config_hash(config_os())));
}

}  // namespace
}  // namespace tandem

namespace tandem {
namespace {

// Simulation speed (hidden: `t_cosim "[.bench]"`). A stream of accumulating MATMULs over the whole
// IBUF with DMA loads running alongside; prints build time and cycles/s.
void bench(int n) {
  AcceleratorConfig c = make_config(n, n, Dataflow::weight_stationary, 16, 100);
  c.buffers = {16, 16, 16, 4};
  c.vector.lanes = 8;
  const int depth = accelerator_geometry(c).ibuf.depth;
  Program p;
  p.name = "bench";
  p.config = c;
  p.dram_bytes = 1 << 20;
  p.memory = {{"a", 0, pattern(static_cast<std::size_t>(depth * n), 5)}};
  using isa::Buffer;
  p.instructions = {dma(Opcode::load, Buffer::ibuf, 0, 0, 1, depth, 0),
                    dma(Opcode::load, Buffer::wbuf, 0, 0, 1, n, 0), sync(isa::sync_dma),
                    Instruction(Opcode::loadw).set(f::w_addr, 0)};
  for (int i = 0; i < 1000; ++i) {
    p.instructions.push_back(Instruction(Opcode::matmul).set(f::acc, i > 0).set(f::a_addr, 0)
                                 .set(f::c_addr, 0).set(f::len, depth / 2).set(f::a_stride, 1));
    p.instructions.push_back(dma(Opcode::load, Buffer::ibuf, depth / 2, 0, 1, depth / 2, 0));
  }
  p.instructions.push_back(sync(isa::sync_dma | isa::sync_array));
  const auto t0 = std::chrono::steady_clock::now();
  bool built = false;
  ensure_simulator(c, options(), &built);
  const double build = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const CosimResult r = run(p);
  WARN(n << "x" << n << ": build " << (built ? std::to_string(build) + " s" : "cached") << ", "
         << r.cycles << " cycles in " << r.seconds << " s = " << r.cycles / r.seconds / 1e6
         << " M cycles/s");
}

TEST_CASE("t_cosim: bench 8x8", "[.bench]") { bench(8); }
TEST_CASE("t_cosim: bench 16x16", "[.bench]") { bench(16); }

}  // namespace
}  // namespace tandem
