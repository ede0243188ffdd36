// Convolution on an output-stationary array (docs/compiler.md). PE (i, j) accumulates output
// pixel i of a block of R pixels for output channel j of a block of C; the array streams the
// reduction index k = (kh, kw, ci). The left edge needs, per k, the R pixels' inputs: an im2col
// matrix, transposed into R-pixel words, which the compiler builds in DRAM (this
// micro-architecture has no on-chip im2col unit, so the inflated input traffic is real).
#include <algorithm>
#include <array>
#include <optional>

#include "compiler/compiler.h"
#include "compiler/lowering.h"

namespace tandem::compiler {

void lower_conv_output_stationary(ProgramBuilder& b, const Layer& layer, const Tensor8& input) {
  const ConvShape s = conv_shape(layer);
  const AcceleratorGeometry& g = b.geometry();
  const int R = b.config().array.rows, C = b.config().array.cols;
  const int zp_in = layer.quant->input_zero_points.at(0);
  const int pixels = s.out_h * s.out_w, k_total = s.kh * s.kw * s.cin;
  const int pb_count = ceil_div(pixels, R), nb_count = ceil_div(s.cout, C);
  const bool pipelined = b.config().array.requantizer == OutputRequantizer::pipelined;

  // Reduction chunk: two chunks of A (R-byte words) and of B (C-byte words) fit their buffers.
  const int chunk = std::min({k_total, g.ibuf.depth / 2, g.wbuf.depth / 2, 65535});
  if (chunk < 1) throw MappingError(layer.name + ": IBUF or WBUF holds fewer than 2 words");
  if (R > g.obuf.depth) {
    throw MappingError(layer.name + ": OBUF holds " + std::to_string(g.obuf.depth) +
                       " words, one pixel block needs " + std::to_string(R));
  }

  // A^T: for pixel block pb and reduction index k, the R pixels' input values.
  std::vector<std::uint8_t> a(static_cast<std::size_t>(pb_count) * k_total * R, 0);
  for (int p = 0; p < pixels; ++p) {
    const int oh = p / s.out_w, ow = p % s.out_w;
    for (int k = 0; k < k_total; ++k) {
      const int kh = k / (s.kw * s.cin), kw = k / s.cin % s.kw, ci = k % s.cin;
      const std::size_t at = (static_cast<std::size_t>(p / R) * k_total + k) * R + static_cast<std::size_t>(p % R);
      a[at] = static_cast<std::uint8_t>(padded_input(input, oh * s.stride_h - s.pad_top + kh,
                                                     ow * s.stride_w - s.pad_left + kw, ci, zp_in));
    }
  }
  // B: for output channel block nb and k, the C channels' weights.
  std::vector<std::uint8_t> w(static_cast<std::size_t>(nb_count) * k_total * C, 0);
  for (int nb = 0; nb < nb_count; ++nb) {
    for (int k = 0; k < k_total; ++k) {
      const int kh = k / (s.kw * s.cin), kw = k / s.cin % s.kw, ci = k % s.cin;
      for (int j = 0; j < C; ++j) {
        w[(static_cast<std::size_t>(nb) * k_total + k) * C + static_cast<std::size_t>(j)] =
            static_cast<std::uint8_t>(conv_weight(layer, s, nb * C + j, kh, kw, ci));
      }
    }
  }

  const std::uint32_t a_at = b.place(layer.name + ".im2col", std::move(a));
  const std::uint32_t w_at = b.place(layer.name + ".weights", std::move(w));
  const auto [params_at, output_at, pixel_stride] = place_conv_params_and_output(b, layer, s);

  // The whole reduction in one chunk: A of a pixel block stays in IBUF for every output-channel
  // block (and the next pixel block's A loads into the other half, piece by piece behind the
  // MATMULs, when two fit). B stays in WBUF for the whole layer when it fits, else B of the next
  // output-channel block loads into the other WBUF half while this one computes. A block's
  // MATMUL only writes OBUF (no accumulation), so its STOREs overlap the next block's MATMUL;
  // blocks alternate between two groups of R OBUF words.
  const bool b_resident = static_cast<long>(nb_count) * k_total <= g.wbuf.depth;
  if (k_total <= g.ibuf.depth && (b_resident || 2 * k_total <= g.wbuf.depth) && 2 * R <= g.obuf.depth) {
    const bool a_halves = 2 * k_total <= g.ibuf.depth;
    const int a_pieces = std::min(nb_count, ceil_div(k_total, 16));
    auto a_piece = [&](int pb, int piece) {  // A of pixel block pb, piece `piece` of a_pieces
      const int k0 = k_total * piece / a_pieces, k1 = k_total * (piece + 1) / a_pieces;
      if (k1 > k0) {
        b.load(isa::Buffer::ibuf, (a_halves ? (pb % 2) * k_total : 0) + k0,
               a_at + static_cast<std::uint32_t>((pb * k_total + k0) * R), 1, k1 - k0, 0);
      }
    };
    auto load_block = [&](int nb, int half) {  // B (unless resident) and the parameters of a block
      if (!b_resident) {
        b.load(isa::Buffer::wbuf, half * k_total, w_at + static_cast<std::uint32_t>(nb * k_total * C), 1, k_total, 0);
      }
      b.load(isa::Buffer::param, half * C, params_at + static_cast<std::uint32_t>(nb * C * 12), 1, C, 0);
    };
    if (b_resident) b.load(isa::Buffer::wbuf, 0, w_at, 1, static_cast<long>(nb_count) * k_total, 0);
    for (int piece = 0; piece < a_pieces; ++piece) a_piece(0, piece);
    int step = 0;  // (pb, nb) pairs so far: WBUF, PARAM and OBUF halves
    auto store_step = [&](int pb, int nb, int obuf_base) {
      const int valid = std::min(R, pixels - pb * R);
      b.store(isa::Buffer::obuf, obuf_base, output_at + static_cast<std::uint32_t>(pb * R * pixel_stride + nb * C),
              valid, 1, static_cast<std::uint32_t>(pixel_stride), true);
    };
    // With the pipelined requantizer a step's STORE follows the next step's MATMUL, whose
    // dispatch means the array finished this step: it overlaps that MATMUL. The SYNC ending
    // each step makes the next step's B and parameters, and this STORE, complete before the
    // MATMUL that writes its OBUF half again.
    std::optional<std::array<int, 3>> pending_store;  // pb, nb, OBUF base
    load_block(0, 0);
    b.sync(isa::sync_dma);
    for (int pb = 0; pb < pb_count; ++pb) {
      const int a_base = a_halves ? (pb % 2) * k_total : 0;
      if (!a_halves && pb > 0) {
        b.sync(isa::sync_array);  // the last pixel block's MATMULs have read their A
        for (int piece = 0; piece < a_pieces; ++piece) a_piece(pb, piece);
        b.sync(isa::sync_dma);
      }
      for (int nb = 0; nb < nb_count; ++nb, ++step) {
        const int obuf_base = (step % 2) * R;
        VectorSettings settings = output_settings(layer);
        settings.param_base = (step % 2) * C;
        if (pipelined) b.vset(settings);
        // What this MATMUL reads was loaded before the last STORE, which dispatched only once
        // the DMA was idle, or before the last SYNC: no SYNC needed here (see "Hazards").
        b.matmul(a_base, 1, b_resident ? nb * k_total : (step % 2) * k_total, obuf_base, k_total, false, pipelined);
        if (pending_store) store_step((*pending_store)[0], (*pending_store)[1], (*pending_store)[2]);
        pending_store.reset();
        const bool last = pb + 1 == pb_count && nb + 1 == nb_count;
        if (!last) load_block((nb + 1) % nb_count, (step + 1) % 2);
        if (a_halves && pb + 1 < pb_count) {
          for (int piece = nb * a_pieces / nb_count; piece < (nb + 1) * a_pieces / nb_count; ++piece) a_piece(pb + 1, piece);
        }
        if (pipelined) {
          pending_store = {pb, nb, obuf_base};
          if (!last) b.sync(isa::sync_dma);
        } else {
          b.vset(settings);
          b.vector(isa::VectorOp::requant, obuf_base, 0, 0, R, 1, 1, 0);
          store_step(pb, nb, obuf_base);
        }
      }
    }
    if (pending_store) {
      b.sync(isa::sync_array);
      store_step((*pending_store)[0], (*pending_store)[1], (*pending_store)[2]);
    }
    b.sync(isa::sync_dma | isa::sync_array | isa::sync_vector);
    return;
  }

  const int chunks = ceil_div(k_total, chunk);
  for (int pb = 0; pb < pb_count; ++pb) {
    for (int nb = 0; nb < nb_count; ++nb) {
      const int param_half = (nb % 2) * C;
      b.load(isa::Buffer::param, param_half, params_at + static_cast<std::uint32_t>(nb * C * 12), 1, C, 0);
      auto load_chunk = [&](int q) {
        const int k0 = q * chunk, len = std::min(chunk, k_total - k0), half = (q % 2) * chunk;
        b.load(isa::Buffer::ibuf, half, a_at + static_cast<std::uint32_t>((pb * k_total + k0) * R), 1, len, 0);
        b.load(isa::Buffer::wbuf, half, w_at + static_cast<std::uint32_t>((nb * k_total + k0) * C), 1, len, 0);
      };
      load_chunk(0);
      for (int q = 0; q < chunks; ++q) {
        b.sync(isa::sync_dma);  // chunk q (and the parameters) are in; the last STORE is done
        const int len = std::min(chunk, k_total - q * chunk), half = (q % 2) * chunk;
        const bool last_chunk = q + 1 == chunks;
        VectorSettings settings = output_settings(layer);
        settings.param_base = param_half;
        if (pipelined && last_chunk) b.vset(settings);
        b.matmul(half, 1, half, 0, len, q > 0, pipelined && last_chunk);
        if (q + 1 < chunks) load_chunk(q + 1);  // overlaps the MATMUL
      }
      if (pipelined) {
        b.sync(isa::sync_array);  // the requantized results are in OBUF
      } else {
        VectorSettings settings = output_settings(layer);
        settings.param_base = param_half;
        b.vset(settings);
        b.vector(isa::VectorOp::requant, 0, 0, 0, R, 1, 1, 0);
      }
      const int valid = std::min(R, pixels - pb * R);
      b.store(isa::Buffer::obuf, 0,
              output_at + static_cast<std::uint32_t>(pb * R * pixel_stride + nb * C), valid, 1,
              static_cast<std::uint32_t>(pixel_stride), true);
    }
  }
  b.sync(isa::sync_dma | isa::sync_array | isa::sync_vector);
}

}  // namespace tandem::compiler
