// tandem_vector_unit: the accelerator's SIMD vector unit (docs/isa.md, VECTOR).
//
// Executes one VECTOR instruction at a time: REQUANT (OBUF int32 -> int8, in place), DWCONV,
// MAXPOOL, AVGPOOL and ADD (IBUF int8 channel vectors -> IBUF, or with to_obuf -> OBUF words of
// sign-extended elements; the timing is the same). Each lane requantizes with
// tandem_requant (core/quant_math.h's arithmetic); the PARAM shift is clamped to [-31, 30] here.
//   - MAXPOOL over zero taps (kh or kw = 0) is clamp(-128); DWCONV/AVGPOOL over zero taps is
//     requant(0 + bias).
// Sequential FSM, one scratchpad access per port per cycle, LANES element operations per cycle,
// except DWCONV on the sliding-window datapath (DW_KERNEL > 0, below).
//
// Schedule and cycle count (busy cycles; data-independent; W = OBUF_ELEMS for REQUANT,
// IBUF_ELEMS otherwise; B = ceil(W / LANES) beats per word; T = kh * kw taps; RQ =
// REQUANT_LATENCY, the lanes' requantizer pipeline):
//   count == 0 or vop > `TANDEM_VOP_LAST:  0 (busy stays low, nothing is read or written)
//   REQUANT:  (W + 1) + count * (B + 3 + RQ)
//   ADD:      (W + 1) + count * (B + 4 + RQ)   if B > 1
//             (W + 1) + 2 * count + 3 + RQ      if B = 1 (streaming: operands a and b read on
//                                               alternate cycles, each word's requant beat and
//                                               write follow two and 3 + RQ cycles later)
//   DWCONV:   (W + 1) + count * (T * (B + 3) + B + 1 + RQ)
//   AVGPOOL:  (W + 1) + count * (T * (B + 2) + B + 1 + RQ)
//   MAXPOOL:            count * (T * (B + 2) + B + 1 + RQ)
// where (W + 1) is the PARAM load (W entries param_base + e, one read per cycle, plus one cycle
// for the last response; MAXPOOL needs no parameters), and per output word:
//   per tap: read operand (1), capture it / read the second operand (1), capture the second
//   operand (1, DWCONV only), B compute beats (DWCONV, pools); REQUANT and ADD have one "tap"
//   of 2 (REQUANT) or 3 (ADD) read cycles and no compute beats;
//   then B requant beats, RQ cycles for the last beat's result, and 1 write cycle.
// lane_ops: the element operations of the previous cycle (registered: the activity counter's
//   adder sits after it), i.e. the valid elements of the beat, min(LANES, W - beat * LANES), in
//   every compute beat and every requant beat. Per instruction: count * W * (T + 1) for
//   DWCONV, MAXPOOL, AVGPOOL; count * W for REQUANT and ADD. The last lane operation is at
//   least RQ + 1 cycles before the instruction ends, so its count is in before busy falls.
//
// DWCONV's window of output n starts at src + n * stride * col_step (out_step is for the pools).
//
// Sliding-window DWCONV. With DW_KERNEL = K > 0 a DWCONV with 1 <= kh, kw <= K, stride >= 1 and
// B <= kh * stride runs on K accumulator slots of IBUF_ELEMS int32 each (K * IBUF_ELEMS
// multipliers): the weights (T words) are read into registers while PARAM loads, then the
// input is swept column by column, kh words per column, one IBUF read per cycle; every word
// read is multiplied into each output whose window covers its column (at most K live outputs,
// ring of slots), so a word is read once per kernel row instead of once per tap. An output
// leaves its slot after its last column, is requantized in B beats by the lanes and written
// while the sweep goes on (B <= kh * stride keeps one output in the requantizer). Busy cycles:
//   DWCONV (sliding):  max(W, T) + 1 + kh * ((count - 1) * stride + kw) + B + 4 + RQ
// (PARAM and weights, the sweep, then 3 pipeline cycles (read, multiply, accumulate), B
// requant beats, the requantizer's RQ cycles, 1 write for the last output);
// ibuf_reads = T + kh * ((count - 1) * stride + kw); lane_ops as below (each MAC cycle counts
// IBUF_ELEMS per live slot). The sweep reads words of later outputs before
// earlier outputs are written, so DWCONV's destination must not overlap its inputs.
//
// Otherwise words are consumed in order n = 0 .. count-1 and word n is written before word n+1
// is read, except in the streaming ADD, which reads up to two words ahead of its writes: its
// destination is src, src2, or overlaps neither.
// Addresses are the instruction's (24 bits) modulo the buffer depth (docs/isa.md Storage): the
// address registers keep only the low *_AW bits the ports take (*_AW <= 24, PARAM_AW <= 16).
`include "tandem_isa.vh"

module tandem_vector_unit #(
  parameter int IBUF_ELEMS = 16,  // IBUF word: int8 elements (channel vector for DWCONV/POOL/ADD)
  parameter int OBUF_ELEMS = 16,  // OBUF word: int32 elements (REQUANT)
  parameter int LANES = 16,       // SIMD lanes: element operations per cycle
  parameter int IBUF_AW = 12,     // word-address widths (instruction addresses are 24 bits)
  parameter int OBUF_AW = 12,
  parameter int PARAM_AW = 6,
  parameter int DW_KERNEL = 0,    // largest kernel of the sliding-window DWCONV (0: none)
  parameter bit SPLIT_PRODUCT = 1, // tandem_requant's product in two halves
  parameter int REQUANT_LATENCY = 5 // tandem_requant's pipeline stages
) (
  input  logic clk,
  input  logic rst_n,
  input  logic start,
  input  logic [2:0] vop,
  input  logic to_obuf,  // DWCONV, pools, ADD: write results to OBUF word dst + n (sign-extended)
  input  logic [23:0] src,
  input  logic [23:0] src2,
  input  logic [23:0] dst,
  input  logic [15:0] count,
  input  logic [3:0] kh,
  input  logic [3:0] kw,
  input  logic [19:0] row_pitch,
  input  logic [3:0] stride,
  input  logic signed [7:0] zp_a,
  input  logic signed [7:0] zp_b,
  input  logic signed [7:0] zp_out,
  input  logic signed [7:0] clamp_lo,
  input  logic signed [7:0] clamp_hi,
  input  logic signed [15:0] m_a,
  input  logic signed [15:0] m_b,
  input  logic [15:0] col_step,
  input  logic [15:0] param_base,
  input  logic [15:0] out_step,
  output logic busy,
  output logic ibuf_re,
  output logic [IBUF_AW-1:0] ibuf_raddr,
  input  logic [8*IBUF_ELEMS-1:0] ibuf_rdata,
  output logic ibuf_we,
  output logic [IBUF_AW-1:0] ibuf_waddr,
  output logic [8*IBUF_ELEMS-1:0] ibuf_wdata,
  output logic obuf_re,
  output logic [OBUF_AW-1:0] obuf_raddr,
  input  logic [32*OBUF_ELEMS-1:0] obuf_rdata,
  output logic obuf_we,
  output logic [OBUF_AW-1:0] obuf_waddr,
  output logic [32*OBUF_ELEMS-1:0] obuf_wdata,
  output logic param_re,
  output logic [PARAM_AW-1:0] param_raddr,
  input  logic [95:0] param_rdata,  // {shift[95:64], multiplier[63:32], bias[31:0]}
  output logic [$clog2(LANES+DW_KERNEL*IBUF_ELEMS+1)-1:0] lane_ops
);

  // ---------------------------------------------------------------------------------------
  // Sizes
  // elements held per word
  localparam int MaxElems = (IBUF_ELEMS > OBUF_ELEMS) ? IBUF_ELEMS : OBUF_ELEMS;
  localparam int MaxBeats = (MaxElems + LANES - 1) / LANES;           // most beats per word
  localparam int BuiltLanes = (LANES < MaxElems) ? LANES : MaxElems;  // never idle ones
  localparam int IbufBeats = (IBUF_ELEMS + LANES - 1) / LANES;        // beats of an IBUF word
  localparam int ObufBeats = (OBUF_ELEMS + LANES - 1) / LANES;        // beats of an OBUF word
  localparam int BeatBits = $clog2(MaxBeats + 1);                     // beat counter width
  localparam int K = (DW_KERNEL > 0) ? DW_KERNEL : 1;  // slots and weight grid (unused if 0)
  localparam int MaxTaps = (DW_KERNEL > 0) ? K * K : 0;  // weight words of a sliding DWCONV
  localparam int MaxPhase = (MaxElems > MaxTaps) ? MaxElems : MaxTaps;
  localparam int ParamCountBits = $clog2(MaxPhase + 2);  // PARAM/weight counter (0 .. max(W, T))
  localparam int LaneOpsBits = $clog2(LANES + DW_KERNEL * IBUF_ELEMS + 1);  // lane_ops width
  // Address registers hold only the bits the buffer ports take: addresses wrap modulo the buffer
  // depth, and the low bits of a sum depend only on the low bits of its operands.
  localparam int AW = (IBUF_AW > OBUF_AW) ? IBUF_AW : OBUF_AW;  // first operand (IBUF or OBUF)

  // The latched vop keeps the bits the ops need (`TANDEM_VOP_*, all <= `TANDEM_VOP_LAST).
  localparam int OpBits = $clog2(`TANDEM_VOP_LAST + 1);

  localparam logic [3:0] S_IDLE = 4'd0;
  localparam logic [3:0] S_PARAM = 4'd1;  // PARAM entries param_base .. param_base+W-1
  localparam logic [3:0] S_RD0 = 4'd2;    // read the first operand word
  localparam logic [3:0] S_RD1 = 4'd3;    // capture it; read the second operand word
  localparam logic [3:0] S_RD2 = 4'd4;    // capture the second operand word
  localparam logic [3:0] S_CMP = 4'd5;    // compute beats (accumulate one tap)
  localparam logic [3:0] S_REQ = 4'd6;    // requant / clamp beats
  localparam logic [3:0] S_WR = 4'd7;     // write the result word
  localparam logic [3:0] S_SWEEP = 4'd8;  // sliding DWCONV: one input read per cycle
  localparam logic [3:0] S_DRAIN = 4'd9;  // sliding DWCONV, streaming ADD: the last outputs leave
  localparam logic [3:0] S_ADDS = 4'd10;  // streaming ADD: one operand read per cycle
  localparam logic [3:0] S_RQW = 4'd11;   // the last requant beat's result in the pipeline

  // The lanes' requantizer: a beat's results arrive RQ cycles after the beat.
  localparam int RQ = REQUANT_LATENCY;
  // The requantizer's stage whose value `mult` belongs to (sh_stage3: the next one); 3 when
  // its 8-stage pipeline splits stage 2 (tandem_requant.v's header).
  localparam int RqMultStage = RQ >= 8 ? 3 : 2;

  // Elements of a W-element word handled in beat `beat`: min(LANES, W - beat * LANES)
  function automatic logic [LaneOpsBits-1:0] beat_elems(input int w,
                                                        input logic [BeatBits-1:0] beat);
    int rest;
    begin
      rest = w - LANES * {{(32-BeatBits){1'b0}}, beat};
      beat_elems = (rest >= LANES) ? LaneOpsBits'(LANES) : LaneOpsBits'(rest);
    end
  endfunction

  // ---------------------------------------------------------------------------------------
  // Instruction and VSET registers (latched at start)
  logic [3:0] state_q;
  // The op, one-hot: decoded once at start, so that no comparison sits on the datapath's
  // selects (the multiplier's operand, the accumulator's input).
  logic is_req_q, is_dw_q, is_max_q, is_add_q, is_avg_q;
  logic [15:0] count_q;
  logic [3:0] kh_q, kw_q;
  logic [AW-1:0] row_pitch_q, col_step_q, out_step_q;
  logic [IBUF_AW-1:0] src2_q;
  logic [PARAM_AW-1:0] param_base_q;
  logic [7:0] zp_a_q, zp_b_q, zp_out_q, lo_q, hi_q;
  logic [15:0] m_a_q, m_b_q;

  // Progress
  logic [15:0] n_q;                 // output word
  logic last_word_q;                // n_q + 1 == count_q, kept a step ahead (no adder on the path)
  logic [3:0] ti_q, tj_q;           // tap (row, column)
  logic [BeatBits-1:0] beat_q;
  logic [ParamCountBits-1:0] pk_q;  // PARAM cycle 0 .. W
  logic [AW-1:0] base_q;            // src + n*out_step (pools, DWCONV) or src + n
  logic [AW-1:0] row_q;             // base + i*row_pitch
  logic [AW-1:0] tap_q;             // base + i*row_pitch + j*col_step: first operand
  logic [IBUF_AW-1:0] b_addr_q;     // second operand: src2 + i*kw + j (DWCONV), src2 + n (ADD)
  logic [AW-1:0] dst_q;             // dst + n (IBUF or OBUF)
  logic to_obuf_q;                  // results to OBUF (not REQUANT: it writes OBUF in place)

  // Sliding-window DWCONV (see the header)
  logic slide_q;                    // this DWCONV runs on the sliding-window datapath
  logic [3:0] stride_q;
  logic [ParamCountBits-1:0] taps_q, phase_end_q;  // T = kh*kw; last PARAM/weight cycle
  logic [3:0] wi_q, wj_q;           // weight grid position of the next weight word captured
  logic [19:0] col_q, ncols_q;      // sweep column, (count-1)*stride + kw columns
  logic [3:0] ri_q;                 // kernel row of the next read
  logic [AW-1:0] col_addr_q, rd_addr_q;  // column start, next read address
  logic [19:0] next_start_q;        // column where the next output's window starts
  logic [15:0] started_q;           // outputs whose window has started
  logic v1_q, v2_q;                 // pipeline: read in flight (1), word captured in opa_q (2)
  logic [3:0] i1_q;                 // kernel row of the word in flight (stage 1)
  logic new1_q, new2_q;             // the word's column starts an output (first row only)
  logic last1_q, last2_q;           // the word is the column's last row
  logic rq_q;                       // requant beats of a finished output (in acc_q)
  // Streaming ADD (one beat per word): reads a and b on alternate cycles
  logic ph_q;                       // 0: read operand a next, 1: operand b
  logic av1_q, bv1_q;               // operand a / b read in flight
  logic wr_q;                       // write of a finished output (res_q)
  // Requant beats in flight: issued RQ cycles ago (valid, beat, whether it is the sliding or
  // streaming path's, which writes after its last beat arrives)
  logic [RQ-1:0] rq_valid_d, rq_stream_d;
  logic [BeatBits*RQ-1:0] rq_beat_d;
  logic [$clog2(RQ+1)-1:0] wait_q;  // S_RQW cycles left

  // Data
  logic [32*MaxElems-1:0] acc_q;          // per element accumulator (REQUANT: the OBUF word)
  // Captured IBUF words, 9 bits per element with the zero point already subtracted (a - zp_a;
  // b - zp_b for ADD) or sign-extended as read (MAXPOOL's a, DWCONV's weights b): the
  // subtraction sits before the capture register, off the multiply-accumulate path.
  logic [9*IBUF_ELEMS-1:0] opa_q, opb_q;
  logic [8*MaxElems-1:0] res_q;           // int8 results of the word
  logic [32*MaxElems-1:0] bias_q, mult_q;
  logic [6*MaxElems-1:0] sh_q;            // clamped shift, 6-bit two's complement

  // Lane results
  logic [32*BuiltLanes-1:0] cmp_res;
  logic [8*BuiltLanes-1:0] req_res;

  // ---------------------------------------------------------------------------------------
  // Control decode
  logic is_req, is_dw, is_max, is_add, taps_op;
  logic start_ok, start_slide;
  logic [ParamCountBits-1:0] w_cur;  // elements of the current word
  logic [BeatBits-1:0] last_beat;
  logic last_tap, last_word, no_taps;
  logic [OpBits-1:0] start_op;

  assign is_req = is_req_q;
  assign is_dw = is_dw_q;
  assign is_max = is_max_q;
  assign is_add = is_add_q;
  // ADD streams when a word is one beat: its requant beat keeps up with two reads per word
  localparam bit StreamAdd = IbufBeats == 1;
  logic stream_add;
  assign stream_add = is_add && StreamAdd;
  assign taps_op = is_dw || is_max || is_avg_q;
  assign w_cur = is_req ? ParamCountBits'(OBUF_ELEMS) : ParamCountBits'(IBUF_ELEMS);
  assign last_beat = is_req ? BeatBits'(ObufBeats - 1) : BeatBits'(IbufBeats - 1);
  assign last_tap = (tj_q + 4'd1 == kw_q) && (ti_q + 4'd1 == kh_q);
  assign last_word = last_word_q;
  assign no_taps = kh_q == 4'd0 || kw_q == 4'd0;
  assign start_op = OpBits'(vop);
  assign start_ok = start && state_q == S_IDLE && count != 16'd0 && vop <= `TANDEM_VOP_LAST;
  // bit k: a kernel side of k fits the sliding window (1 <= k <= DW_KERNEL); a table, as a
  // comparison with DW_KERNEL = 15 would be constant
  localparam logic [15:0] KernelFits = (DW_KERNEL > 0) ? 16'((32'h1 << (K + 1)) - 32'd2) : 16'd0;
  assign start_slide = start_op == OpBits'(`TANDEM_VOP_DWCONV) && KernelFits[kh] && KernelFits[kw] &&
                       stride != 4'd0 && 32'(IbufBeats) <= 32'(kh) * 32'(stride);
  // end of the PARAM phase (and of the weight reads of a sliding DWCONV)
  logic [ParamCountBits-1:0] param_last;
  assign param_last = slide_q ? phase_end_q : w_cur;
  logic last_read, dw_done, last_write, sweep_starts;
  assign sweep_starts = state_q == S_SWEEP && ri_q == 4'd0 && col_q == next_start_q &&
                        started_q != count_q;
  assign last_read = col_q + 20'd1 == ncols_q && ri_q + 4'd1 == kh_q;
  assign last_write = wr_q && last_word_q;
  logic [ParamCountBits-1:0] start_taps;
  assign start_taps = ParamCountBits'(32'(kh) * 32'(kw));

  // Address of the next word's first operand
  logic [AW-1:0] next_base;
  assign next_base = base_q + (taps_op ? out_step_q : AW'(1));

  /* verilator lint_off UNUSEDSIGNAL */  // address bits above the port widths wrap away
  wire unused_address_bits = ^{src, src2, dst, row_pitch, col_step, out_step, param_base};
  /* verilator lint_on UNUSEDSIGNAL */

  // ---------------------------------------------------------------------------------------
  // FSM and counters
  always_ff @(posedge clk) begin
    if (!rst_n) begin
      state_q <= S_IDLE;
      {is_req_q, is_dw_q, is_max_q, is_add_q, is_avg_q} <= 5'b10000;
      count_q <= 16'd0;
      n_q <= 16'd0;
      last_word_q <= 1'b0;
      ti_q <= 4'd0;
      tj_q <= 4'd0;
      beat_q <= '0;
      pk_q <= '0;
      slide_q <= 1'b0;
      av1_q <= 1'b0;
      bv1_q <= 1'b0;
      v1_q <= 1'b0;
      v2_q <= 1'b0;
      rq_q <= 1'b0;
      wr_q <= 1'b0;
      rq_valid_d <= '0;
      rq_stream_d <= '0;
    end else begin
      case (state_q)
        S_IDLE: begin
          if (start_ok) begin
            is_req_q <= start_op == OpBits'(`TANDEM_VOP_REQUANT);
            is_dw_q <= start_op == OpBits'(`TANDEM_VOP_DWCONV);
            is_max_q <= start_op == OpBits'(`TANDEM_VOP_MAXPOOL);
            is_add_q <= start_op == OpBits'(`TANDEM_VOP_ADD);
            is_avg_q <= start_op == OpBits'(`TANDEM_VOP_AVGPOOL);
            count_q <= count;
            kh_q <= kh;
            kw_q <= kw;
            row_pitch_q <= AW'(row_pitch);
            src2_q <= src2[IBUF_AW-1:0];
            col_step_q <= AW'(col_step);
            // DWCONV's windows advance by stride columns; the pools' by out_step words
            out_step_q <= (start_op == OpBits'(`TANDEM_VOP_DWCONV))
                              ? AW'(32'(col_step) * 32'(stride)) : AW'(out_step);
            slide_q <= start_slide;
            stride_q <= stride;
            taps_q <= start_taps;
            phase_end_q <= (start_taps > ParamCountBits'(IBUF_ELEMS)) ? start_taps
                                                                      : ParamCountBits'(IBUF_ELEMS);
            // (no sliding datapath: constant, so synthesis drops the sweep's counters)
            ncols_q <= (DW_KERNEL > 0) ? 20'((32'(count) - 32'd1) * 32'(stride)) + 20'(kw) : 20'd0;
            col_q <= 20'd0;
            ri_q <= 4'd0;
            col_addr_q <= src[AW-1:0];
            rd_addr_q <= src[AW-1:0];
            next_start_q <= 20'd0;
            started_q <= 16'd0;
            ph_q <= 1'b0;
            wi_q <= 4'd0;
            wj_q <= 4'd0;
            param_base_q <= param_base[PARAM_AW-1:0];
            zp_a_q <= zp_a;
            zp_b_q <= zp_b;
            zp_out_q <= zp_out;
            lo_q <= clamp_lo;
            hi_q <= clamp_hi;
            m_a_q <= m_a;
            m_b_q <= m_b;
            n_q <= 16'd0;
            last_word_q <= count == 16'd1;
            ti_q <= 4'd0;
            tj_q <= 4'd0;
            beat_q <= '0;
            pk_q <= '0;
            base_q <= src[AW-1:0];
            row_q <= src[AW-1:0];
            tap_q <= src[AW-1:0];
            b_addr_q <= src2[IBUF_AW-1:0];
            dst_q <= dst[AW-1:0];
            to_obuf_q <= to_obuf;
            if (start_op != OpBits'(`TANDEM_VOP_MAXPOOL)) state_q <= S_PARAM;
            else if (kh == 4'd0 || kw == 4'd0) state_q <= S_REQ;
            else state_q <= S_RD0;
          end
        end
        S_PARAM: begin
          pk_q <= pk_q + 1'b1;
          if (pk_q == param_last)
            state_q <= slide_q ? S_SWEEP : stream_add ? S_ADDS : (taps_op && no_taps) ? S_REQ : S_RD0;
          if (slide_q && pk_q < taps_q) b_addr_q <= b_addr_q + IBUF_AW'(1);  // weight reads
          if (slide_q && pk_q != '0 && pk_q <= taps_q) begin  // weight captured: next position
            if (wj_q + 4'd1 == kw_q) begin
              wj_q <= 4'd0;
              wi_q <= wi_q + 4'd1;
            end else begin
              wj_q <= wj_q + 4'd1;
            end
          end
        end
        S_SWEEP: if (DW_KERNEL > 0) begin  // read (column col_q, kernel row ri_q); next output?
          if (sweep_starts) begin
            next_start_q <= next_start_q + 20'(stride_q);
            started_q <= started_q + 16'd1;
          end
          if (ri_q + 4'd1 == kh_q) begin
            ri_q <= 4'd0;
            col_q <= col_q + 20'd1;
            col_addr_q <= col_addr_q + col_step_q;
            rd_addr_q <= col_addr_q + col_step_q;
          end else begin
            ri_q <= ri_q + 4'd1;
            rd_addr_q <= rd_addr_q + row_pitch_q;
          end
          if (last_read) state_q <= S_DRAIN;
        end
        S_ADDS: begin  // a of word started_q, then its b
          ph_q <= ~ph_q;
          if (ph_q) begin
            started_q <= started_q + 16'd1;
            tap_q <= tap_q + AW'(1);
            b_addr_q <= b_addr_q + IBUF_AW'(1);
            if (started_q + 16'd1 == count_q) state_q <= S_DRAIN;
          end
        end
        S_DRAIN: if (last_write) state_q <= S_IDLE;
        S_RD0: state_q <= S_RD1;
        S_RD1: state_q <= (is_dw || is_add) ? S_RD2 : (is_req ? S_REQ : S_CMP);
        S_RD2: state_q <= is_add ? S_REQ : S_CMP;
        S_CMP: begin
          beat_q <= beat_q + 1'b1;
          if (beat_q == last_beat) begin
            beat_q <= '0;
            b_addr_q <= b_addr_q + IBUF_AW'(1);
            if (tj_q + 4'd1 != kw_q) begin
              tj_q <= tj_q + 4'd1;
              tap_q <= tap_q + col_step_q;
            end else begin
              tj_q <= 4'd0;
              ti_q <= ti_q + 4'd1;
              row_q <= row_q + row_pitch_q;
              tap_q <= row_q + row_pitch_q;
            end
            state_q <= last_tap ? S_REQ : S_RD0;
          end
        end
        S_REQ: begin
          beat_q <= beat_q + 1'b1;
          if (beat_q == last_beat) begin
            beat_q <= '0;
            state_q <= S_RQW;
            wait_q <= ($clog2(RQ+1))'(RQ - 1);
          end
        end
        S_RQW: begin
          wait_q <= wait_q - 1'b1;
          if (wait_q == '0) state_q <= S_WR;
        end
        default: begin  // S_WR
          if (last_word) begin
            state_q <= S_IDLE;
          end else begin
            n_q <= n_q + 16'd1;
            last_word_q <= n_q + 16'd2 == count_q;
            ti_q <= 4'd0;
            tj_q <= 4'd0;
            base_q <= next_base;
            row_q <= next_base;
            tap_q <= next_base;
            b_addr_q <= is_add ? b_addr_q + IBUF_AW'(1) : src2_q;
            dst_q <= dst_q + AW'(1);
            state_q <= (taps_op && no_taps) ? S_REQ : S_RD0;
          end
        end
      endcase
      // Sliding DWCONV: the read pipeline, the requantizer beats and the writes
      v1_q <= state_q == S_SWEEP;
      i1_q <= ri_q;
      new1_q <= sweep_starts;
      last1_q <= ri_q + 4'd1 == kh_q;
      v2_q <= v1_q;
      new2_q <= new1_q;
      last2_q <= last1_q;
      rq_valid_d <= {rq_valid_d[RQ-2:0], state_q == S_REQ || rq_q};
      rq_stream_d <= {rq_stream_d[RQ-2:0], rq_q};
      rq_beat_d <= {rq_beat_d[BeatBits*(RQ-1)-1:0], beat_q};
      wr_q <= rq_stream_d[RQ-1] && rq_beat_d[BeatBits*(RQ-1) +: BeatBits] == last_beat;
      av1_q <= state_q == S_ADDS && !ph_q;
      bv1_q <= state_q == S_ADDS && ph_q;
      if (dw_done || bv1_q) begin  // an output finished, or a word's operands captured
        rq_q <= 1'b1;
        beat_q <= '0;
      end else if (rq_q) begin
        beat_q <= (beat_q == last_beat) ? '0 : beat_q + 1'b1;
        if (beat_q == last_beat) rq_q <= 1'b0;
      end
      if (wr_q) begin
        n_q <= n_q + 16'd1;
        last_word_q <= n_q + 16'd2 == count_q;
        dst_q <= dst_q + AW'(1);
      end
    end
  end

  // An IBUF word's int8 elements as 9-bit values, less `zp` when `subtract`.
  function automatic logic [9*IBUF_ELEMS-1:0] offset_word(input logic [8*IBUF_ELEMS-1:0] word,
                                                         input logic [7:0] zp, input logic subtract);
    for (int e = 0; e < IBUF_ELEMS; e++) begin
      offset_word[9*e +: 9] = {word[8*e+7], word[8*e +: 8]} - (subtract ? {zp[7], zp} : 9'd0);
    end
  endfunction

  // Start of a word's accumulation: from PARAM, from IDLE (MAXPOOL) or after a write
  logic acc_init;
  logic [31:0] acc_init_val;
  assign acc_init = (state_q == S_PARAM && pk_q == w_cur) ||
                    (state_q == S_IDLE && start_ok && start_op == OpBits'(`TANDEM_VOP_MAXPOOL)) ||
                    (state_q == S_WR && !last_word);
  // MAXPOOL starts from the int8 minimum; at IDLE the op registers are stale, so use the
  // starting op
  assign acc_init_val = ((state_q == S_IDLE) || is_max) ? 32'hffff_ff80 : 32'd0;

  // ---------------------------------------------------------------------------------------
  // Data registers, element e is handled by lane e % LANES in beat e / LANES
  logic [31:0] shift_in;
  logic [5:0] shift_clamped;
  assign shift_in = param_rdata[95:64];
  assign shift_clamped = ($signed(shift_in) > 32'sd30) ? 6'd30 :
                         ($signed(shift_in) < -32'sd31) ? 6'b100001 : shift_in[5:0];

  always_ff @(posedge clk) begin
    for (int e = 0; e < MaxElems; e++) begin
      if (acc_init) acc_q[32*e +: 32] <= acc_init_val;
      // REQUANT takes the OBUF word (the index is clamped: no out-of-range select)
      else if (state_q == S_RD1 && is_req && e < OBUF_ELEMS)
        acc_q[32*e +: 32] <= obuf_rdata[32*((e < OBUF_ELEMS) ? e : 0) +: 32];
      else if (state_q == S_CMP && beat_q == BeatBits'(e / LANES))
        acc_q[32*e +: 32] <= cmp_res[32*(e % LANES) +: 32];
      // a sliding DWCONV's finished output (the index is clamped: no out-of-range select)
      else if (dw_done && e < IBUF_ELEMS)
        acc_q[32*e +: 32] <= dw_fin[32*((e < IBUF_ELEMS) ? e : 0) +: 32];
      if (rq_valid_d[RQ-1] && rq_beat_d[BeatBits*(RQ-1) +: BeatBits] == BeatBits'(e / LANES))
        res_q[8*e +: 8] <= req_res[8*(e % LANES) +: 8];
      if (state_q == S_PARAM && pk_q == ParamCountBits'(e + 1)) begin
        bias_q[32*e +: 32] <= param_rdata[31:0];
        mult_q[32*e +: 32] <= param_rdata[63:32];
        sh_q[6*e +: 6] <= shift_clamped;
      end
    end
    if (state_q == S_RD1 || v1_q || av1_q) opa_q <= offset_word(ibuf_rdata, zp_a_q, !is_max);
    if (state_q == S_RD2 || bv1_q) opb_q <= offset_word(ibuf_rdata, zp_b_q, is_add);
  end

  // ---------------------------------------------------------------------------------------
  // Sliding-window DWCONV datapath: the weight grid and K slots of IBUF_ELEMS accumulators.
  // The word in opa_q (stage 2) goes into every live slot with the weight of the
  // slot's column; an output starting at this column takes the next slot of the ring.
  logic [32*IBUF_ELEMS-1:0] dw_fin;       // the output finished this cycle (dw_done, stage 3)
  logic [$clog2(K+1)-1:0] dw_live;        // slots that take the word this cycle
  if (DW_KERNEL > 0) begin : g_dw
    localparam int WordBits = 8 * IBUF_ELEMS;
    localparam int SlotBits = (K > 1) ? $clog2(K) : 1;
    logic [WordBits*K*K-1:0] weights_q;  // weight word (i, j) at index i*K + j
    logic [WordBits*K-1:0] row_w;        // the weights of the stage-2 word's kernel row
    logic [9*IBUF_ELEMS-1:0] da;         // x - zp_a per element
    logic [SlotBits-1:0] next_slot_q;

    always_ff @(posedge clk) begin
      if (state_q == S_PARAM && slide_q && pk_q != '0 && pk_q <= taps_q) begin
        for (int t = 0; t < K * K; t++) begin
          if (wi_q == 4'(t / K) && wj_q == 4'(t % K)) weights_q[WordBits*t +: WordBits] <= ibuf_rdata;
        end
      end
      if (!rst_n || state_q == S_IDLE) next_slot_q <= '0;
      else if (v2_q && new2_q) next_slot_q <= (next_slot_q == SlotBits'(K - 1)) ? '0 : next_slot_q + 1'b1;
    end
    // The weights of kernel row i1_q, registered: the row of the word that is in stage 2 next
    // cycle, selected a cycle early and off the multiply-accumulate path.
    always_ff @(posedge clk) begin
      for (int t = 0; t < K * K; t++) begin
        if (i1_q == 4'(t / K)) row_w[WordBits*(t%K) +: WordBits] <= weights_q[WordBits*t +: WordBits];
      end
    end
    for (genvar e = 0; e < IBUF_ELEMS; e++) begin : g_da
      assign da[9*e +: 9] = opa_q[9*e +: 9];  // x - zp_a, subtracted at the capture
    end

    // Per slot, stage 2 decides (take, new output, column j, done) and multiplies the word by
    // the column's weights; stage 3 accumulates the products of the word stage 2 had the cycle
    // before. A slot that finishes in stage 3 can be taken by a new output in stage 2 in the
    // same cycle: the new output's first accumulation starts from zero.
    for (genvar p = 0; p < K; p++) begin : g_slot
      logic active_q;
      logic [3:0] j_q, j;
      logic [17*IBUF_ELEMS-1:0] prod_q;
      logic take3_q, new3_q, done3_q;  // stage 3: last cycle's take, is_new and done
      logic [32*IBUF_ELEMS-1:0] sacc_q, sum, fin;
      logic [WordBits-1:0] w;
      logic is_new, take, done;
      logic [$clog2(K+1)-1:0] live;
      assign is_new = v2_q && new2_q && next_slot_q == SlotBits'(p);
      assign take = v2_q && (active_q || is_new);
      assign j = is_new ? 4'd0 : j_q;  // the slot's kernel column at this sweep column
      assign done = take && last2_q && j + 4'd1 == kw_q;
      always_comb begin
        w = '0;
        for (int k = 0; k < K; k++) begin
          if (j == 4'(k)) w = row_w[WordBits*k +: WordBits];
        end
      end
      always_ff @(posedge clk) begin
        for (int e = 0; e < IBUF_ELEMS; e++) begin
          if (take) prod_q[17*e +: 17] <= 17'($signed(da[9*e +: 9]) * $signed(w[8*e +: 8]));
        end
      end
      for (genvar e = 0; e < IBUF_ELEMS; e++) begin : g_acc
        wire [16:0] prod = prod_q[17*e +: 17];
        assign sum[32*e +: 32] = (new3_q ? 32'd0 : sacc_q[32*e +: 32]) + {{15{prod[16]}}, prod};
      end
      always_ff @(posedge clk) begin
        if (!rst_n) begin
          active_q <= 1'b0;
          take3_q <= 1'b0;
          done3_q <= 1'b0;
        end else begin
          take3_q <= take;
          new3_q <= is_new;
          done3_q <= done;
          if (take) begin
            active_q <= !done;
            j_q <= last2_q ? j + 4'd1 : j;
          end
        end
        if (take3_q) sacc_q <= sum;
      end
      // chains over the slots: the finished sum (one slot at most) and the live count
      if (p == 0) begin : g_first
        assign fin = done3_q ? sum : '0;
        assign live = ($clog2(K+1))'(take);
      end else begin : g_next
        assign fin = g_slot[p-1].fin | (done3_q ? sum : '0);
        assign live = g_slot[p-1].live + ($clog2(K+1))'(take);
      end
    end
    assign dw_fin = g_slot[K-1].fin;
    assign dw_live = g_slot[K-1].live;
    logic [K-1:0] slot_done;
    for (genvar p = 0; p < K; p++) begin : g_done
      assign slot_done[p] = g_slot[p].done3_q;
    end
    assign dw_done = |slot_done;
  end else begin : g_no_dw
    /* verilator lint_off UNUSEDSIGNAL */  // the sliding pipeline's stage 2 drives nothing
    wire unused_stage2 = ^{v2_q, i1_q, new2_q, last2_q};
    /* verilator lint_on UNUSEDSIGNAL */
    assign dw_fin = '0;
    assign dw_live = '0;
    assign dw_done = 1'b0;
  end

  // ---------------------------------------------------------------------------------------
  // Lanes
  for (genvar l = 0; l < BuiltLanes; l++) begin : g_lane
    // the beat's operands as captured (offset_word): a - zp_a (MAXPOOL: a), b - zp_b (DWCONV:
    // the weight b)
    logic [8:0] da, db;
    logic [31:0] acc;
    logic [31:0] bias_s1, mult_s2;  // the requantizer's parameters, aligned with its stages
    logic [5:0] sh_s1, sh_s3;
    logic [24:0] da_prod, add_b;
    logic [16:0] tap_term;
    logic [7:0] max8;
    logic [25:0] add_sum;
    logic [31:0] pre;
    logic [31:0] cr;  // compute-beat result
    logic [7:0] rr;   // requant-beat result

    // Operand select: element beat * LANES + l
    always_comb begin
      da = 9'd0;
      db = 9'd0;
      acc = 32'd0;
      for (int k = 0; k < MaxBeats; k++) begin
        if (beat_q == BeatBits'(k)) begin
          if (k * LANES + l < IBUF_ELEMS) begin
            da = opa_q[9*(k*LANES+l) +: 9];
            db = opb_q[9*(k*LANES+l) +: 9];
          end
          if (k * LANES + l < MaxElems) acc = acc_q[32*(k*LANES+l) +: 32];
        end
      end
    end

    // The requantizer's parameters for the value in each of its stages (tandem_requant):
    // element e's, where e is the lane's element of that value's beat. One beat per word: the
    // lane's element's registers, still during the instruction. Several: selected by the beat
    // one stage ahead and registered (bias and the left shift with stage 1, mult with stage
    // RqMultStage, the right shift with the next); rq_beat_d[k] is the beat issued k + 1 cycles
    // ago.
    if (MaxBeats == 1) begin : g_one_beat
      assign bias_s1 = bias_q[32*l +: 32];
      assign sh_s1 = sh_q[6*l +: 6];
      assign mult_s2 = mult_q[32*l +: 32];
      assign sh_s3 = sh_q[6*l +: 6];
    end else begin : g_beats
      always_ff @(posedge clk) begin
        for (int k = 0; k < MaxBeats; k++) begin
          if (k * LANES + l < MaxElems) begin
            if (beat_q == BeatBits'(k)) begin
              bias_s1 <= bias_q[32*(k*LANES+l) +: 32];
              sh_s1 <= sh_q[6*(k*LANES+l) +: 6];
            end
            if (rq_beat_d[BeatBits*(RqMultStage-2) +: BeatBits] == BeatBits'(k))
              mult_s2 <= mult_q[32*(k*LANES+l) +: 32];
            if (rq_beat_d[BeatBits*(RqMultStage-1) +: BeatBits] == BeatBits'(k))
              sh_s3 <= sh_q[6*(k*LANES+l) +: 6];
          end
        end
      end
    end

    // DWCONV's da * db and ADD's da * m_a never happen in the same op: one multiplier (one DSP).
    // AVGPOOL's tap is da itself: da * 1, so that no select sits between the multiplier and the
    // accumulating adder (the FPGA's critical path through the DSP block).
    assign da_prod = 25'($signed(da) * $signed(is_dw ? {{7{db[8]}}, db} : (is_add ? m_a_q : 16'd1)));
    assign add_b = 25'($signed(db) * $signed(m_b_q));
    // compute beat: one tap of DWCONV or AVGPOOL (one adder), or of MAXPOOL, whose accumulator
    // always holds a sign-extended int8 (it starts at -128 and takes int8 maxima)
    assign tap_term = 17'(da_prod);
    assign max8 = ($signed(da[7:0]) > $signed(acc[7:0])) ? da[7:0] : acc[7:0];
    assign cr = is_max ? {{24{max8[7]}}, max8} : acc + {{15{tap_term[16]}}, tap_term};
    // requant beat: ADD requantizes da * m_a + db * m_b, MAXPOOL only clamps
    assign add_sum = {da_prod[24], da_prod} + {add_b[24], add_b};
    assign pre = is_add ? {{6{add_sum[25]}}, add_sum} : acc;
    tandem_requant #(.SPLIT_PRODUCT(SPLIT_PRODUCT), .LATENCY(RQ)) requant (
        .clk(clk), .clamp_only(is_max), .x(pre), .bias(bias_s1), .sh_stage1(sh_s1), .mult(mult_s2),
        .sh_stage3(sh_s3), .zp_out(zp_out_q), .clamp_lo(lo_q), .clamp_hi(hi_q), .out(rr)
    );
    assign cmp_res[32*l +: 32] = cr;
    assign req_res[8*l +: 8] = rr;
  end

  // ---------------------------------------------------------------------------------------
  // Ports
  assign busy = state_q != S_IDLE;
  assign ibuf_re = (state_q == S_RD0 && !is_req) || (state_q == S_RD1 && (is_dw || is_add)) ||
                   (state_q == S_PARAM && slide_q && pk_q < taps_q) || state_q == S_SWEEP ||
                   state_q == S_ADDS;
  assign ibuf_raddr = (state_q == S_RD0 || (state_q == S_ADDS && !ph_q)) ? tap_q[IBUF_AW-1:0] :
                      (state_q == S_SWEEP) ? rd_addr_q[IBUF_AW-1:0] : b_addr_q;
  assign obuf_re = state_q == S_RD0 && is_req;
  assign obuf_raddr = tap_q[OBUF_AW-1:0];
  // A result word of DWCONV, the pools or ADD goes to IBUF, or with to_obuf to OBUF: element e
  // sign-extended, elements past IBUF_ELEMS zero. REQUANT writes OBUF in place.
  wire result_we = (state_q == S_WR && !is_req) || wr_q;
  assign ibuf_we = result_we && !to_obuf_q;
  assign ibuf_waddr = dst_q[IBUF_AW-1:0];
  assign ibuf_wdata = res_q[8*IBUF_ELEMS-1:0];
  assign obuf_we = (state_q == S_WR && is_req) || (result_we && to_obuf_q);
  assign obuf_waddr = is_req ? base_q[OBUF_AW-1:0] : dst_q[OBUF_AW-1:0];
  for (genvar e = 0; e < OBUF_ELEMS; e++) begin : g_obuf_wdata
    wire valid = is_req || e < IBUF_ELEMS;
    assign obuf_wdata[32*e +: 32] = valid ? {{24{res_q[8*e+7]}}, res_q[8*e +: 8]} : 32'd0;
  end
  assign param_re = state_q == S_PARAM && pk_q < w_cur;
  assign param_raddr = param_base_q + PARAM_AW'(pk_q);
  // valid elements of the beat: min(LANES, W - beat * LANES)
  // (sliding DWCONV: IBUF_ELEMS per live slot in the MAC stage, plus the requant beat)
  always_ff @(posedge clk) begin
    if (!rst_n) lane_ops <= '0;
    else lane_ops <= ((state_q == S_CMP || state_q == S_REQ)
                          ? (is_req ? beat_elems(OBUF_ELEMS, beat_q) : beat_elems(IBUF_ELEMS, beat_q))
                          : LaneOpsBits'(0)) +
                     (rq_q ? beat_elems(IBUF_ELEMS, beat_q) : LaneOpsBits'(0)) +
                     LaneOpsBits'(32'(dw_live) * IBUF_ELEMS);
  end

endmodule
