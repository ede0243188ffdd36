// Building a Program: DRAM allocation for segments and outputs, and one emitter per
// instruction with the field checks of core/isa.h. Internal to the compiler.
#pragma once

#include <string>
#include <vector>

#include "core/accelerator_geometry.h"
#include "core/program.h"

namespace tandem::compiler {

struct VectorSettings {
  int zp_a = 0, zp_b = 0, zp_out = 0;
  int clamp_lo = -128, clamp_hi = 127;
  int m_a = 0, m_b = 0;
  int col_step = 0, param_base = 0, out_step = 0;
};

// One per-channel requantization entry of the PARAM buffer (docs/isa.md).
struct ParamEntry {
  std::int32_t bias = 0;
  std::int32_t multiplier = 0;
  std::int32_t shift = 0;
};

// Thrown by a plan-only builder when a lowering places its first DRAM segment: every lowering
// decides its mapping (or throws MappingError) before that, so planning is complete.
struct PlanComplete {};

class ProgramBuilder {
 public:
  ProgramBuilder(const AcceleratorConfig& config, std::string name, bool plan_only = false);

  const AcceleratorConfig& config() const { return program_.config; }
  const AcceleratorGeometry& geometry() const { return geometry_; }

  // DRAM placement, 64-byte aligned. Returns the address.
  std::uint32_t place(std::string name, std::vector<std::uint8_t> bytes);
  std::uint32_t place_params(std::string name, const std::vector<ParamEntry>& entries);
  std::uint32_t reserve_output(std::string name, std::uint32_t bytes);

  // Transfers of `rows` x `row_words` words (split to fit the 16-bit fields).
  void load(isa::Buffer buffer, std::int64_t sp_addr, std::uint32_t dram_addr, std::int64_t rows,
            std::int64_t row_words, std::uint32_t dram_pitch);
  void store(isa::Buffer buffer, std::int64_t sp_addr, std::uint32_t dram_addr, std::int64_t rows,
             std::int64_t row_words, std::uint32_t dram_pitch, bool narrow = false);
  // `pixels` consecutive scratchpad words, one per pixel, to DRAM `pixel_stride` bytes apart:
  // one transfer row when they are adjacent there (the stride is one word, so the DMA can move
  // them in groups), else a row per pixel.
  void store_pixels(isa::Buffer buffer, std::int64_t sp_addr, std::uint32_t dram_addr, std::int64_t pixels,
                    std::uint32_t pixel_stride, bool narrow = false);
  void loadw(std::int64_t w_addr);
  // `requant`: the results leave through the pipelined requantizer with VSET's operands.
  void matmul(std::int64_t a_addr, std::int64_t a_stride, std::int64_t b_addr, std::int64_t c_addr,
              std::int64_t len, bool accumulate, bool requant = false);
  void vset(const VectorSettings& settings);
  // `stride`: DWCONV's columns between output windows (the pools step by VSET's out_step).
  // `to_obuf`: DWCONV, pools and ADD write OBUF words dst.. (sign-extended) instead of IBUF.
  void vector(isa::VectorOp op, std::int64_t src, std::int64_t src2, std::int64_t dst,
              std::int64_t count, int kh, int kw, std::int64_t row_pitch, int stride = 0,
              bool to_obuf = false);
  void sync(int mask);

  // DMA instructions (LOAD, STORE) emitted so far. Dispatch is in order and a DMA instruction
  // dispatches only once the DMA is idle, so an instruction placed after a later transfer than
  // transfer n dispatches after transfer n completed (docs/compiler.md, "Hazards").
  std::size_t transfers() const { return transfers_; }

  Program finish();

 private:
  std::uint32_t allocate(std::uint32_t bytes);
  void transfer(isa::Opcode opcode, isa::Buffer buffer, std::int64_t sp_addr, std::uint32_t dram_addr,
                std::int64_t rows, std::int64_t row_words, std::uint32_t dram_pitch, bool narrow);
  int word_bytes(isa::Buffer buffer, bool narrow) const;

  Program program_;
  AcceleratorGeometry geometry_;
  std::uint32_t next_free_ = 0;
  std::size_t transfers_ = 0;
  bool plan_only_ = false;
};

}  // namespace tandem::compiler
