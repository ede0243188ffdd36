// tandem_requant: one lane of requantization, the arithmetic of core/quant_math.h (TFLite
// MultiplyByQuantizedMultiplier, docs/isa.md "requant"):
//   out = clamp(zp_out + RDBPOT(SRDHM(sat32((x + bias) << max(sh,0)), mult), max(-sh,0)))
//   - sh is the PARAM shift already clamped to [-31, 30] (6-bit two's complement);
//   - x + bias and zp_out + result wrap (int32, two's complement); the left shift saturates;
//   - clamp(v) = min(max(v, clamp_lo), clamp_hi) (clamp_lo > clamp_hi gives clamp_hi);
//   - clamp_only: out = clamp(x) (MAXPOOL), no arithmetic.
// A pipeline of LATENCY registers (the configuration's array.requant_latency, 5..8), one value
// per cycle. 5 stages meet 100 MHz on sky130 HD cells (docs/handoff.md "ASIC timing"):
//   1. the input x;
//   2. sat32((x + bias) << ls);
//   3. the two halves of the 32x32 product, (x' * mult[31:16]) and (x' * mult[15:0]), or with
//      SPLIT_PRODUCT = 0 the whole product (fewer LUTs on an FPGA, whose DSP blocks build it;
//      too slow for 100 MHz on sky130 cells);
//   4. their sum, rounded to the high word (SRDHM), and the right shift rs;
//   5. the rounding right shift, zero point and clamp: `out`.
// Slower logic (an FPGA's LUTs) takes more stages; each splits the longest stage left, in
// this order:
//   LATENCY >= 6: stage 5 becomes the rounding right shift (5a), then zero point and clamp;
//   LATENCY >= 7: zero point and clamp become the zero point with saturation to int8 (5b),
//                 then the clamp;
//   LATENCY >= 8: stage 4 becomes the sum of the halves (4a), then its rounding to the high word.
// The stages added come after stage 3, so the parameter timing below is the same for every
// LATENCY. `out` follows `x` by LATENCY cycles. Each parameter input is the parameter of
// the value in the stage that uses it: bias and sh_stage1 of the value in stage 1 (the x of the
// previous cycle), mult of the value in stage 2, sh_stage3 of the value in stage 3. A caller
// whose parameters hold still while values are in flight (the array's lanes) connects the same
// registers to all; the vector unit's lanes, whose parameters change from beat to beat, select
// each from the beat that value belongs to (no parameter copies travel down the pipeline).
// zp_out, clamp_lo, clamp_hi and clamp_only must hold still while a value is in flight.
`include "tandem_isa.vh"

module tandem_requant #(
    parameter bit SPLIT_PRODUCT = 1,
    parameter int LATENCY = 5
) (
    input  logic        clk,
    input  logic        clamp_only,
    input  logic [31:0] x,
    input  logic [31:0] bias,       // of the value in stage 1
    input  logic [ 5:0] sh_stage1,  // of the value in stage 1
    input  logic [31:0] mult,       // of the value in stage 2
    input  logic [ 5:0] sh_stage3,  // of the value in stage 3
    input  logic [ 7:0] zp_out,
    input  logic [ 7:0] clamp_lo,
    input  logic [ 7:0] clamp_hi,
    output logic [ 7:0] out
);
  // saturating_left_shift(s, ls), ls in [0, 30]: s << ls overflows iff one of the ls bits below
  // the sign bit (bits 30 .. 31-ls) differs from it.
  function automatic logic [31:0] sat_shl(input logic [31:0] s, input logic [4:0] ls);
    logic [30:0] shifted_out;  // bits 30 .. 31-ls
    begin
      shifted_out = 31'(~(32'hffff_ffff >> ls) >> 1);
      if ((shifted_out & (s[30:0] ^ {31{s[31]}})) != 31'd0)
        sat_shl = s[31] ? 32'h8000_0000 : 32'h7fff_ffff;
      else
        sat_shl = s << ls;
    end
  endfunction

  // rounding_divide_by_pot(q, rs), rs in [0, 31]: floor(q / 2^rs) plus one when the remainder
  // q[rs-1:0] exceeds the threshold 2^(rs-1) - 1 + (q < 0), i.e. when bit rs-1 is set and, for
  // negative q, also a bit below it.
  function automatic logic [31:0] rdbpot(input logic [31:0] q, input logic [4:0] rs);
    logic [4:0] half_bit;
    logic below;
    logic round_up;
    begin
      half_bit = rs - 5'd1;
      below = (q & ~(32'hffff_ffff << half_bit)) != 32'd0;
      round_up = rs != 5'd0 && q[half_bit] && (!q[31] || below);
      rdbpot = 32'($signed(q) >>> rs) + {31'd0, round_up};
    end
  endfunction

  // clamp of an int32 into [lo, hi] (int8): saturating v to int8 first gives the same result
  // with 8-bit comparisons.
  function automatic logic [7:0] clamp8(input logic [31:0] v, input logic [7:0] lo,
                                        input logic [7:0] hi);
    logic [7:0] o;
    begin
      if (v[31:7] == {25{v[7]}}) o = v[7:0];
      else o = v[31] ? 8'h80 : 8'h7f;
      if ($signed(o) < $signed(lo)) o = lo;
      if ($signed(o) > $signed(hi)) o = hi;
      clamp8 = o;
    end
  endfunction

  // Stage 1: the input.
  logic [31:0] x1;
  always_ff @(posedge clk) x1 <= x;

  // Stage 2: the saturating left shift of x + bias by ls (sh >= 0: 0..30).
  wire [4:0] ls1 = sh_stage1[5] ? 5'd0 : sh_stage1[4:0];
  logic [31:0] shifted2;
  logic [7:0] clamped2, clamped3;  // clamp_only's result, clamp(x), carried to the end
  always_ff @(posedge clk) begin
    shifted2 <= sat_shl(x1 + bias, ls1);
    clamped2 <= clamp8(x1, clamp_lo, clamp_hi);
  end

  // Stage 3: the product, in two halves shifted2 * mult = hi * 2^16 + lo (mult's low half
  // unsigned) or, with SPLIT_PRODUCT = 0, whole; and SRDHM's one overflow case.
  wire [31:0] mult2 = mult;
  logic overflow3;
  /* verilator lint_off UNUSEDSIGNAL */  // below bit 30 only carries matter
  logic [63:0] product3;
  /* verilator lint_on UNUSEDSIGNAL */
  always_ff @(posedge clk) begin
    overflow3 <= shifted2 == 32'h8000_0000 && mult2 == 32'h8000_0000;
    clamped3 <= clamped2;
  end
  if (SPLIT_PRODUCT) begin : g_split
    logic signed [47:0] hi3;
    logic signed [48:0] lo3;
    always_ff @(posedge clk) begin
      hi3 <= 48'($signed(shifted2) * $signed(mult2[31:16]));
      lo3 <= 49'($signed(shifted2) * $signed({1'b0, mult2[15:0]}));
    end
    assign product3 = {hi3, 16'd0} + {{15{lo3[48]}}, lo3};
  end else begin : g_whole
    always_ff @(posedge clk) product3 <= 64'($signed(shifted2) * $signed(mult2));
  end

  // Stage 4: SRDHM: (x*m + 2^30) / 2^31 rounded down, i.e. p[62:31] + p[30]; and the right
  // shift rs (sh < 0: 0..31), registered here, off stage 5's path. With LATENCY >= 8 the sum
  // of the halves gets its own register first (4a).
  logic [31:0] high4;
  logic [4:0] rs4;
  logic [7:0] clamped4;
  if (LATENCY >= 8) begin : g_sum_stage
    logic overflow4a;
    logic [4:0] rs4a;
    logic [7:0] clamped4a;
    logic [32:0] product4a;  // p[63:30]: the high word and the rounding bit
    always_ff @(posedge clk) begin
      product4a <= product3[62:30];
      overflow4a <= overflow3;
      rs4a <= sh_stage3[5] ? 5'd0 - sh_stage3[4:0] : 5'd0;
      clamped4a <= clamped3;
      high4 <= overflow4a ? 32'h7fff_ffff : product4a[32:1] + {31'd0, product4a[0]};
      rs4 <= rs4a;
      clamped4 <= clamped4a;
    end
  end else begin : g_sum_in_round
    always_ff @(posedge clk) begin
      high4 <= overflow3 ? 32'h7fff_ffff : product3[62:31] + {31'd0, product3[30]};
      rs4 <= sh_stage3[5] ? 5'd0 - sh_stage3[4:0] : 5'd0;
      clamped4 <= clamped3;
    end
  end

  // Stage 5: rounding right shift by rs4, zero point, clamp; with LATENCY >= 6 the shift (5a)
  // and with LATENCY >= 7 the zero point (5b) get their own registers.
  wire [31:0] zp32 = {{24{zp_out[7]}}, zp_out};
  if (LATENCY >= 7) begin : g_three_stages
    logic [31:0] shifted5a;
    logic [7:0] clamped5a, clamped5b, saturated5b;
    always_ff @(posedge clk) begin
      shifted5a <= rdbpot(high4, rs4);
      clamped5a <= clamped4;
      saturated5b <= clamp8(zp32 + shifted5a, 8'h80, 8'h7f);
      clamped5b <= clamped5a;
      out <= clamp_only ? clamped5b : clamp8({{24{saturated5b[7]}}, saturated5b}, clamp_lo, clamp_hi);
    end
  end else if (LATENCY == 6) begin : g_two_stages
    logic [31:0] shifted5a;
    logic [7:0] clamped5a;
    always_ff @(posedge clk) begin
      shifted5a <= rdbpot(high4, rs4);
      clamped5a <= clamped4;
      out <= clamp_only ? clamped5a : clamp8(zp32 + shifted5a, clamp_lo, clamp_hi);
    end
  end else begin : g_one_stage
    always_ff @(posedge clk) begin
      out <= clamp_only ? clamped4 : clamp8(zp32 + rdbpot(high4, rs4), clamp_lo, clamp_hi);
    end
  end
endmodule
