// Hand-assembled Programs with hand-computed cycle counts and counters, shared by t_analytic
// (the analytic model must give these numbers) and t_analytic_rtl (so must the RTL). Each
// expectation spells out its arithmetic: these are the closed forms, documented by example.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "core/program.h"

namespace tandem::test {

struct HandCase {
  std::string name;
  Program program;
  std::map<std::string, std::uint64_t> expected;  // counters not listed are 0
};

// 4 KiB buffers; the rest as given.
inline AcceleratorConfig hand_config(int rows, int cols, Dataflow dataflow, int bytes_per_cycle, int latency,
                                     int banks = 2, int lanes = 4) {
  AcceleratorConfig c;
  c.array = {rows, cols, dataflow};
  c.buffers = {4, 4, 4, banks};
  c.vector.lanes = lanes;
  c.dram = {bytes_per_cycle, latency};
  return c;
}

// WS 4x6 (R=4, C=6), 2 banks, 4 lanes, BPC 8, DRAM latency 20: IBUF words 4 bytes (groups of
// 2 words per request), WBUF 6 bytes (1 request), OBUF 24 bytes (3 requests), PARAM 12 bytes (2).
inline AcceleratorConfig hand_ws_config() { return hand_config(4, 6, Dataflow::weight_stationary, 8, 20); }

// OS 6x4 (R=6, C=4), 2 banks, 4 lanes, BPC 4, DRAM latency 7.
inline AcceleratorConfig hand_os_config() { return hand_config(6, 4, Dataflow::output_stationary, 4, 7); }

// Every counter but the data-dependent zero_operand_macs equals the expectation (0 if unlisted).
inline void check_hand_counters(const std::map<std::string, std::uint64_t>& actual,
                                const std::map<std::string, std::uint64_t>& expected) {
  for (const std::string& name : isa::counter_names()) {
    INFO("counter " << name);
    if (name == "zero_operand_macs") continue;
    const auto it = expected.find(name);
    CHECK(actual.at(name) == (it == expected.end() ? 0 : it->second));
  }
}

inline isa::Instruction dma(isa::Opcode op, isa::Buffer buf, int rows, int row_words, bool narrow = false) {
  isa::Instruction i(op);
  i.set(isa::field::buf, static_cast<int>(buf)).set(isa::field::dram_addr, 0);
  i.set(isa::field::rows, rows).set(isa::field::row_words, row_words).set(isa::field::dram_pitch, 64);
  if (narrow) i.set(isa::field::narrow, 1);
  return i;
}

inline isa::Instruction matmul(int len, bool acc, bool requant = false) {
  isa::Instruction i(isa::Opcode::matmul);
  i.set(isa::field::requant, requant ? 1 : 0);
  return i.set(isa::field::len, len).set(isa::field::acc, acc ? 1 : 0).set(isa::field::a_stride, 1);
}

inline isa::Instruction vector(isa::VectorOp op, int count, int kh = 0, int kw = 0) {
  isa::Instruction i(isa::Opcode::vector);
  i.set(isa::field::vop, static_cast<int>(op)).set(isa::field::count, count);
  return i.set(isa::field::kh, kh).set(isa::field::kw, kw).set(isa::field::row_pitch, 1).set(isa::field::dst, 64);
}

inline isa::Instruction sync(int mask) { return isa::Instruction(isa::Opcode::sync).set(isa::field::mask, mask); }

inline Program hand_program(const std::string& name, const AcceleratorConfig& config,
                            std::vector<isa::Instruction> instructions) {
  Program p;
  p.name = name;
  p.config = config;
  p.instructions = std::move(instructions);
  MemorySegment data{"data", 0, {}};
  for (int k = 0; k < 1024; ++k) data.bytes.push_back(static_cast<std::uint8_t>(k * 37 + 1));
  p.memory.push_back(data);
  p.outputs.push_back({"out", 2048, 64});
  p.dram_bytes = 4096;
  return p;
}

inline std::vector<HandCase> hand_cases() {
  using isa::Buffer;
  using isa::Opcode;
  using isa::VectorOp;
  const AcceleratorConfig ws = hand_ws_config(), os = hand_os_config();
  std::vector<HandCase> cases;
  // Cycle 1: the first instruction is on the port, nothing held (idle). Held from cycle 2,
  // dispatched there; its unit is busy from cycle 3; the run ends in the first cycle after
  // that in which nothing is busy (idle again): cycles = 2 + busy + 1.
  cases.push_back({"empty program: one idle cycle", hand_program("empty", ws, {}),
                   {{"cycles", 1}, {"idle_cycles", 1}}});
  cases.push_back({"NOP", hand_program("nop", ws, {isa::Instruction(Opcode::nop)}),
                   {{"cycles", 3}, {"idle_cycles", 2}, {"instructions", 1}}});
  // LOAD IBUF 2x3 words of 4 bytes, two per request (2 banks, 8 bytes): each row a group of 2
  // and one of 1, 4 requests; busy 4 + latency 20 = 24.
  cases.push_back({"LOAD IBUF 6 words", hand_program("load_ibuf", ws, {dma(Opcode::load, Buffer::ibuf, 2, 3)}),
                   {{"cycles", 2 + 24 + 1}, {"idle_cycles", 2}, {"dma_busy_cycles", 24}, {"ibuf_writes", 6},
                    {"dram_read_bytes", 24}, {"instructions", 1}}});
  // LOAD OBUF 2 words of 24 bytes at BPC 8: 3 requests per word, busy 6 + 20.
  cases.push_back({"LOAD OBUF 2 words of 3 requests", hand_program("load_obuf", ws, {dma(Opcode::load, Buffer::obuf, 1, 2)}),
                   {{"cycles", 2 + 26 + 1}, {"idle_cycles", 2}, {"dma_busy_cycles", 26}, {"obuf_writes", 2},
                    {"dram_read_bytes", 48}, {"instructions", 1}}});
  // LOAD PARAM 3 entries of 12 bytes at BPC 8: 2 requests each (8 + 4 bytes), busy 6 + 20.
  cases.push_back({"LOAD PARAM 3 entries", hand_program("load_param", ws, {dma(Opcode::load, Buffer::param, 3, 1)}),
                   {{"cycles", 2 + 26 + 1}, {"idle_cycles", 2}, {"dma_busy_cycles", 26}, {"param_writes", 3},
                    {"dram_read_bytes", 36}, {"instructions", 1}}});
  // STORE OBUF narrow, 4 words of C=6 bytes: 4 requests, busy 4 + 2 (read ahead, capture).
  cases.push_back({"STORE OBUF narrow 4 words", hand_program("store_narrow", ws, {dma(Opcode::store, Buffer::obuf, 2, 2, true)}),
                   {{"cycles", 2 + 6 + 1}, {"idle_cycles", 2}, {"dma_busy_cycles", 6}, {"obuf_reads", 4},
                    {"dram_write_bytes", 24}, {"instructions", 1}}});
  // STORE WBUF 3 words of 6 bytes: busy 3 + 2.
  cases.push_back({"STORE WBUF 3 words", hand_program("store_wbuf", ws, {dma(Opcode::store, Buffer::wbuf, 1, 3)}),
                   {{"cycles", 2 + 5 + 1}, {"idle_cycles", 2}, {"dma_busy_cycles", 5}, {"wbuf_reads", 3},
                    {"dram_write_bytes", 18}, {"instructions", 1}}});
  // LOAD then SYNC(DMA): the SYNC is held from cycle 3 and waits out the DMA (busy 3..26):
  // 24 stall cycles blamed on the DMA, dispatch in 27, done in 28.
  cases.push_back({"LOAD + SYNC waits for the DMA",
                   hand_program("load_sync", ws, {dma(Opcode::load, Buffer::ibuf, 2, 3), sync(1)}),
                   {{"cycles", 28}, {"idle_cycles", 2}, {"dma_busy_cycles", 24}, {"ibuf_writes", 6},
                    {"dram_read_bytes", 24}, {"instructions", 2}, {"dispatch_stall_cycles", 24},
                    {"stall_on_dma_cycles", 24}}});
  // Groups of 4 words (WS 4x4, 4 banks, BPC 16, latency 10: IBUF, WBUF and narrow OBUF words of
  // 4 bytes, OBUF words of 16). LOAD IBUF 2 rows x 5 words at scratchpad word 3: each row a
  // group of 4 and one of 1, 4 requests, busy 4 + 10; the groups start in every bank.
  {
    const AcceleratorConfig wide = hand_config(4, 4, Dataflow::weight_stationary, 16, 10, 4);
    isa::Instruction load = dma(Opcode::load, Buffer::ibuf, 2, 5);
    load.set(isa::field::sp_addr, 3);
    cases.push_back({"LOAD IBUF in groups of 4 words", hand_program("load_groups", wide, {load}),
                     {{"cycles", 2 + 14 + 1}, {"idle_cycles", 2}, {"dma_busy_cycles", 14}, {"ibuf_writes", 10},
                      {"dram_read_bytes", 40}, {"instructions", 1}}});
    // A narrow STORE of 3 rows x 6 OBUF words from word 1: groups 4 + 2 per row, 6 requests,
    // busy 6 + 2 (cycles 3..10); a wide LOAD of OBUF (16-byte words fill a request) moves a word
    // per request: held until the DMA is idle, dispatched in 11, busy 3 + 10 (12..24).
    isa::Instruction store = dma(Opcode::store, Buffer::obuf, 3, 6, true);
    store.set(isa::field::sp_addr, 1);
    cases.push_back({"STORE OBUF narrow in groups of 4 words, LOAD OBUF one word per request",
                     hand_program("store_groups", wide, {store, dma(Opcode::load, Buffer::obuf, 1, 3)}),
                     {{"cycles", 2 + 8 + 1 + 13 + 1}, {"idle_cycles", 2}, {"dma_busy_cycles", 8 + 13},
                      {"obuf_reads", 18}, {"obuf_writes", 3}, {"dram_write_bytes", 72}, {"dram_read_bytes", 48},
                      {"instructions", 2}, {"dispatch_stall_cycles", 8}, {"stall_on_dma_cycles", 8}}});
  }
  // LOADW (R+1 = 5 busy, cycles 3..7), MATMUL len 5 held from 3, dispatched in 7 (the LOADW's
  // last step; 4 stall cycles on the ARRAY), busy len + (R+C-1) + 1 = 15 (cycles 8..22), done
  // in 23. MACs 5 * R*C = 120; reads: 4 WBUF (LOADW), 5 IBUF; 5 OBUF writes.
  cases.push_back({"WS LOADW + MATMUL len 5",
                   hand_program("loadw_matmul", ws, {isa::Instruction(Opcode::loadw), matmul(5, false)}),
                   {{"cycles", 23}, {"idle_cycles", 2}, {"array_busy_cycles", 20}, {"macs", 120},
                    {"wbuf_reads", 4}, {"ibuf_reads", 5}, {"obuf_writes", 5}, {"instructions", 2},
                    {"dispatch_stall_cycles", 4}, {"stall_on_array_cycles", 4}}});
  // Three slices back to back (LAT = 9): LOADW 2 (bank 0, busy 3..7); MATMUL 7 (busy 8..22).
  // The second LOADW fills bank 1 while that MATMUL streams: dispatched in 8 (busy 9..13); the
  // second MATMUL in its last step, 13 (busy 14..28). The third LOADW fills bank 0 again, so it
  // waits for the first MATMUL's token to pass every PE: from 7 + LAT = 16 (busy 17..21); the
  // third MATMUL in 21 (busy 22..36). Done in 37; the ARRAY is busy 5 + 15 + 6 + 8 = 34 cycles;
  // stalls 4 + 0 + 4 + 2 + 4 on the ARRAY.
  cases.push_back({"WS slices back to back: three LOADW + MATMUL pairs",
                   hand_program("back_to_back", ws, {isa::Instruction(Opcode::loadw), matmul(5, false),
                                                     isa::Instruction(Opcode::loadw), matmul(5, true),
                                                     isa::Instruction(Opcode::loadw), matmul(5, true)}),
                   {{"cycles", 37}, {"idle_cycles", 2}, {"array_busy_cycles", 34}, {"macs", 360},
                    {"wbuf_reads", 12}, {"ibuf_reads", 15}, {"obuf_reads", 10}, {"obuf_writes", 15},
                    {"instructions", 6}, {"dispatch_stall_cycles", 14}, {"stall_on_array_cycles", 14}}});
  // Accumulating MATMUL also reads the old OBUF row of each result row.
  cases.push_back({"WS MATMUL len 3 accumulating",
                   hand_program("matmul_acc", ws, {matmul(3, true)}),
                   {{"cycles", 2 + 13 + 1}, {"idle_cycles", 2}, {"array_busy_cycles", 13}, {"macs", 72},
                    {"ibuf_reads", 3}, {"obuf_reads", 3}, {"obuf_writes", 3}, {"instructions", 1}}});
  // Through the pipelined requantizer: RQ = 5 more busy cycles (3 + 9 + 1 + 5 = 18), C = 6 PARAM
  // reads (the columns' parameters), 3 rows x 6 requantized elements.
  cases.push_back({"WS MATMUL len 3 through the requantizer",
                   hand_program("matmul_requant", ws, {matmul(3, false, true)}),
                   {{"cycles", 2 + 18 + 1}, {"idle_cycles", 2}, {"array_busy_cycles", 18}, {"macs", 72},
                    {"ibuf_reads", 3}, {"obuf_writes", 3}, {"param_reads", 6}, {"requantizer_ops", 18},
                    {"instructions", 1}}});
  // Without the requantizer the bit is ignored: the plain MATMUL's 13 cycles.
  {
    AcceleratorConfig no_requantizer = ws;
    no_requantizer.array.requantizer = OutputRequantizer::vector_unit;
    cases.push_back({"WS MATMUL requant bit without the requantizer",
                     hand_program("matmul_requant_ignored", no_requantizer, {matmul(3, false, true)}),
                     {{"cycles", 2 + 13 + 1}, {"idle_cycles", 2}, {"array_busy_cycles", 13}, {"macs", 72},
                      {"ibuf_reads", 3}, {"obuf_writes", 3}, {"instructions", 1}}});
  }
  // A requantizing MATMUL holds PARAM's read port: a STORE from PARAM (1 entry, 2 requests + 2)
  // waits for it (busy 3..20), dispatches in 21, busy 22..25, done in 26.
  cases.push_back({"STORE PARAM waits for a requantizing MATMUL on the PARAM read port",
                   hand_program("requant_param_port", ws, {matmul(3, false, true), dma(Opcode::store, Buffer::param, 1, 1)}),
                   {{"cycles", 26}, {"idle_cycles", 2}, {"array_busy_cycles", 18}, {"dma_busy_cycles", 4},
                    {"macs", 72}, {"ibuf_reads", 3}, {"obuf_writes", 3}, {"param_reads", 6 + 1},
                    {"requantizer_ops", 18}, {"dram_write_bytes", 12}, {"instructions", 2},
                    {"dispatch_stall_cycles", 18}, {"stall_on_array_cycles", 18}}});
  // A LOAD into IBUF and a MATMUL (reads IBUF, writes OBUF) share no port: they overlap.
  // LOAD busy 3..28; MATMUL dispatched in 3, busy 4..16; done in 29.
  cases.push_back({"LOAD WBUF overlaps MATMUL",
                   hand_program("overlap", ws, {dma(Opcode::load, Buffer::wbuf, 2, 3), matmul(3, false)}),
                   {{"cycles", 29}, {"idle_cycles", 2}, {"dma_busy_cycles", 26}, {"array_busy_cycles", 13},
                    {"macs", 72}, {"wbuf_writes", 6}, {"dram_read_bytes", 36}, {"ibuf_reads", 3},
                    {"obuf_writes", 3}, {"instructions", 2}}});
  // STORE OBUF (reads OBUF) blocks a MATMUL (writes OBUF)? No: read vs write ports differ. But
  // an accumulating MATMUL reads OBUF: it waits for the STORE (busy 3..8), dispatch 9.
  cases.push_back({"STORE OBUF blocks an accumulating MATMUL on the OBUF read port",
                   hand_program("port_conflict", ws, {dma(Opcode::store, Buffer::obuf, 1, 4, true), matmul(2, true)}),
                   {{"cycles", 9 + 12 + 1}, {"idle_cycles", 2}, {"dma_busy_cycles", 6}, {"array_busy_cycles", 12},
                    {"macs", 48}, {"obuf_reads", 4 + 2}, {"obuf_writes", 2}, {"ibuf_reads", 2},
                    {"dram_write_bytes", 24}, {"instructions", 2}, {"dispatch_stall_cycles", 6},
                    {"stall_on_dma_cycles", 6}}});
  // REQUANT count 3, W = C = 6, 4 lanes: B = 2 beats; busy (C+1) + 3*(B+3+RQ) = 37 (RQ = 5,
  // the lanes' requantizer latency).
  cases.push_back({"VECTOR REQUANT count 3",
                   hand_program("requant", ws, {vector(VectorOp::requant, 3)}),
                   {{"cycles", 2 + 37 + 1}, {"idle_cycles", 2}, {"vector_busy_cycles", 37}, {"param_reads", 6},
                    {"obuf_reads", 3}, {"obuf_writes", 3}, {"vector_lane_ops", 18}, {"instructions", 1}}});
  // DWCONV count 2, 3x3 taps, W = R = 4, B = 1: (R+1) + 2*(9*(1+3) + 1 + 1 + RQ) = 91;
  // IBUF reads 2 per tap, lane ops count*W*(T+1) = 80.
  cases.push_back({"VECTOR DWCONV 3x3 count 2",
                   hand_program("dwconv", ws, {vector(VectorOp::dwconv, 2, 3, 3)}),
                   {{"cycles", 2 + 91 + 1}, {"idle_cycles", 2}, {"vector_busy_cycles", 91}, {"param_reads", 4},
                    {"ibuf_reads", 36}, {"ibuf_writes", 2}, {"vector_lane_ops", 80}, {"instructions", 1}}});
  // The same with stride 1 runs on the sliding window (depthwise_kernel 3 >= 3, B = 1 <= kh):
  // PARAM and 9 weights together max(R, T) + 1 = 10, 3 rows x ((2-1)*1 + 3) = 12 columns read,
  // then 3 pipeline cycles, B = 1 requant beat, RQ and the write: 10 + 12 + 5 + 5 = 32. IBUF reads
  // 9 + 12; lane ops as before.
  {
    isa::Instruction sliding = vector(VectorOp::dwconv, 2, 3, 3);
    sliding.set(isa::field::stride, 1);
    cases.push_back({"VECTOR DWCONV 3x3 count 2 on the sliding window",
                     hand_program("dwconv_sliding", ws, {sliding}),
                     {{"cycles", 2 + 32 + 1}, {"idle_cycles", 2}, {"vector_busy_cycles", 32}, {"param_reads", 4},
                      {"ibuf_reads", 21}, {"ibuf_writes", 2}, {"vector_lane_ops", 80}, {"instructions", 1}}});
  }
  // MAXPOOL count 2, 2x2: no PARAM load; 2*(4*(1+2) + 1 + 1 + RQ) = 38.
  cases.push_back({"VECTOR MAXPOOL 2x2 count 2",
                   hand_program("maxpool", ws, {vector(VectorOp::maxpool, 2, 2, 2)}),
                   {{"cycles", 2 + 38 + 1}, {"idle_cycles", 2}, {"vector_busy_cycles", 38},
                    {"ibuf_reads", 8}, {"ibuf_writes", 2}, {"vector_lane_ops", 40}, {"instructions", 1}}});
  // The same MAXPOOL with its results to OBUF (busy 3..40) reads IBUF and writes OBUF, so a
  // LOAD into IBUF (IBUF's write port; 2x3 words, groups of 2: busy 4 + 20) dispatches beside it
  // in 3 (busy 4..27); done in 41.
  {
    isa::Instruction to_obuf = vector(VectorOp::maxpool, 2, 2, 2);
    to_obuf.set(isa::field::to_obuf, 1);
    cases.push_back({"VECTOR MAXPOOL to OBUF overlaps a LOAD into IBUF",
                     hand_program("maxpool_obuf", ws, {to_obuf, dma(Opcode::load, Buffer::ibuf, 2, 3)}),
                     {{"cycles", 41}, {"idle_cycles", 2}, {"vector_busy_cycles", 38}, {"dma_busy_cycles", 24},
                      {"ibuf_reads", 8}, {"obuf_writes", 2}, {"ibuf_writes", 6}, {"dram_read_bytes", 24},
                      {"vector_lane_ops", 40}, {"instructions", 2}}});
  }
  // VSET waits for the VECTOR unit: streaming ADD (B = 1) count 3: (R+1) + 2*3 + 3 + RQ = 19,
  // busy 3..21; VSET held from 3, dispatched in 22 (19 stall cycles on VECTOR); done in 23.
  cases.push_back({"VECTOR ADD then VSET waits",
                   hand_program("add_vset", ws, {vector(VectorOp::add, 3), isa::Instruction(Opcode::vset)}),
                   {{"cycles", 23}, {"idle_cycles", 2}, {"vector_busy_cycles", 19}, {"param_reads", 4},
                    {"ibuf_reads", 6}, {"ibuf_writes", 3}, {"vector_lane_ops", 12}, {"instructions", 2},
                    {"dispatch_stall_cycles", 19}, {"stall_on_vector_cycles", 19}}});
  // Zero-work instructions take no unit time: MATMUL len 0, VECTOR count 0, LOAD 0 rows.
  cases.push_back({"zero-length instructions",
                   hand_program("zero", ws, {matmul(0, false), vector(VectorOp::add, 0), dma(Opcode::load, Buffer::ibuf, 0, 4)}),
                   {{"cycles", 5}, {"idle_cycles", 2}, {"instructions", 3}}});
  // Corners of the RTL that docs/isa.md leaves open, pinned as the RTL does them:
  // windowed ops with no taps (kh = 0): DWCONV (R+1) + 2*(B+1+RQ) = 19, lane ops count*W = 8;
  // MAXPOOL kw = 0: 2*(B+1+RQ) = 14, no PARAM; an unassigned vop (5) still waits for the VECTOR
  // unit, then does nothing. Dispatches in 2, 22 (busy 23..36) and 37; done in 38.
  cases.push_back({"VECTOR without taps, and an unassigned vop",
                   hand_program("no_taps", ws, {vector(VectorOp::dwconv, 2, 0, 3), vector(VectorOp::maxpool, 2, 3, 0),
                                                vector(static_cast<VectorOp>(5), 4)}),
                   {{"cycles", 38}, {"idle_cycles", 2}, {"vector_busy_cycles", 33}, {"param_reads", 4},
                    {"ibuf_writes", 4}, {"vector_lane_ops", 16}, {"instructions", 3},
                    {"dispatch_stall_cycles", 19 + 14}, {"stall_on_vector_cycles", 19 + 14}}});
  // A buffer id above 3 (buf = 5): the DMA moves PARAM-sized words (12 bytes, 2 requests at
  // BPC 8) but writes no buffer, so no buffer counter moves; busy 2*2 + 20.
  {
    isa::Instruction load5 = dma(Opcode::load, Buffer::ibuf, 1, 2);
    load5.set(isa::field::buf, 5);
    cases.push_back({"LOAD into buffer id 5 counts DRAM bytes only", hand_program("buf5", ws, {load5}),
                     {{"cycles", 2 + 24 + 1}, {"idle_cycles", 2}, {"dma_busy_cycles", 24}, {"dram_read_bytes", 24},
                      {"instructions", 1}}});
  }
  // Output-stationary MATMUL len K=3, R=6, C=4: busy K + (R+C-1) + R = 18; reads K IBUF and K
  // WBUF words, writes R OBUF rows; LOADW takes no time.
  cases.push_back({"OS LOADW (no-op) + MATMUL len 3",
                   hand_program("os_matmul", os, {isa::Instruction(Opcode::loadw), matmul(3, false)}),
                   {{"cycles", 3 + 18 + 1}, {"idle_cycles", 2}, {"array_busy_cycles", 18}, {"macs", 72},
                    {"ibuf_reads", 3}, {"wbuf_reads", 3}, {"obuf_writes", 6}, {"instructions", 2}}});
  // OS: a LOAD into WBUF (write port; 3 words of 4 bytes at BPC 4, latency 7: busy 10, cycles
  // 3..12) and a MATMUL reading WBUF (read port) share no port, so they overlap: the MATMUL
  // dispatches in 3, busy K + (R+C-1) + R = 17 (4..20); ordering them is the compiler's SYNC.
  cases.push_back({"OS LOAD WBUF overlaps a MATMUL reading WBUF (different ports)",
                   hand_program("os_wbuf", os, {dma(Opcode::load, Buffer::wbuf, 1, 3), matmul(2, true)}),
                   {{"cycles", 3 + 17 + 1}, {"idle_cycles", 2}, {"dma_busy_cycles", 10}, {"array_busy_cycles", 17},
                    {"macs", 48}, {"wbuf_writes", 3}, {"dram_read_bytes", 12}, {"ibuf_reads", 2}, {"wbuf_reads", 2},
                    {"obuf_reads", 6}, {"obuf_writes", 6}, {"instructions", 2}}});
  return cases;
}

}  // namespace tandem::test
