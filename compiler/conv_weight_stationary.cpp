// Convolution on a weight-stationary array (docs/compiler.md). The K dimension of one weight
// tile is a block of R input channels at one kernel offset, so the input stays in HWC order
// with channels in blocks of R: no im2col. For each tile, one MATMUL per output row streams the
// output row's pixels (stride = convolution stride x channel blocks) and accumulates into OBUF.
#include <algorithm>

#include "compiler/compiler.h"
#include "compiler/lowering.h"

namespace tandem::compiler {

void lower_conv_weight_stationary(ProgramBuilder& b, const Layer& layer, const Tensor8& input) {
  const ConvShape s = conv_shape(layer);
  const AcceleratorGeometry& g = b.geometry();
  const int R = b.config().array.rows, C = b.config().array.cols;
  const int cb_count = ceil_div(s.cin, R), nb_count = ceil_div(s.cout, C);
  const int zp_in = layer.quant->input_zero_points.at(0);

  // Padded input covering exactly the rows and columns the windows read.
  const int hp = (s.out_h - 1) * s.stride_h + s.kh, wp = (s.out_w - 1) * s.stride_w + s.kw;
  const int words_per_row = wp * cb_count;
  std::vector<std::uint8_t> image(static_cast<std::size_t>(hp) * words_per_row * R, 0);
  for (int h = 0; h < hp; ++h) {
    for (int w = 0; w < wp; ++w) {
      for (int c = 0; c < s.cin; ++c) {
        const std::size_t at = (static_cast<std::size_t>(h) * wp + w) * cb_count * R + static_cast<std::size_t>(c);
        image[at] = static_cast<std::uint8_t>(padded_input(input, h - s.pad_top, w - s.pad_left, c, zp_in));
      }
    }
  }

  // Weight tiles (nb, kh, kw, cb): R words of C bytes; word i holds input channel cb*R + i.
  const int taps = s.kh * s.kw * cb_count;
  const std::uint32_t tile_bytes = static_cast<std::uint32_t>(R * C);
  std::vector<std::uint8_t> weights(static_cast<std::size_t>(nb_count) * taps * tile_bytes, 0);
  for (int nb = 0; nb < nb_count; ++nb) {
    for (int t = 0; t < taps; ++t) {
      const int kh = t / (s.kw * cb_count), kw = t / cb_count % s.kw, cb = t % cb_count;
      for (int i = 0; i < R; ++i) {
        for (int j = 0; j < C; ++j) {
          const std::size_t at = (static_cast<std::size_t>(nb) * taps + t) * tile_bytes + static_cast<std::size_t>(i * C + j);
          weights[at] = static_cast<std::uint8_t>(conv_weight(layer, s, nb * C + j, kh, kw, cb * R + i));
        }
      }
    }
  }

  // Output rows per tile: the input rows they read fit IBUF, their accumulators fit OBUF.
  int tile_rows = 0;
  for (int t = s.out_h; t >= 1; --t) {
    const long input_words = static_cast<long>((t - 1) * s.stride_h + s.kh) * words_per_row;
    if (input_words <= g.ibuf.depth && static_cast<long>(t) * s.out_w <= std::min(g.obuf.depth, 65535)) {
      tile_rows = t;
      break;
    }
  }
  if (tile_rows == 0) {
    throw MappingError(layer.name + ": one output row needs " +
                       std::to_string(static_cast<long>(s.kh) * words_per_row) + " IBUF words and " +
                       std::to_string(s.out_w) + " OBUF words, but the buffers hold " +
                       std::to_string(g.ibuf.depth) + " and " + std::to_string(std::min(g.obuf.depth, 65535)) +
                       " (OBUF capped at 65535 words per REQUANT)");
  }
  if (2 * R > g.wbuf.depth) {
    throw MappingError(layer.name + ": WBUF holds " + std::to_string(g.wbuf.depth) +
                       " words, double-buffered weight tiles need " + std::to_string(2 * R));
  }

  const std::uint32_t input_at = b.place(layer.name + ".input", std::move(image));
  const std::uint32_t weights_at = b.place(layer.name + ".weights", std::move(weights));
  const auto [params_at, output_at, pixel_stride] = place_conv_params_and_output(b, layer, s);

  const std::uint32_t row_bytes = static_cast<std::uint32_t>(words_per_row * R);
  for (int oh0 = 0; oh0 < s.out_h; oh0 += tile_rows) {
    const int rows = std::min(tile_rows, s.out_h - oh0);
    const int input_rows = (rows - 1) * s.stride_h + s.kh;
    b.sync(isa::sync_array);  // the previous tile's MATMULs have read their input
    b.load(isa::Buffer::ibuf, 0, input_at + static_cast<std::uint32_t>(oh0 * s.stride_h) * row_bytes,
           input_rows, words_per_row, row_bytes);
    for (int nb = 0; nb < nb_count; ++nb) {
      const int param_half = (nb % 2) * C;
      b.load(isa::Buffer::param, param_half, params_at + static_cast<std::uint32_t>(nb * C * 12), 1, C, 0);
      auto tile_at = [&](int t) { return weights_at + static_cast<std::uint32_t>(nb * taps + t) * tile_bytes; };
      b.load(isa::Buffer::wbuf, 0, tile_at(0), 1, R, 0);
      b.sync(isa::sync_dma);  // input, parameters and the first tile are in; the last STORE is done
      for (int t = 0; t < taps; ++t) {
        const int kh = t / (s.kw * cb_count), kw = t / cb_count % s.kw, cb = t % cb_count;
        b.loadw((t % 2) * R);
        // The next tile loads into the other half while this one computes.
        if (t + 1 < taps) b.load(isa::Buffer::wbuf, ((t + 1) % 2) * R, tile_at(t + 1), 1, R, 0);
        for (int r = 0; r < rows; ++r) {
          const int a_addr = (r * s.stride_h + kh) * words_per_row + kw * cb_count + cb;
          b.matmul(a_addr, s.stride_w * cb_count, 0, r * s.out_w, s.out_w, t > 0);
        }
        if (t + 1 < taps) b.sync(isa::sync_dma);
      }
      VectorSettings settings = output_settings(layer);
      settings.param_base = param_half;
      b.vset(settings);
      b.vector(isa::VectorOp::requant, 0, 0, 0, rows * s.out_w, 1, 1, 0);
      b.store(isa::Buffer::obuf, 0,
              output_at + static_cast<std::uint32_t>(oh0 * s.out_w * pixel_stride + nb * C),
              rows * s.out_w, 1, static_cast<std::uint32_t>(pixel_stride), true);
    }
  }
  b.sync(isa::sync_dma | isa::sync_array | isa::sync_vector);
}

}  // namespace tandem::compiler
