// tandem_pe: one int8 x int8 -> int32 multiply-accumulate processing element.
// One source for both dataflows (DATAFLOW 0 = weight-stationary, 1 = output-stationary):
//   weight-stationary:  a flows right with its `token` bit; the partial sum flows down:
//                       sum_out = sum_in + a_in * w. Two shadow weights back the active one:
//                       `shift` moves shadow bank `bank` down (b_in -> shadow -> b_out) while
//                       the array computes; the token that travels with the first activation
//                       of a MATMUL makes shadow bank `token_bank` active, here in the cycle
//                       that activation reaches this PE. With two banks the next LOADW need
//                       not wait for the last MATMUL's token to pass.
//   output-stationary:  a flows right, b flows down; acc += a_in * b_in; on `shift` the
//                       accumulators drain down one row (sum_out = acc, acc <= sum_in).
// LOGIC_MULTIPLIER = 1 builds the 8x8 product from shifts and adds, which synthesis keeps in
// logic: for FPGAs with fewer DSP blocks than multipliers (same function and timing).
module tandem_pe #(
    parameter int DATAFLOW = 0,
    parameter bit LOGIC_MULTIPLIER = 0
) (
    input  logic               clk,
    input  logic               shift,   // WS: shadow weight from b_in; OS: drain acc from sum_in
    input  logic               bank,    // WS: the shadow bank that shifts
    input  logic               clear,   // OS: zero the accumulator
    input  logic               token_in,   // WS: a_in is a MATMUL's first activation
    input  logic               token_bank_in,  // ... and the shadow bank it activates
    output logic               token_out,
    output logic               token_bank_out,
    input  logic signed [ 7:0] a_in,
    input  logic signed [ 7:0] b_in,
    input  logic signed [31:0] sum_in,
    output logic signed [ 7:0] a_out,
    output logic signed [ 7:0] b_out,
    output logic signed [31:0] sum_out
);
  logic signed [15:0] product;
  logic signed [ 7:0] multiplicand;  // the weight (weight-stationary) or b_in

  if (LOGIC_MULTIPLIER) begin : g_logic_multiplier
    // a * w as a running sum of partial products, modulo 2^16; row 7 subtracts (w is two's
    // complement). Wires, not a function: Yosys 0.23 asserts on a function here when PEs with
    // both multiplier kinds are in one design.
    wire [15:0] a16 = 16'($signed(a_in));
    for (genvar k = 0; k < 8; k++) begin : g_row
      wire [15:0] row = multiplicand[k] ? a16 << k : 16'd0;
      logic [15:0] sum;  // rows 0..k
      if (k == 0) begin : g_first
        assign sum = row;
      end else if (k < 7) begin : g_add
        assign sum = g_row[k-1].sum + row;
      end else begin : g_sign
        assign sum = g_row[k-1].sum - row;
      end
    end
    assign product = $signed(g_row[7].sum);
  end else begin : g_multiplier
    assign product = a_in * multiplicand;
  end

  always_ff @(posedge clk) begin
    a_out <= a_in;
    token_out <= token_in;
    token_bank_out <= token_bank_in;
  end

  generate
    if (DATAFLOW == 0) begin : g_weight_stationary
      logic signed [7:0] weight, shadow0, shadow1;
      wire signed [7:0] activated = token_bank_in ? shadow1 : shadow0;
      assign multiplicand = token_in ? activated : weight;
      assign b_out = bank ? shadow1 : shadow0;
      always_ff @(posedge clk) begin
        if (shift && !bank) shadow0 <= b_in;
        if (shift && bank) shadow1 <= b_in;
        if (token_in) weight <= activated;
        sum_out <= sum_in + {{16{product[15]}}, product};
      end
      // `clear` has no meaning here: partial sums are not stored.
      logic unused_clear;
      assign unused_clear = clear;
    end else begin : g_output_stationary
      assign multiplicand = b_in;
      logic unused_token;  // every operand streams: nothing to switch
      assign unused_token = ^{token_in, token_bank_in, bank};
      always_ff @(posedge clk) begin
        b_out <= b_in;
        if (clear) sum_out <= 32'sd0;
        else if (shift) sum_out <= sum_in;
        else sum_out <= sum_out + {{16{product[15]}}, product};
      end
    end
  endgenerate
endmodule
