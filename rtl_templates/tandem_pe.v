// tandem_pe: one int8 x int8 -> int32 multiply-accumulate processing element.
// One source for both dataflows (DATAFLOW 0 = weight-stationary, 1 = output-stationary):
//   weight-stationary:  w holds a weight (loaded by shifting down when `shift`); a flows right;
//                       the partial sum flows down: sum_out = sum_in + a_in * w.
//   output-stationary:  a flows right, b flows down; acc += a_in * b_in; on `shift` the
//                       accumulators drain down one row (sum_out = acc, acc <= sum_in).
module tandem_pe #(
    parameter int DATAFLOW = 0
) (
    input  logic               clk,
    input  logic               shift,   // WS: load weight from b_in; OS: drain acc from sum_in
    input  logic               clear,   // OS: zero the accumulator
    input  logic signed [ 7:0] a_in,
    input  logic signed [ 7:0] b_in,
    input  logic signed [31:0] sum_in,
    output logic signed [ 7:0] a_out,
    output logic signed [ 7:0] b_out,
    output logic signed [31:0] sum_out
);
  logic signed [15:0] product;

  always_ff @(posedge clk) a_out <= a_in;

  generate
    if (DATAFLOW == 0) begin : g_weight_stationary
      logic signed [7:0] weight;
      assign product = a_in * weight;
      assign b_out = weight;
      always_ff @(posedge clk) begin
        if (shift) weight <= b_in;
        sum_out <= sum_in + {{16{product[15]}}, product};
      end
      // `clear` has no meaning here: partial sums are not stored.
      logic unused_clear;
      assign unused_clear = clear;
    end else begin : g_output_stationary
      assign product = a_in * b_in;
      always_ff @(posedge clk) begin
        b_out <= b_in;
        if (clear) sum_out <= 32'sd0;
        else if (shift) sum_out <= sum_in;
        else sum_out <= sum_out + {{16{product[15]}}, product};
      end
    end
  endgenerate
endmodule
