// Convolution on a weight-stationary array (docs/compiler.md). The K dimension of one weight
// tile (a "slice") is a block of R channels of the packed convolution (lowering.h, TapPacking)
// at one kernel offset, so the input stays in HWC order with channels in blocks of R. One
// MATMUL per slice covers a whole tile of output rows (and slices stream back to back, so the
// array fills and drains once per output block and tile, not per output row or slice):
//   - input rows are stored by phase (row h in phase h mod stride_h), so consecutive output rows
//     read consecutive stored rows for every kernel row;
//   - each stored row is `virtual_width x stride_w` pixels wide, so one constant A stride walks
//     from the end of one output row to the start of the next; the few outputs past the real
//     width (ceil((kw - stride_w) / stride_w) per row) are computed and never stored.
// Tiles are output rows x output columns x chunks of the reduction. With two tiles in IBUF the
// next tile loads while the array works on this one; weights stay in WBUF when they all fit,
// else they stream in groups, the next group loading into the other half.
#include <algorithm>
#include <optional>

#include "compiler/compiler.h"
#include "compiler/lowering.h"

namespace tandem::compiler {
namespace {

struct TileShape {
  int rows = 0;           // output rows
  int cols = 0;           // output columns stored
  int virtual_width = 0;  // outputs computed per row (>= cols)
  int blocks = 0;         // channel blocks per pixel in IBUF: all, or a chunk of the reduction
};

// The packed input as stored in DRAM and loaded into IBUF: for each used row phase, a tile holds
// `rows + kh_p` stored rows (the last is slack that the discarded outputs of the last row read).
struct Layout {
  PackedConv conv;
  int R = 0, blocks = 0;          // channel blocks of R in the packed input
  int extra = 0;                  // outputs computed past each row's last column
  int dram_width = 0;             // pixels per stored row in DRAM
  std::vector<int> phase_rows;    // kernel rows per phase (0 for unused phases)
  std::vector<int> phase_stored;  // stored rows per phase in DRAM (slack included)

  Layout(const Layer& layer, const ConvShape& s, const Tensor8& input, int rows, TapPacking packing)
      : conv(layer, s, input, packing), R(rows) {
    blocks = ceil_div(conv.cin, R);
    extra = ceil_div(std::max(conv.kw - conv.sw, 0), conv.sw);
    dram_width = (s.out_w + extra) * conv.sw;
    for (int phase = 0; phase < conv.sh; ++phase) {
      const int kp = phase < conv.kh ? ceil_div(conv.kh - phase, conv.sh) : 0;
      phase_rows.push_back(kp);
      phase_stored.push_back(kp > 0 ? s.out_h + kp : 0);  // rows 0 .. out_h - 1 + kp
    }
  }
  int slices() const { return conv.kh * conv.kw * blocks; }
  int tile_row_words(const TileShape& t) const { return t.virtual_width * conv.sw * t.blocks; }
  long ibuf_words(const TileShape& t) const {
    long words = 0;
    for (int kp : phase_rows) {
      if (kp > 0) words += static_cast<long>(t.rows + kp) * tile_row_words(t);
    }
    return words;
  }
  // IBUF offset of a phase's rows within a tile's image.
  long phase_base(const TileShape& t, int phase) const {
    long base = 0;
    for (int q = 0; q < phase; ++q) {
      const int kp = phase_rows[static_cast<std::size_t>(q)];
      if (kp > 0) base += static_cast<long>(t.rows + kp) * tile_row_words(t);
    }
    return base;
  }
};

// Phase by phase, each stored row dram_width pixels of `blocks` words of R bytes.
std::vector<std::uint8_t> input_image(const Layout& l) {
  const PackedConv& p = l.conv;
  const std::size_t row_bytes = static_cast<std::size_t>(l.dram_width) * l.blocks * l.R;
  std::size_t total_rows = 0;
  for (int n : l.phase_stored) total_rows += static_cast<std::size_t>(n);
  std::vector<std::uint8_t> image(total_rows * row_bytes, 0);
  std::size_t stored = 0;
  for (int phase = 0; phase < p.sh; ++phase) {
    for (int q = 0; q < l.phase_stored[static_cast<std::size_t>(phase)]; ++q, ++stored) {
      for (int w = 0; w < l.dram_width; ++w) {
        for (int c = 0; c < p.cin; ++c) {
          const std::size_t at = stored * row_bytes + static_cast<std::size_t>(w) * l.blocks * l.R + static_cast<std::size_t>(c);
          image[at] = static_cast<std::uint8_t>(p.input_at(q * p.sh + phase, w, c));  // past hp, wp: padding
        }
      }
    }
  }
  return image;
}

// The slices of one output-channel block in execution order: chunks of `chunk` channel blocks,
// in each kernel row, kernel column, block. A slice is R words of C bytes; word r holds the
// packed channel cb*R + r.
struct Slice {
  int i, j, cb;
};
std::vector<Slice> slice_order(const Layout& l, int chunk) {
  std::vector<Slice> order;
  for (int b0 = 0; b0 < l.blocks; b0 += chunk) {
    for (int i = 0; i < l.conv.kh; ++i) {
      for (int j = 0; j < l.conv.kw; ++j) {
        for (int cb = b0; cb < std::min(b0 + chunk, l.blocks); ++cb) order.push_back({i, j, cb});
      }
    }
  }
  return order;
}

std::vector<std::uint8_t> weight_image(const Layout& l, const std::vector<Slice>& order, int nb_count, int C) {
  const std::size_t slice_bytes = static_cast<std::size_t>(l.R) * C;
  std::vector<std::uint8_t> weights(static_cast<std::size_t>(nb_count) * order.size() * slice_bytes, 0);
  std::size_t at = 0;
  for (int nb = 0; nb < nb_count; ++nb) {
    for (const Slice& slice : order) {
      for (int r = 0; r < l.R; ++r) {
        for (int col = 0; col < C; ++col, ++at) {
          weights[at] = static_cast<std::uint8_t>(l.conv.weight_at(nb * C + col, slice.i, slice.j, slice.cb * l.R + r));
        }
      }
    }
  }
  return weights;
}

// The largest tile that fits `ibuf_words` of IBUF and `out_limit` outputs: every channel block
// and the full width if possible (no reduction chunks, fewest column tiles), then as many rows
// as fit. Nothing when even one output of one channel block does not fit.
std::optional<TileShape> fit_tile(const Layout& l, const ConvShape& s, long ibuf_words, int out_limit) {
  auto halve = [](int n) { return n == 1 ? 0 : ceil_div(n, 2); };
  for (int blocks = l.blocks; blocks >= 1; blocks = halve(blocks)) {
    for (int cols = s.out_w; cols >= 1; cols = halve(cols)) {
      TileShape t{1, cols, cols + l.extra, blocks};
      if (t.virtual_width > out_limit || l.ibuf_words(t) > ibuf_words) continue;
      while (t.rows < s.out_h) {
        TileShape bigger = t;
        ++bigger.rows;
        if (static_cast<long>(bigger.rows) * bigger.virtual_width > out_limit || l.ibuf_words(bigger) > ibuf_words) break;
        t = bigger;
      }
      return t;
    }
  }
  return std::nullopt;
}

struct Tile {
  int row0 = 0, col0 = 0;
  TileShape shape;
};

struct Plan {
  Layout layout;
  TileShape tile;
  bool double_buffered = false;  // two tiles in IBUF: the next loads during this one
  std::vector<Tile> tiles;
};

// Whether two of the largest tile's output blocks fit OBUF: consecutive output-channel blocks
// then alternate between the halves, and a block's STOREs overlap the next block's MATMULs.
bool obuf_halves(const Plan& plan, const AcceleratorGeometry& g) {
  return 2L * plan.tile.rows * plan.tile.virtual_width <= g.obuf.depth;
}

std::vector<Tile> tiles_of(const Layout& l, const ConvShape& s, const TileShape& shape) {
  std::vector<Tile> tiles;
  for (int row0 = 0; row0 < s.out_h; row0 += shape.rows) {
    for (int col0 = 0; col0 < s.out_w; col0 += shape.cols) {
      TileShape t = shape;
      t.rows = std::min(t.rows, s.out_h - row0);
      t.cols = std::min(t.cols, s.out_w - col0);
      t.virtual_width = t.cols + l.extra;
      tiles.push_back({row0, col0, t});
    }
  }
  return tiles;
}

// Cycles of a plan, roughly (the analytic model prices the Program exactly): array work, the
// requantization and stores that cannot overlap it (on the vector unit they share OBUF's ports;
// with the pipelined requantizer, stores beyond the next block's array work), and the input
// loads that do not overlap (all but the first when double-buffered). Without two OBUF halves
// a block's STOREs and the next block's PARAM load run between the blocks' array work.
double estimated_cycles(const Plan& plan, int nb_count, const AcceleratorConfig& config, const AcceleratorGeometry& g) {
  const int R = config.array.rows, C = config.array.cols, L = config.vector.lanes;
  const int bpc = config.dram.bytes_per_cycle, latency = std::max(1, config.dram.latency_cycles);
  const int slices = plan.layout.slices();
  double cycles = 0;
  for (std::size_t t = 0; t < plan.tiles.size(); ++t) {
    const TileShape& shape = plan.tiles[t].shape;
    const double len = static_cast<double>(shape.rows) * shape.virtual_width;
    // Slices stream back to back: a slice takes its length, or when that is shorter the LOADW
    // behind a token (R + C - 1, then R + 1), fill and drain once. With two shadow banks the
    // array needs about half of that per short slice, but pricing it in full keeps tiles
    // long, which measured better (ResNet-50 at 16x16: 64.3% against 63.1% of the array).
    const double array = slices * std::max(len, 2.0 * R + C) + 2 * R + C;
    // A block's output row is one transfer row when the output has one block (contiguous in
    // DRAM), else one word per pixel.
    const int row_requests = nb_count == 1 ? ceil_div(shape.cols, g.narrow_dma_group) : shape.cols;
    const double stores = static_cast<double>(shape.rows) * (row_requests + 2);
    const double param_load = C + latency;
    if (config.array.requantizer == OutputRequantizer::pipelined) {
      if (obuf_halves(plan, g)) {
        cycles += nb_count * (array + std::max(0.0, stores - array)) + param_load;
      } else {
        cycles += nb_count * (array + stores + param_load);
      }
    } else {
      const double requant_word = static_cast<double>(isa::vector_word_cycles(isa::VectorOp::requant, ceil_div(C, L), 1,
                                                                                         config.requant_latency));
      cycles += nb_count * (array + (C + 1) + len * requant_word + stores);
    }
    const int chunks = ceil_div(plan.layout.blocks, plan.tile.blocks);
    const double loads = (chunks > 1 ? nb_count : 1) * (static_cast<double>(plan.layout.ibuf_words(shape)) * g.ibuf.dma_requests_per_word(bpc) + latency);
    if (!plan.double_buffered || t == 0) cycles += loads;
  }
  return cycles;
}

// Per packing whose smallest tile fits (packing every tap shrinks one output's window to one
// pixel, so it fits where the others do not): one tile if the layer fits, else the cheaper of
// the largest single tile and double-buffered half tiles. Then the packing whose plan is
// estimated cheapest, the one with fewer slices on a tie: fewer slices is not always faster, as
// packing a row's taps also drops the outputs computed past each row's end (ResNet-50's 7x7
// 3x3 layers compute 9 columns per row unpacked, 7 packed).
Plan choose_plan(const Layer& layer, const ConvShape& s, const Tensor8& input, const AcceleratorConfig& config,
                 const AcceleratorGeometry& g, int nb_count) {
  const int R = config.array.rows;
  const int out_limit = std::min(g.obuf.depth, 65535);  // MATMUL len and REQUANT count are 16 bits
  std::vector<TapPacking> packings = {TapPacking::none, TapPacking::kernel_row, TapPacking::whole_kernel};
  std::stable_sort(packings.begin(), packings.end(), [&](TapPacking a, TapPacking b) {
    return reduction_slices(s, a, R) < reduction_slices(s, b, R);
  });
  std::string why;
  std::optional<Plan> best;
  double best_cycles = 0;
  for (TapPacking packing : packings) {
    Layout l(layer, s, input, R, packing);
    const auto whole = fit_tile(l, s, g.ibuf.depth, out_limit);
    if (!whole) {
      const TileShape smallest{1, 1, 1 + l.extra, 1};
      if (why.empty()) {
        why = layer.name + ": one output needs " + std::to_string(l.ibuf_words(smallest)) + " IBUF words and " +
              std::to_string(smallest.virtual_width) + " OBUF words, but the buffers hold " +
              std::to_string(g.ibuf.depth) + " and " + std::to_string(out_limit);
      }
      continue;
    }
    // The largest tiles, and tiles small enough for two OBUF halves; each in one IBUF buffer
    // or, when the layer takes several, double-buffered.
    for (int outputs : {out_limit, g.obuf.depth / 2}) {
      const auto tile = outputs == out_limit ? whole : fit_tile(l, s, g.ibuf.depth, outputs);
      if (!tile) continue;
      auto consider = [&](Plan plan) {
        const double cycles = estimated_cycles(plan, nb_count, config, g);
        if (!best || cycles < best_cycles) {
          best = std::move(plan);
          best_cycles = cycles;
        }
      };
      Plan single{l, *tile, false, tiles_of(l, s, *tile)};
      const bool several = single.tiles.size() > 1 && tile->blocks == l.blocks;
      consider(std::move(single));
      const auto half = several ? fit_tile(l, s, g.ibuf.depth / 2, outputs) : std::nullopt;
      if (half && half->blocks == l.blocks) consider({l, *half, true, tiles_of(l, s, *half)});
    }
  }
  if (best) return *best;
  throw MappingError(why);
}

}  // namespace

void lower_conv_weight_stationary(ProgramBuilder& b, const Layer& layer, const Tensor8& input,
                                  const std::optional<OutputSlot>& slot) {
  const ConvShape s = conv_shape(layer);
  const AcceleratorGeometry& g = b.geometry();
  const int R = b.config().array.rows, C = b.config().array.cols;
  const int nb_count = ceil_div(s.cout, C);
  if (2 * R > g.wbuf.depth) {
    throw MappingError(layer.name + ": WBUF holds " + std::to_string(g.wbuf.depth) +
                       " words, double-buffered weight tiles need " + std::to_string(2 * R));
  }
  const Plan plan = choose_plan(layer, s, input, b.config(), g, nb_count);
  const Layout& l = plan.layout;
  const PackedConv& p = l.conv;
  const std::vector<Slice> order = slice_order(l, plan.tile.blocks);
  const int slices = static_cast<int>(order.size());

  const std::uint32_t input_at = b.place(layer.name + ".input", input_image(l));
  const std::uint32_t weights_at = b.place(layer.name + ".weights", weight_image(l, order, nb_count, C));
  const auto [params_at, output_at, pixel_stride] = place_conv_params_and_output(b, layer, s, slot);

  // ---- input: LOAD pieces of a tile ----
  const std::uint32_t pixel_bytes = static_cast<std::uint32_t>(l.blocks * R);
  const std::uint32_t dram_row_bytes = static_cast<std::uint32_t>(l.dram_width) * pixel_bytes;
  std::vector<std::uint32_t> phase_at;  // DRAM address of each phase's first stored row
  std::uint32_t at = input_at;
  for (int n : l.phase_stored) {
    phase_at.push_back(at);
    at += static_cast<std::uint32_t>(n) * dram_row_bytes;
  }
  // A tile's input for channel blocks [b0, b0 + t.blocks). With every block, a stored row's
  // pixels are consecutive words: LOADs of up to `group` rows of a phase. With a chunk, each
  // pixel's words are one transfer row, pixel_bytes apart in DRAM.
  struct Piece {
    long sp_addr;
    std::uint32_t dram_addr;
    int rows, row_words;
    std::uint32_t pitch;
  };
  auto tile_pieces = [&](const Tile& tile, const TileShape& t, int b0, long ibuf_base, int group) {
    std::vector<Piece> pieces;
    const int row_words = l.tile_row_words(t), pixels = t.virtual_width * p.sw;
    const std::uint32_t offset = static_cast<std::uint32_t>(tile.col0 * p.sw) * pixel_bytes + static_cast<std::uint32_t>(b0 * R);
    for (int phase = 0; phase < p.sh; ++phase) {
      const int kp = l.phase_rows[static_cast<std::size_t>(phase)];
      const int stored = kp > 0 ? t.rows + kp : 0;
      const long sp = ibuf_base + l.phase_base(t, phase);
      const std::uint32_t dram = phase_at[static_cast<std::size_t>(phase)] +
                                 static_cast<std::uint32_t>(tile.row0) * dram_row_bytes + offset;
      for (int q = 0; q < stored;) {
        const long sp_q = sp + static_cast<long>(q) * row_words;
        const std::uint32_t dram_q = dram + static_cast<std::uint32_t>(q) * dram_row_bytes;
        if (t.blocks == l.blocks) {
          const int n = std::min(group, stored - q);
          pieces.push_back({sp_q, dram_q, n, row_words, dram_row_bytes});
          q += n;
        } else {
          pieces.push_back({sp_q, dram_q, pixels, t.blocks, pixel_bytes});
          ++q;
        }
      }
    }
    return pieces;
  };
  auto emit = [&](const Piece& piece) {
    b.load(isa::Buffer::ibuf, piece.sp_addr, piece.dram_addr, piece.rows, piece.row_words, piece.pitch);
  };

  // ---- weights: resident in WBUF when they all fit, else groups in two halves ----
  const int total_slices = nb_count * slices;
  const bool resident = static_cast<long>(total_slices) * R <= g.wbuf.depth;
  const int group_slices = resident ? total_slices : (g.wbuf.depth / 2) / R;
  const std::uint32_t slice_bytes = static_cast<std::uint32_t>(R * C);
  long groups_loaded = 0;    // across tiles: group q loads into half q mod 2 ...
  long group_computed = -1;  // ... and is computed in that order
  auto load_group = [&](int first) {  // slices [first, first + group_slices) of the tile's sequence
    const int n = std::min(group_slices, total_slices - first);
    const long half = resident ? 0 : (groups_loaded % 2) * (g.wbuf.depth / 2);
    b.load(isa::Buffer::wbuf, half, weights_at + static_cast<std::uint32_t>(first) * slice_bytes, 1,
           static_cast<long>(n) * R, 0);
    ++groups_loaded;
  };
  auto wbuf_addr = [&](int z) {  // WBUF address of slice z of the tile's sequence
    if (resident) return static_cast<long>(z) * R;
    return (group_computed % 2) * (g.wbuf.depth / 2) + static_cast<long>(z % group_slices) * R;
  };

  const long half_words = g.ibuf.depth / 2;
  const int all_rows = s.out_h + p.kh;  // more rows than any phase stores for a tile
  // Prefetch about one piece per MATMUL, so that no piece holds the DMA much longer than a
  // MATMUL runs.
  const int group_rows = std::max(1, ceil_div(plan.tile.rows + p.kh, total_slices));
  const int chunks = ceil_div(l.blocks, plan.tile.blocks);
  const bool chunked = chunks > 1;
  const bool pipelined = b.config().array.requantizer == OutputRequantizer::pipelined;

  // One narrow STORE per output row of a tile's output-channel block.
  struct BlockOutput {
    const Tile* tile;
    int nb;
    long obuf_base;
  };
  auto store_block = [&](const BlockOutput& out) {
    const TileShape& shape = out.tile->shape;
    for (int r = 0; r < shape.rows; ++r) {
      const int pixel = (out.tile->row0 + r) * s.out_w + out.tile->col0;
      b.store_pixels(isa::Buffer::obuf, out.obuf_base + static_cast<long>(r) * shape.virtual_width,
                     output_at + static_cast<std::uint32_t>(pixel * pixel_stride + out.nb * C), shape.cols,
                     static_cast<std::uint32_t>(pixel_stride), true);
    }
  };
  // With the pipelined requantizer, a block's STOREs follow the next block's first MATMUL:
  // that MATMUL dispatches only once the array finished the block, so the STOREs need no SYNC
  // and overlap the next block's array work. The block after next writes the same OBUF half
  // only after its PARAM LOAD, which the DMA runs once these STOREs are done (see "Hazards").
  std::vector<BlockOutput> pending_stores;  // none or one block
  long blocks_started = 0;  // across tiles: OBUF and PARAM halves alternate
  // Accumulators of consecutive output-channel blocks alternate between OBUF halves when two of
  // the largest tile's fit (decided once: a block's deferred STOREs may follow the next tile's
  // first MATMUL), so that a block's MATMULs never overwrite what the last block's STOREs read.
  const bool halves = obuf_halves(plan, g);

  if (!chunked) {
    for (const Piece& piece : tile_pieces(plan.tiles[0], plan.tiles[0].shape, 0, 0, all_rows)) emit(piece);
  }
  load_group(0);

  for (std::size_t ti = 0; ti < plan.tiles.size(); ++ti) {
    const Tile& tile = plan.tiles[ti];
    const long ibuf_base = plan.double_buffered ? static_cast<long>(ti % 2) * half_words : 0;
    std::vector<Piece> next;  // the next tile's input
    if (ti + 1 < plan.tiles.size() && !chunked) {
      const Tile& n = plan.tiles[ti + 1];
      next = plan.double_buffered ? tile_pieces(n, n.shape, 0, static_cast<long>((ti + 1) % 2) * half_words, group_rows)
                                  : tile_pieces(n, n.shape, 0, 0, all_rows);
    }
    std::size_t emitted = 0;
    const int len = tile.shape.rows * tile.shape.virtual_width;
    int z = 0;  // slice of the tile's sequence
    for (int nb = 0; nb < nb_count; ++nb, ++blocks_started) {
      const int param_half = static_cast<int>(blocks_started % 2) * C;
      const long obuf_base = halves ? (blocks_started % 2) * (g.obuf.depth / 2) : 0;
      VectorSettings settings = output_settings(layer);
      settings.param_base = param_half;
      b.load(isa::Buffer::param, param_half, params_at + static_cast<std::uint32_t>(nb * C * 12), 1, C, 0);
      const std::size_t param_transfer = b.transfers();
      for (int k = 0; k < chunks; ++k) {
        const int b0 = k * plan.tile.blocks;
        TileShape t = tile.shape;
        t.blocks = std::min(plan.tile.blocks, l.blocks - b0);
        if (chunked) {
          b.sync(isa::sync_array);  // the previous chunk's MATMULs have read their input
          for (const Piece& piece : tile_pieces(tile, t, b0, 0, all_rows)) emit(piece);
        }
        const int row_words = l.tile_row_words(t);
        const int chunk_slices = p.kh * p.kw * t.blocks;
        for (int c = 0; c < chunk_slices; ++c, ++z) {
          const Slice& slice = order[static_cast<std::size_t>(k * p.kh * p.kw * plan.tile.blocks + c)];
          // Resident weights are one group, loaded before the first tile; streamed groups start
          // every group_slices slices of each tile.
          const bool group_start = resident ? ti == 0 && z == 0 : z % group_slices == 0;
          if (group_start) ++group_computed;
          // The tile's input, a new weight group or input chunk must be in; with one OBUF half,
          // the last block's STOREs must be done before this block's first MATMUL overwrites it.
          if (z == 0 || group_start || (chunked && c == 0) || (c == 0 && k == 0 && !halves)) {
            b.sync(isa::sync_dma);
          }
          b.loadw(wbuf_addr(z));
          if (group_start && !resident) {
            // The next group loads into the other half while this one computes.
            if (z + group_slices < total_slices) load_group(z + group_slices);
            else if (ti + 1 < plan.tiles.size()) load_group(0);
          }
          const long a_addr = ibuf_base + l.phase_base(t, slice.i % p.sh) + static_cast<long>(slice.i / p.sh) * row_words +
                              static_cast<long>(slice.j) * t.blocks + (slice.cb - b0);
          const bool last_slice = k + 1 == chunks && c + 1 == chunk_slices;
          if (pipelined && last_slice) {
            // The parameters must be in: a later transfer dispatched (in order, once the DMA is
            // idle) means they are, without waiting for the STOREs and loads behind them.
            if (b.transfers() == param_transfer) b.sync(isa::sync_dma);
            b.vset(settings);
          }
          b.matmul(a_addr, p.sw * t.blocks, 0, obuf_base, len, k > 0 || c > 0, pipelined && last_slice);
          for (const BlockOutput& out : pending_stores) store_block(out);
          pending_stores.clear();
          if (plan.double_buffered) {
            const std::size_t due = (next.size() * static_cast<std::size_t>(z + 1) + total_slices - 1) / total_slices;
            for (; emitted < due; ++emitted) emit(next[emitted]);
          }
        }
      }
      const BlockOutput out{&tile, nb, obuf_base};
      if (!pipelined) {
        b.sync(isa::sync_dma);  // the parameters are in
        b.vset(settings);
        b.vector(isa::VectorOp::requant, obuf_base, 0, 0, len, 1, 1, 0);
        store_block(out);
      } else if (halves) {
        pending_stores = {out};
      } else {
        b.sync(isa::sync_array);  // the requantized results are in OBUF
        store_block(out);
      }
    }
    if (!plan.double_buffered && !next.empty()) {
      b.sync(isa::sync_array);  // this tile's MATMULs have read their input
      for (const Piece& piece : next) emit(piece);
    }
  }
  if (!pending_stores.empty()) {
    b.sync(isa::sync_array);
    store_block(pending_stores.front());
  }
  b.sync(isa::sync_dma | isa::sync_array | isa::sync_vector);
}

}  // namespace tandem::compiler
