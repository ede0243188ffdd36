// t_array_unit: PEs, systolic array and the array unit's LOADW/MATMUL sequencing, verilated for
// several shapes (square and not) and both dataflows, against C++ matrix products. Also pins
// the busy-cycle formulas (rtl_templates/tandem_array_unit.v) and the MAC activity counts.
#include <catch2/catch.hpp>

#include <memory>
#include <random>

#include "tandem_array_unit_variants.h"
#include "verilated_bits.h"

using tandem::test::get_word32;
using tandem::test::set_bytes;

namespace {

using Word8 = std::vector<std::int8_t>;
using Word32 = std::vector<std::int32_t>;

std::vector<std::uint8_t> as_bytes(const Word8& word) {
  return std::vector<std::uint8_t>(word.begin(), word.end());
}

struct Totals {
  std::uint64_t busy_cycles = 0;
  std::uint64_t macs = 0;
  std::uint64_t zero_macs = 0;
};

// Drives one Verilated tandem_array_unit with behavioral scratchpads (registered reads).
template <typename Model>
class ArrayHarness {
 public:
  static constexpr int kDepth = 1024;

  ArrayHarness(int rows, int cols)
      : ibuf(kDepth, Word8(rows)), wbuf(kDepth, Word8(cols)), obuf(kDepth, Word32(cols)),
        obuf_written(kDepth, false), rows_(rows), cols_(cols), dut_(std::make_unique<Model>()) {
    dut_->rst_n = 0;
    dut_->start = 0;
    tick();
    tick();
    dut_->rst_n = 1;
    tick();
  }

  Totals run(bool is_matmul, bool acc, int a_addr, int b_addr, int c_addr, int len, int a_stride) {
    dut_->start = 1;
    dut_->is_matmul = is_matmul;
    dut_->acc = acc;
    dut_->a_addr = static_cast<std::uint32_t>(a_addr);
    dut_->b_addr = static_cast<std::uint32_t>(b_addr);
    dut_->c_addr = static_cast<std::uint32_t>(c_addr);
    dut_->len = static_cast<std::uint16_t>(len);
    dut_->a_stride = static_cast<std::uint16_t>(a_stride);
    Totals totals;
    tick(&totals);
    dut_->start = 0;
    for (int guard = 0; dut_->busy; ++guard) {
      REQUIRE(guard < 100000);  // a stuck sequencer fails instead of hanging
      ++totals.busy_cycles;
      tick(&totals);
    }
    return totals;
  }

  std::vector<Word8> ibuf, wbuf;
  std::vector<Word32> obuf;
  std::vector<bool> obuf_written;

 private:
  void tick(Totals* totals = nullptr) {
    dut_->clk = 0;
    dut_->eval();
    if (totals) {
      totals->macs += dut_->macs;
      totals->zero_macs += dut_->zero_macs;
    }
    const bool ibuf_re = dut_->ibuf_re, wbuf_re = dut_->wbuf_re, obuf_re = dut_->obuf_re;
    const bool obuf_we = dut_->obuf_we;
    const int ibuf_raddr = dut_->ibuf_raddr, wbuf_raddr = dut_->wbuf_raddr;
    const int obuf_raddr = dut_->obuf_raddr, obuf_waddr = dut_->obuf_waddr;
    Word32 written(static_cast<std::size_t>(cols_));
    for (int j = 0; j < cols_; ++j) {
      written[static_cast<std::size_t>(j)] = static_cast<std::int32_t>(get_word32(dut_->obuf_wdata, j));
    }
    dut_->clk = 1;
    dut_->eval();
    // Registered reads return the old contents; then writes land.
    if (ibuf_re) set_bytes(dut_->ibuf_rdata, as_bytes(ibuf.at(static_cast<std::size_t>(ibuf_raddr))));
    if (wbuf_re) set_bytes(dut_->wbuf_rdata, as_bytes(wbuf.at(static_cast<std::size_t>(wbuf_raddr))));
    if (obuf_re) {
      for (int j = 0; j < cols_; ++j) {
        tandem::test::set_word32(dut_->obuf_rdata, j,
                                 static_cast<std::uint32_t>(obuf.at(static_cast<std::size_t>(obuf_raddr))[static_cast<std::size_t>(j)]));
      }
    }
    if (obuf_we) {
      obuf.at(static_cast<std::size_t>(obuf_waddr)) = written;
      obuf_written.at(static_cast<std::size_t>(obuf_waddr)) = true;
    }
  }

  int rows_, cols_;
  std::unique_ptr<Model> dut_;
};

// Random int8 with many zeros and the extremes, so that zero counting and -128*-128 are hit.
std::int8_t random_int8(std::mt19937_64& rng) {
  switch (rng() % 8) {
    case 0: return 0;
    case 1: return -128;
    case 2: return 127;
    default: return static_cast<std::int8_t>(static_cast<int>(rng() % 256) - 128);
  }
}

Word8 random_word(std::mt19937_64& rng, int n) {
  Word8 word(static_cast<std::size_t>(n));
  for (auto& value : word) value = random_int8(rng);
  return word;
}

// Exactly the expected OBUF words were written, with the expected values.
template <typename Model>
void check_obuf(const ArrayHarness<Model>& h, const std::vector<Word32>& expected,
                const std::vector<bool>& expect_written) {
  for (std::size_t addr = 0; addr < expected.size(); ++addr) {
    INFO("OBUF word " << addr);
    REQUIRE(h.obuf_written[addr] == expect_written[addr]);
    if (expect_written[addr]) CHECK(h.obuf[addr] == expected[addr]);
  }
}

template <typename Model>
void check_weight_stationary(int rows, int cols, std::uint64_t seed) {
  ArrayHarness<Model> h(rows, cols);
  std::mt19937_64 rng(seed);
  const int lat = rows + cols - 1;

  const int w_addr = 5;
  std::vector<Word8> weights;
  for (int i = 0; i < rows; ++i) {
    weights.push_back(random_word(rng, cols));
    h.wbuf[static_cast<std::size_t>(w_addr + i)] = weights.back();
  }
  Totals load = h.run(false, false, 0, w_addr, 0, 0, 0);
  CHECK(load.busy_cycles == static_cast<std::uint64_t>(rows + 1));
  CHECK(load.macs == 0);

  // Two MATMULs: the second accumulates onto part of the first's rows.
  struct Pass { int a_addr, stride, len, c_addr; bool acc; };
  const Pass passes[] = {{2, 3, 7, 10, false}, {200, 1, 4, 12, true}};
  std::vector<Word32> expected(static_cast<std::size_t>(ArrayHarness<Model>::kDepth), Word32(static_cast<std::size_t>(cols)));
  std::vector<bool> expect_written(static_cast<std::size_t>(ArrayHarness<Model>::kDepth), false);
  for (const Pass& pass : passes) {
    std::uint64_t zero_macs = 0;
    for (int m = 0; m < pass.len; ++m) {
      Word8 a = random_word(rng, rows);
      h.ibuf[static_cast<std::size_t>(pass.a_addr + m * pass.stride)] = a;
      auto& row = expected[static_cast<std::size_t>(pass.c_addr + m)];
      for (int j = 0; j < cols; ++j) {
        std::int32_t sum = pass.acc ? row[static_cast<std::size_t>(j)] : 0;
        for (int i = 0; i < rows; ++i) {
          const std::int8_t w = weights[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
          sum += a[static_cast<std::size_t>(i)] * w;
          zero_macs += (a[static_cast<std::size_t>(i)] == 0 || w == 0) ? 1 : 0;
        }
        row[static_cast<std::size_t>(j)] = sum;
      }
      expect_written[static_cast<std::size_t>(pass.c_addr + m)] = true;
    }
    Totals run = h.run(true, pass.acc, pass.a_addr, 0, pass.c_addr, pass.len, pass.stride);
    CHECK(run.busy_cycles == static_cast<std::uint64_t>(pass.len + lat + 1));
    CHECK(run.macs == static_cast<std::uint64_t>(pass.len * rows * cols));
    CHECK(run.zero_macs == zero_macs);
  }
  check_obuf(h, expected, expect_written);
}

template <typename Model>
void check_output_stationary(int rows, int cols, std::uint64_t seed) {
  ArrayHarness<Model> h(rows, cols);
  std::mt19937_64 rng(seed);
  const int lat = rows + cols - 1;

  // LOADW means nothing output-stationary: it completes at once.
  CHECK(h.run(false, false, 0, 0, 0, 0, 0).busy_cycles == 0);

  struct Pass { int a_addr, stride, b_addr, len, c_addr; bool acc; };
  const Pass passes[] = {{3, 2, 7, 9, 20, false}, {300, 1, 400, 3, 20, true}, {500, 5, 600, 1, 40, false}};
  std::vector<Word32> expected(static_cast<std::size_t>(ArrayHarness<Model>::kDepth), Word32(static_cast<std::size_t>(cols)));
  std::vector<bool> expect_written(static_cast<std::size_t>(ArrayHarness<Model>::kDepth), false);
  for (const Pass& pass : passes) {
    std::vector<Word8> a, b;
    std::uint64_t zero_macs = 0;
    for (int k = 0; k < pass.len; ++k) {
      a.push_back(random_word(rng, rows));
      b.push_back(random_word(rng, cols));
      h.ibuf[static_cast<std::size_t>(pass.a_addr + k * pass.stride)] = a.back();
      h.wbuf[static_cast<std::size_t>(pass.b_addr + k)] = b.back();
    }
    for (int i = 0; i < rows; ++i) {
      auto& row = expected[static_cast<std::size_t>(pass.c_addr + i)];
      for (int j = 0; j < cols; ++j) {
        std::int32_t sum = pass.acc ? row[static_cast<std::size_t>(j)] : 0;
        for (int k = 0; k < pass.len; ++k) {
          const std::int8_t x = a[static_cast<std::size_t>(k)][static_cast<std::size_t>(i)];
          const std::int8_t y = b[static_cast<std::size_t>(k)][static_cast<std::size_t>(j)];
          sum += x * y;
          zero_macs += (x == 0 || y == 0) ? 1 : 0;
        }
        row[static_cast<std::size_t>(j)] = sum;
      }
      expect_written[static_cast<std::size_t>(pass.c_addr + i)] = true;
    }
    Totals run = h.run(true, pass.acc, pass.a_addr, pass.b_addr, pass.c_addr, pass.len, pass.stride);
    CHECK(run.busy_cycles == static_cast<std::uint64_t>(pass.len + lat + rows));
    CHECK(run.macs == static_cast<std::uint64_t>(pass.len * rows * cols));
    CHECK(run.zero_macs == zero_macs);
  }
  check_obuf(h, expected, expect_written);
}

template <typename Model>
void check_variant(int rows, int cols, int dataflow) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    if (dataflow == 0) check_weight_stationary<Model>(rows, cols, seed);
    else check_output_stationary<Model>(rows, cols, seed);
  }
}

}  // namespace

#define TANDEM_ARRAY_TEST(Model, name, rows, cols, dataflow, ...)                                \
  TEST_CASE("t_array_unit: " name " matches C++ matrix products", "[rtl][array]") {          \
    check_variant<Model>(rows, cols, dataflow);                                              \
  }
TANDEM_VARIANTS_TANDEM_ARRAY_UNIT(TANDEM_ARRAY_TEST)
