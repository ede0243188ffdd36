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
//   LATENCY >= 6: stage 5 becomes the right shift and its rounding bit (5a), then the zero
//                 point (with the rounding bit as carry) and clamp;
//   LATENCY >= 7: zero point and clamp become the zero point with saturation to int8 (5b),
//                 then the clamp;
//   LATENCY >= 8: stage 2 becomes x + bias (2a), then the saturating left shift: the product
//                 and everything after it come one stage later.
// `out` follows `x` by LATENCY cycles. Each parameter input is the parameter of the value in
// the stage that uses it: bias and sh_stage1 of the value in stage 1 (the x of the previous
// cycle); mult of the value in stage 2 and sh_stage3 of the value in stage 3, or with
// LATENCY >= 8 in stages 3 and 4. A caller whose parameters hold still while
// values are in flight (the array's lanes) connects the same registers to all; the vector
// unit's lanes, whose parameters change from beat to beat, select each from the beat that
// value belongs to (no parameter copies travel down the pipeline).
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
  function automatic logic round_up(input logic [31:0] q, input logic [4:0] rs);
    logic [4:0] half_bit;
    logic below;
    begin
      half_bit = rs - 5'd1;
      below = (q & ~(32'hffff_ffff << half_bit)) != 32'd0;
      round_up = rs != 5'd0 && q[half_bit] && (!q[31] || below);
    end
  endfunction
  function automatic logic [31:0] rdbpot(input logic [31:0] q, input logic [4:0] rs);
    rdbpot = 32'($signed(q) >>> rs) + {31'd0, round_up(q, rs)};
  endfunction

  // Saturation of an int32 to int8: v fits iff bits 31..7 are all ones or all zeros (two
  // reductions, a shallow tree of LUTs rather than a chain of comparisons).
  function automatic logic [7:0] sat8(input logic [31:0] v);
    sat8 = (&v[31:7] || ~|v[31:7]) ? v[7:0] : (v[31] ? 8'h80 : 8'h7f);
  endfunction

  // clamp of an int8 into [lo, hi] (lo > hi gives hi).
  function automatic logic [7:0] clamp_to(input logic [7:0] v, input logic [7:0] lo,
                                          input logic [7:0] hi);
    logic [7:0] o;
    begin
      o = v;
      if ($signed(o) < $signed(lo)) o = lo;
      if ($signed(o) > $signed(hi)) o = hi;
      clamp_to = o;
    end
  endfunction

  // clamp of an int32 into [lo, hi] (int8): saturating v to int8 first gives the same result
  // with 8-bit comparisons.
  function automatic logic [7:0] clamp8(input logic [31:0] v, input logic [7:0] lo,
                                        input logic [7:0] hi);
    clamp8 = clamp_to(sat8(v), lo, hi);
  endfunction

  // Stage 1: the input.
  logic [31:0] x1;
  always_ff @(posedge clk) x1 <= x;

  // Stage 2: the saturating left shift of x + bias by ls (sh >= 0: 0..30); with LATENCY >= 8
  // x + bias and the shift amount get their own register first (2a).
  wire [4:0] ls1 = sh_stage1[5] ? 5'd0 : sh_stage1[4:0];
  logic [31:0] shifted2;
  logic [7:0] saturated2, clamped3;  // clamp_only's result: x saturated, then clamped; carried to the end
  if (LATENCY >= 8) begin : g_add_stage
    logic [31:0] sum2a;
    logic [4:0] ls2a;
    logic [7:0] saturated2a;
    always_ff @(posedge clk) begin
      sum2a <= x1 + bias;
      ls2a <= ls1;
      saturated2a <= sat8(x1);
      shifted2 <= sat_shl(sum2a, ls2a);
      saturated2 <= saturated2a;
    end
  end else begin : g_add_in_shift
    always_ff @(posedge clk) begin
      shifted2 <= sat_shl(x1 + bias, ls1);
      saturated2 <= sat8(x1);  // clamped in stage 3: two short paths instead of one long one
    end
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
    clamped3 <= clamp_to(saturated2, clamp_lo, clamp_hi);
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
  // shift rs (sh < 0: 0..31), registered here, off stage 5's path.
  logic [31:0] high4;
  logic [4:0] rs4;
  logic [7:0] clamped4;
  always_ff @(posedge clk) begin
    high4 <= overflow3 ? 32'h7fff_ffff : product3[62:31] + {31'd0, product3[30]};
    rs4 <= sh_stage3[5] ? 5'd0 - sh_stage3[4:0] : 5'd0;
    clamped4 <= clamped3;
  end

  // Stage 5: rounding right shift by rs4, zero point, clamp. With LATENCY >= 6 the shift and
  // its rounding bit get their own register (5a); the rounding bit then enters the zero point's
  // adder as its carry (zp + (q >>> rs) + round, all wrapping: the same sum). With
  // LATENCY >= 7 the zero point with saturation to int8 gets its own register too (5b).
  wire [31:0] zp32 = {{24{zp_out[7]}}, zp_out};
  if (LATENCY >= 6) begin : g_shift_stage
    logic [31:0] shifted5a;
    logic round5a;
    logic [7:0] clamped5a;
    always_ff @(posedge clk) begin
      shifted5a <= 32'($signed(high4) >>> rs4);
      round5a <= round_up(high4, rs4);
      clamped5a <= clamped4;
    end
    wire [31:0] zp_sum = zp32 + shifted5a + {31'd0, round5a};
    if (LATENCY >= 7) begin : g_zero_point_stage
      logic [7:0] clamped5b, saturated5b;
      always_ff @(posedge clk) begin
        saturated5b <= sat8(zp_sum);
        clamped5b <= clamped5a;
        out <= clamp_only ? clamped5b : clamp_to(saturated5b, clamp_lo, clamp_hi);
      end
    end else begin : g_clamp_with_zero_point
      always_ff @(posedge clk) out <= clamp_only ? clamped5a : clamp8(zp_sum, clamp_lo, clamp_hi);
    end
  end else begin : g_one_stage
    always_ff @(posedge clk) begin
      out <= clamp_only ? clamped4 : clamp8(zp32 + rdbpot(high4, rs4), clamp_lo, clamp_hi);
    end
  end
endmodule
