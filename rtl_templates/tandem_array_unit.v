// tandem_array_unit: runs LOADW and MATMUL (docs/isa.md) on the systolic array. Every action
// is a function of `step`, the cycle count since start, so that the cycle count of each
// instruction is a closed form (R = ROWS, C = COLS, LAT = R + C - 1):
//   LOADW (weight-stationary):      R + 1 busy cycles; step s < R reads WBUF word w_addr+R-1-s,
//                                   steps 1..R shift the words in.
//   MATMUL weight-stationary, len M: M + LAT + 1 busy cycles; step s < M reads IBUF word
//                                   a_addr + s*a_stride, presented at step s+1; result row m is
//                                   written to OBUF c_addr+m at step m+1+LAT (old value read
//                                   one step before when accumulating).
//   MATMUL output-stationary, len K: K + LAT + R busy cycles; step 0 clears, step s < K reads
//                                   IBUF a_addr+s*a_stride and WBUF b_addr+s, presented at s+1;
//                                   drain steps K+LAT+d, d = 0..R-1, write OBUF c_addr+R-1-d.
//   LOADW in an output-stationary array and len 0 take no cycles.
//   MATMUL with `requant` (OUTPUT_REQUANTIZER = 1): every result row passes the requantizer
//                                   pipeline (tandem_requant, 2 stages) and is written 2 steps
//                                   later, as int8 values sign-extended to int32: 2 more busy
//                                   cycles. Steps s < COLS read PARAM entry param_base + s, the
//                                   parameters of column s. Without the requantizer the bit is
//                                   ignored.
// Activity: every presented vector is R*C MACs; MACs with a zero operand are counted at the
// array edge from the operands' zero counts.
module tandem_array_unit #(
    parameter int ROWS = 4,
    parameter int COLS = 4,
    parameter int DATAFLOW = 0,
    parameter int LOGIC_MULTIPLIERS = 0,  // PEs that multiply in logic (tandem_systolic_array)
    parameter bit OUTPUT_REQUANTIZER = 1,  // COLS pipelined requant lanes at the array's output
    parameter int PARAM_AW = 6,
    parameter int IBUF_AW = 8,
    parameter int WBUF_AW = 8,
    parameter int OBUF_AW = 8
) (
    input  logic                  clk,
    input  logic                  rst_n,
    input  logic                  start,
    input  logic                  is_matmul,  // 0: LOADW
    input  logic                  acc,
    input  logic                  requant,    // MATMUL: requantize the results (VSET operands)
    input  logic [          15:0] param_base,
    input  logic signed [      7:0] zp_out,
    input  logic signed [      7:0] clamp_lo,
    input  logic signed [      7:0] clamp_hi,
    input  logic [          23:0] a_addr,
    input  logic [          23:0] b_addr,     // MATMUL output-stationary: WBUF base; LOADW: w_addr
    input  logic [          23:0] c_addr,
    input  logic [          15:0] len,
    input  logic [          15:0] a_stride,
    output logic                  busy,
    output logic                  ibuf_re,
    output logic [   IBUF_AW-1:0] ibuf_raddr,
    input  logic [    8*ROWS-1:0] ibuf_rdata,
    output logic                  wbuf_re,
    output logic [   WBUF_AW-1:0] wbuf_raddr,
    input  logic [    8*COLS-1:0] wbuf_rdata,
    output logic                  obuf_re,
    output logic [   OBUF_AW-1:0] obuf_raddr,
    input  logic [   32*COLS-1:0] obuf_rdata,
    output logic                  obuf_we,
    output logic [   OBUF_AW-1:0] obuf_waddr,
    output logic [   32*COLS-1:0] obuf_wdata,
    output logic                  param_re,
    output logic [  PARAM_AW-1:0] param_raddr,
    input  logic [          95:0] param_rdata,  // {shift, multiplier, bias}
    output logic [          31:0] macs,         // MACs this cycle
    output logic [          31:0] zero_macs,    // of which with a zero operand
    output logic [          31:0] requant_ops   // elements requantized this cycle
);
  localparam int Lat = ROWS + COLS - 1;
  localparam bit OS = DATAFLOW != 0;
  localparam int RequantStages = 2;  // tandem_requant's pipeline depth

  logic matmul_q, acc_q, requant_q;
  logic [23:0] a_base_q, b_base_q, c_base_q;
  logic [15:0] len_q, stride_q;
  // `step` never passes len + LAT + ROWS + 1 < 2^16 + LAT + ROWS + 2: registers that narrow (every
  // register bit is a logic cell on an FPGA); the arithmetic below is on its 32-bit value.
  localparam int StepBits = $clog2(65536 + Lat + ROWS + RequantStages) + 1;
  logic [StepBits-1:0] step_q, last_step;
  wire [31:0] step = 32'(step_q);
  logic [IBUF_AW-1:0] a_ptr;  // IBUF address of the next A read (the port's width: it wraps)

  // ---- control as functions of step ----
  wire streaming = busy && matmul_q && step < 32'(len_q);          // reading operands
  wire presenting = busy && matmul_q && step >= 1 && step <= 32'(len_q);
  wire loading_w = busy && !matmul_q && step >= 1;                 // LOADW shift steps 1..R
  wire reading_w = busy && !matmul_q && step < 32'(ROWS);

  // Result rows: weight-stationary row m at step m+1+LAT; output-stationary drain at K+LAT+d.
  wire [31:0] first_out = OS ? 32'(len_q) + 32'(Lat) : 32'd1 + 32'(Lat);
  wire [31:0] out_count = OS ? 32'(ROWS) : 32'(len_q);
  wire writing = busy && matmul_q && step >= first_out && step < first_out + out_count;
  wire pre_reading = busy && matmul_q && acc_q && step + 1 >= first_out && step + 1 < first_out + out_count;
  wire [31:0] out_index = step - first_out;
  wire [31:0] pre_index = step + 1 - first_out;
  wire [23:0] out_row = 24'(OS ? 32'(ROWS) - 1 - out_index : out_index);
  wire [23:0] pre_row = 24'(OS ? 32'(ROWS) - 1 - pre_index : pre_index);

  assign ibuf_re = streaming;
  assign ibuf_raddr = a_ptr;
  assign wbuf_re = reading_w || (OS && streaming);
  assign wbuf_raddr = reading_w ? WBUF_AW'(b_base_q + 24'(ROWS - 1) - 24'(step))
                                : WBUF_AW'(b_base_q + 24'(step));
  assign obuf_re = pre_reading;
  assign obuf_raddr = OBUF_AW'(c_base_q + pre_row);

  // ---- the array ----
  logic [8*ROWS-1:0] a_left;
  logic [8*COLS-1:0] b_top;
  logic [32*COLS-1:0] sum_bottom;
  logic array_shift, array_clear;
  assign a_left = presenting ? ibuf_rdata : '0;
  assign b_top = (loading_w || (OS && presenting)) ? wbuf_rdata : '0;
  assign array_shift = OS ? writing : loading_w;
  assign array_clear = OS && busy && matmul_q && step == 0;

  tandem_systolic_array #(
      .ROWS(ROWS),
      .COLS(COLS),
      .DATAFLOW(DATAFLOW),
      .LOGIC_MULTIPLIERS(LOGIC_MULTIPLIERS)
  ) array (
      .clk(clk),
      .shift(array_shift),
      .clear(array_clear),
      .a_left(a_left),
      .b_top(b_top),
      .sum_bottom(sum_bottom)
  );

  // Result rows: the array's sums (plus the old values when accumulating), written as they
  // leave the array, or RequantStages steps later through the requantizer.
  logic [32*COLS-1:0] sums;
  for (genvar j = 0; j < COLS; j++) begin : g_sums
    assign sums[32*j+:32] = sum_bottom[32*j+:32] + (acc_q ? obuf_rdata[32*j+:32] : 32'd0);
  end
  wire [OBUF_AW-1:0] out_addr = OBUF_AW'(c_base_q + out_row);

  if (OUTPUT_REQUANTIZER) begin : g_requantizer
    // Column j's parameters, PARAM entry param_base + j, read at step j and captured at j + 1
    // (the first result row leaves the array at step ROWS + COLS or later).
    logic [PARAM_AW-1:0] param_base_q;
    logic [7:0] zp_out_q, lo_q, hi_q;
    logic [32*COLS-1:0] bias_q, mult_q;
    logic [6*COLS-1:0] sh_q;
    logic [RequantStages-1:0] write_pipe;              // a row in each stage
    logic [OBUF_AW*RequantStages-1:0] addr_pipe;       // its OBUF address
    wire reading_params = busy && matmul_q && requant_q && step < 32'(COLS);
    wire [31:0] shift_in = param_rdata[95:64];
    // The PARAM shift clamped to [-31, 30], 6-bit two's complement (as the vector unit does).
    wire [5:0] shift_clamped = ($signed(shift_in) > 32'sd30) ? 6'd30 :
                               ($signed(shift_in) < -32'sd31) ? 6'b100001 : shift_in[5:0];
    always_ff @(posedge clk) begin
      if (start && !busy) begin
        param_base_q <= param_base[PARAM_AW-1:0];
        zp_out_q <= zp_out;
        lo_q <= clamp_lo;
        hi_q <= clamp_hi;
      end
      for (int j = 0; j < COLS; j++) begin
        if (busy && requant_q && step == 32'(j + 1)) begin
          bias_q[32*j+:32] <= param_rdata[31:0];
          mult_q[32*j+:32] <= param_rdata[63:32];
          sh_q[6*j+:6] <= shift_clamped;
        end
      end
      if (!rst_n) write_pipe <= '0;
      else write_pipe <= {write_pipe[RequantStages-2:0], writing && requant_q};
      addr_pipe <= {addr_pipe[OBUF_AW*(RequantStages-1)-1:0], out_addr};
    end
    assign param_re = reading_params;
    assign param_raddr = param_base_q + PARAM_AW'(step);

    logic [8*COLS-1:0] requantized;
    for (genvar j = 0; j < COLS; j++) begin : g_lane
      tandem_requant #(.STAGES(RequantStages)) lane (
          .clk(clk), .clamp_only(1'b0), .x(sums[32*j+:32]), .bias(bias_q[32*j+:32]),
          .mult(mult_q[32*j+:32]), .sh(sh_q[6*j+:6]), .zp_out(zp_out_q), .clamp_lo(lo_q),
          .clamp_hi(hi_q), .out(requantized[8*j+:8])
      );
      assign obuf_wdata[32*j+:32] = requant_q ? 32'($signed(requantized[8*j+:8])) : sums[32*j+:32];
    end
    wire requant_write = write_pipe[RequantStages-1];
    assign obuf_we = requant_q ? requant_write : writing;
    assign obuf_waddr = requant_q ? addr_pipe[OBUF_AW*(RequantStages-1)+:OBUF_AW] : out_addr;
    assign requant_ops = requant_write ? 32'(COLS) : 32'd0;
  end else begin : g_no_requantizer
    assign param_re = 1'b0;
    assign param_raddr = '0;
    assign obuf_we = writing;
    assign obuf_waddr = out_addr;
    assign obuf_wdata = sums;
    assign requant_ops = 32'd0;
    /* verilator lint_off UNUSEDSIGNAL */
    wire unused_requant = ^{param_base, zp_out, clamp_lo, clamp_hi, param_rdata, requant_q};
    /* verilator lint_on UNUSEDSIGNAL */
  end

  // ---- activity: zero operands, counted at the edges ----
  // Weight-stationary: zeros per PE row are tracked as weights shift in; a row holds COLS
  // weights, so ZW bits count them (not 32: on an FPGA every register bit is a logic cell).
  localparam int ZW = $clog2(COLS + 1);
  logic [ZW*ROWS-1:0] weight_zeros;  // per PE row, packed (functions take it as an argument)
  function automatic logic [31:0] zeros_in_b(input logic [8*COLS-1:0] word);
    zeros_in_b = 0;
    for (int e = 0; e < COLS; e++) if (word[8*e+:8] == 8'd0) zeros_in_b = zeros_in_b + 1;
  endfunction
  function automatic logic [31:0] zeros_in_a(input logic [8*ROWS-1:0] word);
    zeros_in_a = 0;
    for (int e = 0; e < ROWS; e++) if (word[8*e+:8] == 8'd0) zeros_in_a = zeros_in_a + 1;
  endfunction
  always_ff @(posedge clk) begin
    if (!rst_n) weight_zeros <= '0;
    else if (!OS && loading_w) weight_zeros <= (ZW * ROWS)'({weight_zeros, ZW'(zeros_in_b(wbuf_rdata))});
  end

  // Weight-stationary: a zero in A row element i zeroes all C MACs of PE row i, otherwise the
  // row's zero weights do. Output-stationary: za*C + zb*R - za*zb.
  function automatic logic [31:0] zero_operand_macs(input logic [8*ROWS-1:0] a, input logic [8*COLS-1:0] b,
                                                    input logic [ZW*ROWS-1:0] row_zeros);
    logic [31:0] total;
    total = 0;
    if (OS) begin
      total = zeros_in_a(a) * 32'(COLS) + zeros_in_b(b) * 32'(ROWS) - zeros_in_a(a) * zeros_in_b(b);
    end else begin
      for (int r = 0; r < ROWS; r++) total = total + (a[8*r+:8] == 8'd0 ? 32'(COLS) : 32'(row_zeros[ZW*r+:ZW]));
    end
    zero_operand_macs = total;
  endfunction

  assign macs = presenting ? 32'(ROWS * COLS) : 32'd0;
  assign zero_macs = presenting ? zero_operand_macs(ibuf_rdata, wbuf_rdata, weight_zeros) : 32'd0;

  // ---- sequencing ----
  always_ff @(posedge clk) begin
    if (!rst_n) begin
      busy <= 1'b0;
    end else if (start && !busy) begin
      matmul_q <= is_matmul;
      acc_q <= acc;
      requant_q <= is_matmul && requant && OUTPUT_REQUANTIZER;
      a_base_q <= a_addr;
      b_base_q <= b_addr;
      c_base_q <= c_addr;
      len_q <= len;
      stride_q <= a_stride;
      a_ptr <= IBUF_AW'(a_addr);
      step_q <= '0;
      if (is_matmul) begin
        busy <= len != 0;
        last_step <= StepBits'((OS ? 32'(len) + 32'(Lat) + 32'(ROWS) - 1 : 32'(len) + 32'(Lat)) +
                               (requant && OUTPUT_REQUANTIZER ? 32'(RequantStages) : 32'd0));
      end else begin
        busy <= !OS;
        last_step <= StepBits'(ROWS);
      end
    end else if (busy) begin
      step_q <= step_q + 1'b1;
      if (streaming) a_ptr <= a_ptr + IBUF_AW'(stride_q);
      if (step_q == last_step) busy <= 1'b0;
    end
  end

  logic unused;
  // a_base_q for traces; stride and PARAM base bits above the address widths wrap away
  assign unused = ^{a_base_q, stride_q, param_base};
endmodule
