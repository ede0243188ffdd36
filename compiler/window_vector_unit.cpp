// Depthwise convolution, pooling and standalone activations on the vector unit
// (docs/compiler.md). The input sits in IBUF in HWC order with channels in blocks of R (one
// word per pixel and block), padded so that every window is whole; one VECTOR instruction
// computes one output row of one channel block. Depthwise weights live in IBUF too, one word
// per kernel tap and block. Tiles are output rows x chunks of channel blocks, run one at a time
// (emit_serialized_tiles) or, on square arrays, overlapped with the DMA through OBUF
// (emit_overlapped_tiles). Residual adds are chunked the same two ways.
#include <algorithm>
#include <stdexcept>

#include "compiler/compiler.h"
#include "compiler/lowering.h"

namespace tandem::compiler {

namespace {

struct WindowPlan {
  isa::VectorOp op;
  int kh, kw, stride_h, stride_w, pad_top, pad_left;
  int pad_value;  // what padded positions hold

  int input_rows(int rows) const { return (rows - 1) * stride_h + kh; }  // of `rows` output rows
};

WindowPlan plan_window(const Layer& layer) {
  const LayerQuant& q = *layer.quant;
  const int zp_in = q.input_zero_points.at(0);
  if (layer.kind == LayerKind::activation) return {isa::VectorOp::maxpool, 1, 1, 1, 1, 0, 0, zp_in};
  const WindowGeometry w = window_geometry(layer);
  switch (layer.kind) {
    case LayerKind::depthwise_conv2d:
      return {isa::VectorOp::dwconv, w.kernel_h, w.kernel_w, w.stride_h, w.stride_w, w.pad_top, w.pad_left, zp_in};
    case LayerKind::max_pool:  // padding never wins a max
      return {isa::VectorOp::maxpool, w.kernel_h, w.kernel_w, w.stride_h, w.stride_w, w.pad_top, w.pad_left, -128};
    default:  // avg_pool, global_avg_pool
      return {isa::VectorOp::avgpool, w.kernel_h, w.kernel_w, w.stride_h, w.stride_w, w.pad_top, w.pad_left, zp_in};
  }
}

// PARAM entries for channels [first, first + count).
std::vector<ParamEntry> window_params(const Layer& layer, const WindowPlan& plan, int first, int count) {
  const LayerQuant& q = *layer.quant;
  std::vector<ParamEntry> entries(static_cast<std::size_t>(count));
  for (int k = 0; k < count; ++k) {
    const int c = first + k;
    if (c >= layer.output.channels) continue;
    auto& entry = entries[static_cast<std::size_t>(k)];
    if (plan.op == isa::VectorOp::dwconv) {
      entry = {q.bias.at(static_cast<std::size_t>(c)), q.output_multipliers.at(static_cast<std::size_t>(c)),
               q.output_shifts.at(static_cast<std::size_t>(c))};
    } else if (plan.op == isa::VectorOp::avgpool) {
      const Requant r = derive_avg_pool_requant(q.input_scales.at(0), q.output_scale, plan.kh * plan.kw);
      entry = {0, r.multiplier, r.shift};
    }
  }
  return entries;
}


// A window layer placed in DRAM, and the transfers and settings both schedules use. A tile is
// `rows` output rows of channel blocks [cb0, cb0 + blocks); its input rows are stored
// `wp * blocks` words apart.
struct PlacedWindow {
  ProgramBuilder& b;
  const Layer& layer;
  WindowPlan plan;
  int R, cb_count, out_h, out_w, wp;  // wp: padded input width
  std::uint32_t input_at, weights_at, params_at, output_at;

  bool weighted() const { return plan.op == isa::VectorOp::dwconv; }
  int taps() const { return plan.kh * plan.kw; }
  int input_rows(int rows) const { return plan.input_rows(rows); }
  std::uint32_t pixel_bytes() const { return static_cast<std::uint32_t>(cb_count * R); }

  // Input rows [first_row, end_row) of the tile whose output rows start at oh0, into IBUF at
  // `sp` (where the tile's row 0 goes).
  void load_input_rows(long sp, int oh0, int first_row, int end_row, int cb0, int blocks) const {
    if (end_row <= first_row) return;
    const std::uint32_t row_bytes = static_cast<std::uint32_t>(wp) * pixel_bytes();
    const std::uint32_t first = input_at + static_cast<std::uint32_t>(oh0 * plan.stride_h + first_row) * row_bytes +
                                static_cast<std::uint32_t>(cb0 * R);
    const long at = sp + static_cast<long>(first_row) * wp * blocks;
    if (blocks == cb_count) {
      b.load(isa::Buffer::ibuf, at, first, end_row - first_row, wp * blocks, row_bytes);
    } else {  // each pixel's words of the chunk are one transfer row
      b.load(isa::Buffer::ibuf, at, first, static_cast<long>(end_row - first_row) * wp, blocks, pixel_bytes());
    }
  }
  void load_input(long sp, int oh0, int rows, int cb0, int blocks) const {
    load_input_rows(sp, oh0, 0, input_rows(rows), cb0, blocks);
  }
  void load_weights(long sp, int cb0, int blocks) const {
    b.load(isa::Buffer::ibuf, sp, weights_at + static_cast<std::uint32_t>(cb0 * taps() * R), 1, taps() * blocks, 0);
  }
  void load_params(int cb, int param_half) const {
    b.load(isa::Buffer::param, param_half, params_at + static_cast<std::uint32_t>(cb * R * 12), 1, R, 0);
  }
  // The rows x out_w results of channel block cb, at `sp` of `buffer` (OBUF: narrow), to DRAM.
  void store_block(isa::Buffer buffer, long sp, int oh0, int rows, int cb) const {
    b.store_pixels(buffer, sp, output_at + static_cast<std::uint32_t>((oh0 * out_w * cb_count + cb) * R),
                   static_cast<long>(rows) * out_w, pixel_bytes(), buffer == isa::Buffer::obuf);
  }
  VectorSettings block_settings(int blocks, int param_half) const {
    VectorSettings settings = output_settings(layer);
    settings.zp_a = layer.quant->input_zero_points.at(0);
    settings.col_step = blocks;
    settings.out_step = plan.stride_w * blocks;
    settings.param_base = param_half;
    return settings;
  }
  // One output row r of block cbi of a tile: input at `input`, outputs at `output` (+ r*out_w).
  void window_row(long input, long weights, long output, int r, int cbi, int blocks, bool to_obuf) const {
    b.vector(plan.op, input + static_cast<long>(r) * plan.stride_h * wp * blocks + cbi, weights + cbi * taps(),
             output + static_cast<long>(r) * out_w, out_w, plan.kh, plan.kw, static_cast<long>(wp) * blocks,
             plan.stride_w, to_obuf);
  }
};

// One tile at a time, results in IBUF beside the input and weights: the DMA and the vector unit
// share IBUF's write port, so loads, windows and stores run one after another.
void emit_serialized_tiles(const PlacedWindow& w, int tile_rows, int tile_blocks) {
  ProgramBuilder& b = w.b;
  for (int cb0 = 0; cb0 < w.cb_count; cb0 += tile_blocks) {
    const int blocks = std::min(tile_blocks, w.cb_count - cb0);
    const long weights_sp = static_cast<long>(w.input_rows(tile_rows)) * w.wp * blocks;
    const long output_sp = weights_sp + (w.weighted() ? w.taps() * blocks : 0);
    if (w.weighted()) {
      b.sync(isa::sync_vector);  // the last chunk's windows have read their weights
      w.load_weights(weights_sp, cb0, blocks);
    }
    for (int oh0 = 0; oh0 < w.out_h; oh0 += tile_rows) {
      const int rows = std::min(tile_rows, w.out_h - oh0);
      b.sync(isa::sync_vector | isa::sync_dma);  // the previous tile is computed and stored
      w.load_input(0, oh0, rows, cb0, blocks);
      for (int cbi = 0; cbi < blocks; ++cbi) {
        const int cb = cb0 + cbi;
        const int param_half = (cb % 2) * w.R;
        w.load_params(cb, param_half);
        b.sync(isa::sync_dma);
        b.vset(w.block_settings(blocks, param_half));
        const long block_out = output_sp + static_cast<long>(cbi) * rows * w.out_w;
        for (int r = 0; r < rows; ++r) w.window_row(0, weights_sp, block_out, r, cbi, blocks, false);
        w.store_block(isa::Buffer::ibuf, block_out, oh0, rows, cb);
      }
    }
  }
}

// Square arrays: results to OBUF (VECTOR to_obuf), two input tiles in IBUF and two result
// tiles in OBUF, so the DMA loads tile t+1 and stores tile t-1 while the vector unit works on
// tile t. Hazards, by the in-order dispatch (docs/compiler.md): a VECTOR dispatches once the
// last one is done, and a DMA instruction once every earlier one is.
void emit_overlapped_tiles(const PlacedWindow& w, int tile_rows, int tile_blocks) {
  ProgramBuilder& b = w.b;
  const int R = w.R;
  long params_loaded = 0, blocks_done = 0;  // PARAM halves alternate: load k into half k % 2
  std::vector<std::size_t> params_transfer;  // b.transfers() right after PARAM load k
  auto next_params = [&](int cb) {
    w.load_params(cb, static_cast<int>(params_loaded++ % 2) * R);
    params_transfer.push_back(b.transfers());
  };
  for (int cb0 = 0; cb0 < w.cb_count; cb0 += tile_blocks) {
    const int blocks = std::min(tile_blocks, w.cb_count - cb0);
    const long input_half = static_cast<long>(w.input_rows(tile_rows)) * w.wp * blocks;
    const long weights_sp = 2 * input_half;
    const long output_half = static_cast<long>(tile_rows) * w.out_w * blocks;
    const int tiles = ceil_div(w.out_h, tile_rows);
    auto rows_of = [&](int t) { return std::min(tile_rows, w.out_h - t * tile_rows); };
    auto store_tile_block = [&](int t, int cbi) {
      w.store_block(isa::Buffer::obuf, (t % 2) * output_half + static_cast<long>(cbi) * rows_of(t) * w.out_w,
                    t * tile_rows, rows_of(t), cb0 + cbi);
    };
    b.sync(isa::sync_vector);  // the last chunk's windows have read their weights and input
    if (w.weighted()) w.load_weights(weights_sp, cb0, blocks);
    w.load_input(0, 0, rows_of(0), cb0, blocks);
    next_params(cb0);
    for (int t = 0; t < tiles; ++t) {
      const int rows = rows_of(t);
      // This tile's input, weights and first parameters are in; the STOREs of the tile
      // before last, which read this tile's OBUF half, are done.
      b.sync(isa::sync_dma);
      for (int cbi = 0; cbi < blocks; ++cbi, ++blocks_done) {
        // The block's parameters are in once a later transfer was dispatched.
        if (cbi > 0 && b.transfers() == params_transfer[static_cast<std::size_t>(blocks_done)]) b.sync(isa::sync_dma);
        b.vset(w.block_settings(blocks, static_cast<int>(blocks_done % 2) * R));
        const long block_out = (t % 2) * output_half + static_cast<long>(cbi) * rows * w.out_w;
        for (int r = 0; r < rows; ++r) {
          w.window_row((t % 2) * input_half, weights_sp, block_out, r, cbi, blocks, true);
          if (r > 0) continue;
          // Behind the block's first window, whose dispatch means the block before is done
          // with its PARAM half and the last tile with its input and results: the next
          // parameters first (the next block waits for them), then this block's share of
          // the last tile's STOREs and of the next tile's input rows.
          if (cbi + 1 < blocks) next_params(cb0 + cbi + 1);
          else if (t + 1 < tiles) next_params(cb0);
          if (t > 0) store_tile_block(t - 1, cbi);
          if (t + 1 < tiles) {
            const int next_rows = w.input_rows(rows_of(t + 1));
            w.load_input_rows(((t + 1) % 2) * input_half, (t + 1) * tile_rows, cbi * next_rows / blocks,
                              (cbi + 1) * next_rows / blocks, cb0, blocks);
          }
        }
      }
    }
    b.sync(isa::sync_vector);
    for (int cbi = 0; cbi < blocks; ++cbi) store_tile_block(tiles - 1, cbi);
  }
}

}  // namespace

void lower_window_on_vector_unit(ProgramBuilder& b, const Layer& layer, const Tensor8& input) {
  const WindowPlan plan = plan_window(layer);
  const AcceleratorGeometry& g = b.geometry();
  const int R = b.config().array.rows;
  const int channels = input.shape.channels, cb_count = ceil_div(channels, R);
  const int out_h = layer.output.height, out_w = layer.output.width;

  if (plan.kh > 15 || plan.kw > 15 || plan.stride_w > 15) {
    throw MappingError(layer.name + ": a " + std::to_string(plan.kh) + "x" + std::to_string(plan.kw) +
                       " window with stride " + std::to_string(plan.stride_w) +
                       " exceeds the vector unit's limits (15x15, stride 15: 4-bit kh/kw/stride fields)");
  }
  if (plan.op == isa::VectorOp::avgpool) {
    // The divisor is per channel, not per position: every window must be whole.
    const WindowGeometry w = window_geometry(layer);
    for (int oh = 0; oh < out_h; ++oh) {
      for (int ow = 0; ow < out_w; ++ow) {
        if (window_taps(w, oh, ow).count() != plan.kh * plan.kw) {
          throw MappingError(layer.name + ": average pooling with windows cut by padding (output " +
                             std::to_string(oh) + "," + std::to_string(ow) +
                             ") needs a divisor per position; use valid padding");
        }
      }
    }
  }

  const int hp = (out_h - 1) * plan.stride_h + plan.kh, wp = (out_w - 1) * plan.stride_w + plan.kw;
  std::vector<std::uint8_t> image(static_cast<std::size_t>(hp) * wp * cb_count * R, 0);
  for (int h = 0; h < hp; ++h) {
    for (int w = 0; w < wp; ++w) {
      for (int c = 0; c < channels; ++c) {
        image[(static_cast<std::size_t>(h) * wp + w) * cb_count * R + static_cast<std::size_t>(c)] =
            static_cast<std::uint8_t>(padded_input(input, h - plan.pad_top, w - plan.pad_left, c, plan.pad_value));
      }
    }
  }
  const bool weighted = plan.op == isa::VectorOp::dwconv;
  const int weight_words = weighted ? plan.kh * plan.kw * cb_count : 0;
  std::vector<std::uint8_t> weights(static_cast<std::size_t>(weight_words) * R, 0);
  for (int cb = 0; cb < cb_count && weighted; ++cb) {
    for (int t = 0; t < plan.kh * plan.kw; ++t) {
      for (int e = 0; e < R && cb * R + e < channels; ++e) {
        // depthwise weights are [kh][kw][C]
        weights[(static_cast<std::size_t>(cb) * plan.kh * plan.kw + t) * R + static_cast<std::size_t>(e)] =
            static_cast<std::uint8_t>(layer.quant->weights.at(static_cast<std::size_t>(t) * channels + cb * R + e));
      }
    }
  }

  // Tiles of output rows x chunks of channel blocks: input rows, weights and outputs share IBUF
  // (channels are independent). The vector unit and the DMA share IBUF's ports, so a tile's
  // loads, windows and stores run one after another: pick the chunk size whose tiles take the
  // fewest DRAM requests, counting each tile's rows of overlap (kh - stride) and its PARAM loads
  // and DRAM latencies (fewer blocks per chunk: taller tiles, but a chunk of some blocks moves
  // each pixel's words as their own transfer row, which the DMA's word groups do not span).
  const int taps = plan.kh * plan.kw;
  auto tile_words = [&](int rows, int blocks) {
    return static_cast<long>(plan.input_rows(rows)) * wp * blocks + static_cast<long>(weighted ? taps * blocks : 0) +
           static_cast<long>(rows) * out_w * blocks;
  };
  auto tallest_tile = [&](int blocks) {
    for (int t = out_h; t >= 1; --t) {
      if (tile_words(t, blocks) <= g.ibuf.depth && static_cast<long>(t) * out_w <= 65535) return t;
    }
    return 0;
  };
  const double latency = b.config().dram.latency_cycles;
  const double param_load = R * ceil_div(12, b.config().dram.bytes_per_cycle) + latency;
  const int group = g.ibuf.dma_group;
  // DRAM requests of a tile of `rows` x `blocks`: its input rows (a chunk of some blocks moves
  // each pixel's words as their own transfer row, which the DMA's word groups do not span) and
  // its results, stored in groups of `store_group` when the output has one block.
  auto tile_loads = [&](int blocks, int rows) -> double {
    const long input_rows = plan.input_rows(rows);
    return blocks == cb_count ? input_rows * ceil_div(wp * blocks, group) : input_rows * wp * ceil_div(blocks, group);
  };
  auto tile_transfers = [&](int blocks, int rows, int store_group) {
    const double stores = cb_count == 1 ? ceil_div(rows * out_w, store_group) : static_cast<double>(blocks) * rows * out_w;
    return tile_loads(blocks, rows) + stores + 2 * latency + blocks * param_load;
  };
  auto weight_load = [&](int blocks) { return weighted ? ceil_div(taps * blocks, group) + latency : 0.0; };
  // The (rows, blocks) of least cost, each block count with the tallest tile it allows.
  auto best_tiling = [&](auto&& tallest, auto&& cost) {
    int best_rows = 0, best_blocks = 0;
    for (int blocks = cb_count; blocks >= 1; --blocks) {
      const int rows = tallest(blocks);
      if (rows > 0 && (best_rows == 0 || cost(blocks, rows) < cost(best_blocks, best_rows))) {
        best_rows = rows;
        best_blocks = blocks;
      }
    }
    return std::pair{best_rows, best_blocks};
  };

  // Serialized tiles: input rows, weights and outputs share IBUF (channels are independent),
  // and the vector unit and the DMA share IBUF's write port, so a tile's loads, windows and
  // stores run one after another: the chunk size whose tiles take the fewest DRAM requests,
  // counting each tile's rows of overlap (kh - stride), its PARAM loads and the DRAM latencies
  // (fewer blocks per chunk: taller tiles).
  auto transfer_cost = [&](int blocks, int rows) {
    const int chunks = ceil_div(cb_count, blocks), tiles = ceil_div(out_h, rows);
    return chunks * (tiles * tile_transfers(blocks, rows, group) + weight_load(blocks));
  };
  const auto [tile_rows, tile_blocks] = best_tiling(tallest_tile, transfer_cost);

  // Overlapped tiles (R == C, so that an OBUF word holds a result word): results go to OBUF
  // (VECTOR to_obuf), so the vector unit reads IBUF and writes OBUF while the DMA loads the next
  // tile into the other IBUF half and stores the last tile from the other OBUF half. A tile's
  // time is then the longer of its windows and its transfers.
  const int B = ceil_div(R, b.config().vector.lanes);
  double row_cycles;  // one VECTOR: one output row of one channel block
  if (weighted && isa::dwconv_slides(plan.kh, plan.kw, plan.stride_w, B, b.config().vector.depthwise_kernel)) {
    row_cycles = static_cast<double>(isa::sliding_dwconv_cycles(plan.kh, plan.kw, plan.stride_w, out_w, R, B,
                                                                   b.config().requant_latency));
  } else {
    row_cycles = (plan.op == isa::VectorOp::maxpool ? 0 : R + 1) +
                 static_cast<double>(out_w) * static_cast<double>(isa::vector_word_cycles(plan.op, B, taps, b.config().requant_latency));
  }
  auto overlapped_rows = [&](int blocks) {
    for (int t = out_h; t >= 1; --t) {
      const long ibuf = 2L * plan.input_rows(t) * wp * blocks + (weighted ? taps * blocks : 0);
      const long obuf = 2L * t * out_w * blocks;
      if (ibuf <= g.ibuf.depth && obuf <= g.obuf.depth && static_cast<long>(t) * out_w <= 65535) return t;
    }
    return 0;
  };
  auto overlapped_cost = [&](int blocks, int rows) {
    const int chunks = ceil_div(cb_count, blocks), tiles = ceil_div(out_h, rows);
    const double windows = static_cast<double>(blocks) * rows * row_cycles;
    return chunks * (tiles * std::max(windows, tile_transfers(blocks, rows, g.narrow_dma_group)) +
                     tile_loads(blocks, rows) + latency + weight_load(blocks));
  };
  const auto [overlap_rows, overlap_blocks] =
      R == b.config().array.cols ? best_tiling(overlapped_rows, overlapped_cost) : std::pair{0, 0};
  const double serial_windows = static_cast<double>(cb_count) * out_h * row_cycles;
  const bool overlapped = overlap_rows > 0 && (tile_rows == 0 || overlapped_cost(overlap_blocks, overlap_rows) <
                                                                     transfer_cost(tile_blocks, tile_rows) + serial_windows);
  if (tile_rows == 0 && !overlapped) {
    throw MappingError(layer.name + ": one output row of one channel block needs " +
                       std::to_string(tile_words(1, 1)) + " IBUF words, IBUF holds " + std::to_string(g.ibuf.depth));
  }

  const std::uint32_t input_at = b.place(layer.name + ".input", std::move(image));
  const std::uint32_t weights_at = weighted ? b.place(layer.name + ".weights", std::move(weights)) : 0;
  std::vector<ParamEntry> params;
  for (int cb = 0; cb < cb_count; ++cb) {
    auto block = window_params(layer, plan, cb * R, R);
    params.insert(params.end(), block.begin(), block.end());
  }
  const std::uint32_t params_at = b.place_params(layer.name + ".params", params);
  const int pixel_stride = cb_count * R;
  const std::uint32_t output_at =
      b.reserve_output(layer.name + ".output", static_cast<std::uint32_t>(out_h * out_w * pixel_stride));

  const PlacedWindow w{b, layer, plan, R, cb_count, out_h, out_w, wp, input_at, weights_at, params_at, output_at};
  if (overlapped) {
    emit_overlapped_tiles(w, overlap_rows, overlap_blocks);
  } else {
    emit_serialized_tiles(w, tile_rows, tile_blocks);
  }
  b.sync(isa::sync_dma | isa::sync_array | isa::sync_vector);
}

void lower_residual_add(ProgramBuilder& b, const Layer& layer, const Tensor8& x1, const Tensor8& x2) {
  const LayerQuant& q = *layer.quant;
  const AcceleratorGeometry& g = b.geometry();
  const int R = b.config().array.rows;
  if (!(x1.shape == layer.input_shapes.at(0)) || !(x2.shape == layer.input_shapes.at(1))) {
    throw std::invalid_argument(layer.name + ": the add's input tensors do not have the layer's input shapes");
  }
  const int channels = x1.shape.channels, cb_count = ceil_div(channels, R);
  const int pixels = x1.shape.height * x1.shape.width, words = pixels * cb_count;

  auto blocked = [&](const Tensor8& t) {
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(words) * R, 0);
    for (int p = 0; p < pixels; ++p) {
      for (int c = 0; c < channels; ++c) {
        bytes[static_cast<std::size_t>(p) * cb_count * R + static_cast<std::size_t>(c)] =
            static_cast<std::uint8_t>(t.data[static_cast<std::size_t>(p) * channels + static_cast<std::size_t>(c)]);
      }
    }
    return bytes;
  };
  const AddParams add = derive_add_params(q.input_scales.at(0), q.input_scales.at(1), q.output_scale);
  std::vector<ParamEntry> params(static_cast<std::size_t>(R), ParamEntry{0, add.multiplier, add.shift});

  const int chunk = std::min(g.ibuf.depth / 3, 65535);
  if (chunk < 1) throw MappingError(layer.name + ": IBUF holds fewer than 3 words");
  const std::uint32_t a_at = b.place(layer.name + ".input_a", blocked(x1));
  const std::uint32_t b_at = b.place(layer.name + ".input_b", blocked(x2));
  const std::uint32_t params_at = b.place_params(layer.name + ".params", params);
  const std::uint32_t output_at = b.reserve_output(layer.name + ".output", static_cast<std::uint32_t>(words * R));

  b.load(isa::Buffer::param, 0, params_at, 1, R, 0);
  VectorSettings settings = output_settings(layer);
  settings.zp_a = q.input_zero_points.at(0);
  settings.zp_b = q.input_zero_points.at(1);
  settings.m_a = add.m_a;
  settings.m_b = add.m_b;
  b.vset(settings);
  // On a square array (an OBUF word holds a result word) the sums go to OBUF halves and the
  // operands to IBUF halves: the next chunk loads and the last one stores while the vector unit
  // adds (hazards as in the overlapped window tiles above). Otherwise one chunk at a time.
  const int overlap_chunk = std::min({g.ibuf.depth / 4, g.obuf.depth / 2, 65535});
  if (R == b.config().array.cols && overlap_chunk >= 1) {
    const int chunks = ceil_div(words, overlap_chunk);
    auto size = [&](int k) { return std::min(overlap_chunk, words - k * overlap_chunk); };
    auto offset = [&](int k) { return static_cast<std::uint32_t>(k * overlap_chunk * R); };
    auto load_chunk = [&](int k) {
      const long half = (k % 2) * 2L * overlap_chunk;
      b.load(isa::Buffer::ibuf, half, a_at + offset(k), 1, size(k), 0);
      b.load(isa::Buffer::ibuf, half + overlap_chunk, b_at + offset(k), 1, size(k), 0);
    };
    auto store_chunk = [&](int k) {
      b.store(isa::Buffer::obuf, (k % 2) * overlap_chunk, output_at + offset(k), 1, size(k), 0, true);
    };
    load_chunk(0);
    for (int k = 0; k < chunks; ++k) {
      b.sync(isa::sync_dma);  // chunk k is in; the STORE of chunk k - 2 (same OBUF half) is done
      const long half = (k % 2) * 2L * overlap_chunk;
      b.vector(isa::VectorOp::add, half, half + overlap_chunk, (k % 2) * overlap_chunk, size(k), 1, 1, 0, 0, true);
      // Its dispatch means the last ADD is done: store its sums, load the next chunk over its operands.
      if (k > 0) store_chunk(k - 1);
      if (k + 1 < chunks) load_chunk(k + 1);
    }
    b.sync(isa::sync_vector);
    store_chunk(chunks - 1);
    b.sync(isa::sync_dma | isa::sync_array | isa::sync_vector);
    return;
  }
  for (int w0 = 0; w0 < words; w0 += chunk) {
    const int n = std::min(chunk, words - w0);
    const std::uint32_t offset = static_cast<std::uint32_t>(w0 * R);
    b.sync(isa::sync_vector | isa::sync_dma);
    b.load(isa::Buffer::ibuf, 0, a_at + offset, 1, n, 0);
    b.load(isa::Buffer::ibuf, chunk, b_at + offset, 1, n, 0);
    b.sync(isa::sync_dma);
    b.vector(isa::VectorOp::add, 0, chunk, 2 * chunk, n, 1, 1, 0);
    b.store(isa::Buffer::ibuf, 2 * chunk, output_at + offset, 1, n, 0);
  }
  b.sync(isa::sync_dma | isa::sync_array | isa::sync_vector);
}

}  // namespace tandem::compiler
