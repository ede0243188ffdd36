// The arithmetic the requantizer and the PEs are built of, each between registers, as a
// stand-in tandem_top for the sky130 route (bench/sky130_micro/run.sh): what one operator
// costs after Yosys + ABC + OpenSTA on sky130_fd_sc_hd typical.
module add32 (input logic clk, input logic [31:0] a, b, output logic [31:0] y);
  logic [31:0] a_q, b_q;
  always_ff @(posedge clk) begin a_q <= a; b_q <= b; y <= a_q + b_q; end
endmodule
module add48 (input logic clk, input logic [47:0] a, b, output logic [47:0] y);
  logic [47:0] a_q, b_q;
  always_ff @(posedge clk) begin a_q <= a; b_q <= b; y <= a_q + b_q; end
endmodule
module mul32x16 (input logic clk, input logic signed [31:0] a, input logic signed [15:0] b,
                 output logic signed [47:0] y);
  logic signed [31:0] a_q;
  logic signed [15:0] b_q;
  always_ff @(posedge clk) begin a_q <= a; b_q <= b; y <= a_q * b_q; end
endmodule
module mul16x16 (input logic clk, input logic signed [15:0] a, b, output logic signed [31:0] y);
  logic signed [15:0] a_q, b_q;
  always_ff @(posedge clk) begin a_q <= a; b_q <= b; y <= a_q * b_q; end
endmodule
// a PE's multiply-accumulate
module mac8 (input logic clk, input logic signed [7:0] a, b, input logic [31:0] s, output logic [31:0] y);
  logic signed [7:0] a_q, b_q;
  logic [31:0] s_q;
  always_ff @(posedge clk) begin a_q <= a; b_q <= b; s_q <= s; y <= s_q + 32'(a_q * b_q); end
endmodule
module tandem_top (input logic clk, input logic [47:0] a, b, output logic [47:0] y_add32, y_add48,
                   y_mul32x16, output logic [31:0] y_mul16x16, y_mac8);
  add32 u_add32 (.clk(clk), .a(a[31:0]), .b(b[31:0]), .y(y_add32[31:0]));
  assign y_add32[47:32] = '0;
  add48 u_add48 (.clk(clk), .a(a), .b(b), .y(y_add48));
  mul32x16 u_mul32x16 (.clk(clk), .a(a[31:0]), .b(b[15:0]), .y(y_mul32x16));
  mul16x16 u_mul16x16 (.clk(clk), .a(a[15:0]), .b(b[15:0]), .y(y_mul16x16));
  mac8 u_mac8 (.clk(clk), .a(a[7:0]), .b(b[7:0]), .s(a[47:16]), .y(y_mac8));
endmodule
