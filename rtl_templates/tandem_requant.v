// tandem_requant: one lane of requantization, the arithmetic of core/quant_math.h (TFLite
// MultiplyByQuantizedMultiplier, docs/isa.md "requant"):
//   out = clamp(zp_out + RDBPOT(SRDHM(sat32((x + bias) << max(sh,0)), mult), max(-sh,0)))
//   - sh is the PARAM shift already clamped to [-31, 30] (6-bit two's complement);
//   - x + bias and zp_out + result wrap (int32, two's complement); the left shift saturates;
//   - clamp(v) = min(max(v, clamp_lo), clamp_hi) (clamp_lo > clamp_hi gives clamp_hi);
//   - clamp_only: out = clamp(x) (MAXPOOL), no arithmetic.
// STAGES = 0: combinational (the vector unit's lanes). STAGES = 2: registers after the left
// shift and after the multiply, so `out` follows `x` by two cycles, one result per cycle (the
// array's output requantizer); the parameters must hold still while a value is in flight.
module tandem_requant #(
    parameter int STAGES = 0  // 0 or 2
) (
    input  logic        clk,
    input  logic        clamp_only,
    input  logic [31:0] x,
    input  logic [31:0] bias,
    input  logic [31:0] mult,
    input  logic [ 5:0] sh,
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

  // saturating_rounding_doubling_high_mul(x, m): (x*m + nudge) / 2^31 truncated towards zero
  // equals floor((x*m + 2^30) / 2^31) for both signs of x*m, i.e. p[62:31] + p[30].
  function automatic logic [31:0] srdhm(input logic [31:0] a, input logic [31:0] m);
    /* verilator lint_off UNUSEDSIGNAL */  // below bit 30 only carries matter (the multiplier's)
    logic [63:0] p;
    /* verilator lint_on UNUSEDSIGNAL */
    begin
      p = 64'($signed(a) * $signed(m));
      if (a == 32'h8000_0000 && m == 32'h8000_0000) srdhm = 32'h7fff_ffff;
      else srdhm = p[62:31] + {31'd0, p[30]};
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

  wire [4:0] ls = sh[5] ? 5'd0 : sh[4:0];           // left shift 0..30 (sh >= 0)
  wire [4:0] rs = sh[5] ? 5'd0 - sh[4:0] : 5'd0;    // right shift 0..31 (sh < 0)

  logic [31:0] high;  // after the multiply
  logic bypass;       // clamp_only, aligned with `high`
  logic [31:0] raw;   // x, aligned with `high` (clamp_only)
  if (STAGES == 0) begin : g_combinational
    assign high = srdhm(sat_shl(x + bias, ls), mult);
    assign bypass = clamp_only;
    assign raw = x;
    /* verilator lint_off UNUSEDSIGNAL */
    wire unused_clk = clk;  // no registers
    /* verilator lint_on UNUSEDSIGNAL */
  end else begin : g_pipelined
    logic [31:0] shifted_q, high_q, raw_q, raw_qq;
    logic bypass_q, bypass_qq;
    always_ff @(posedge clk) begin
      shifted_q <= sat_shl(x + bias, ls);
      high_q <= srdhm(shifted_q, mult);
      raw_q <= x;
      raw_qq <= raw_q;
      bypass_q <= clamp_only;
      bypass_qq <= bypass_q;
    end
    assign high = high_q;
    assign bypass = bypass_qq;
    assign raw = raw_qq;
  end
  assign out = clamp8(bypass ? raw : {{24{zp_out[7]}}, zp_out} + rdbpot(high, rs), clamp_lo,
                      clamp_hi);
endmodule
