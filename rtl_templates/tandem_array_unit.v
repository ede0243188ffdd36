// tandem_array_unit: runs LOADW and MATMUL (docs/isa.md) on the systolic array (R = ROWS,
// C = COLS, LAT = R + C - 1). Steps count the cycles from the one after dispatch; an
// instruction is in flight from step 0 to its last step:
//   LOADW (weight-stationary):      steps 0..R; step s < R reads WBUF word w_addr+R-1-s, steps
//                                   1..R shift the words into the PEs' shadow weights.
//   MATMUL weight-stationary, len M: steps 0..M+LAT; step s < M reads IBUF word
//                                   a_addr + s*a_stride, presented at step s+1 (the first with
//                                   the token that makes the shadow weights active); result row
//                                   m is written to OBUF c_addr+m at step m+1+LAT (old value
//                                   read one step before when accumulating).
//   MATMUL output-stationary, len K: steps 0..K+LAT+R-1; step 0 clears, step s < K reads IBUF
//                                   a_addr+s*a_stride and WBUF b_addr+s, presented at s+1;
//                                   drain steps K+LAT+d, d = 0..R-1, write OBUF c_addr+R-1-d.
//   LOADW in an output-stationary array and len 0 take no cycles.
//   MATMUL with `requant` (OUTPUT_REQUANTIZER = 1): result rows pass the requantizer pipeline
//                                   (tandem_requant, RQ = REQUANT_LATENCY stages) and are
//                                   written RQ steps later, as int8 values sign-extended to int32;
//                                   its last step is RQ later.
//                                   Steps
//                                   s < C read PARAM entry param_base + s, column s's
//                                   parameters. Without the requantizer the bit is ignored.
// Weight-stationary, instructions overlap: the unit is ready for
//   - a LOADW once the previous LOADW is in its last step and LAT cycles after the dispatch of
//     the last MATMUL that activated the shadow bank this LOADW fills (LOADWs alternate between
//     two banks; that MATMUL's token reaches PE (R-1, C-1) at its step LAT, in the cycle before
//     the LOADW's first shift);
//   - a MATMUL once the previous LOADW is in its last step, the previous MATMUL in its last
//     reading step (step max(M, 2) - 1: a one-row MATMUL reads for two steps, so that an
//     accumulating successor reads the row after it is written) and no requantizing MATMUL is
//     in flight (its PARAM registers and its RQ extra steps are its own).
// So MATMULs stream back to back: a slice's fill and drain hide behind the next slice.
// Output-stationary: one instruction at a time. `ports` are the buffer ports of the
// instructions in flight (tandem_controller.v's bit order); `busy`: one is in flight.
// Activity: every presented vector is R*C MACs; MACs with a zero operand are counted at the
// array edge from the operands' zero counts.
`include "tandem_isa.vh"

module tandem_array_unit #(
    parameter int ROWS = 4,
    parameter int COLS = 4,
    parameter int DATAFLOW = 0,
    parameter int LOGIC_MULTIPLIERS = 0,  // PEs that multiply in logic (tandem_systolic_array)
    parameter bit OUTPUT_REQUANTIZER = 1,  // COLS pipelined requant lanes at the array's output
    parameter bit SPLIT_PRODUCT = 1,       // tandem_requant's product in two halves
    parameter int REQUANT_LATENCY = 5,     // tandem_requant's pipeline stages
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
    output logic                  ready_loadw,
    output logic                  ready_matmul,
    output logic [           7:0] ports,
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
    output logic [          31:0] zero_macs,    // of which with a zero operand (both: last cycle's)
    output logic [          31:0] requant_ops   // elements requantized this cycle
);
  localparam int Lat = ROWS + COLS - 1;
  localparam bit OS = DATAFLOW != 0;
  localparam int RequantStages = REQUANT_LATENCY;  // tandem_requant's pipeline depth
  // Port bits as tandem_controller.v numbers them.
  localparam int IbufR = 0, WbufR = 2, ObufR = 4, ObufW = 5, ParamR = 6;

  wire start_matmul = start && is_matmul && len != 16'd0;
  wire start_requant = start_matmul && requant && OUTPUT_REQUANTIZER;

  // ---- what every dataflow's sequencer drives ----
  logic [8*ROWS-1:0] a_left;
  logic [8*COLS-1:0] b_top;
  logic array_shift, array_clear, token, presenting;
  logic shift_bank, token_bank;  // weight-stationary shadow banks (tandem_pe.v)
  logic [ROWS-1:0] a_zero_rows;       // presented A elements that are zero
  logic [31:0] presented_zero_macs;
  // The result row leaving the array this cycle ("tap"): its OBUF row, whether it adds the old
  // value (read the cycle before) and whether it goes through the requantizer.
  logic tap_valid, tap_acc, tap_rq;
  logic [OBUF_AW-1:0] tap_addr;
  logic sequencer_busy, sequencer_acc, sequencer_rq;
  // Rows in the requantizer's pipeline, of an accumulating MATMUL (set only with
  // OUTPUT_REQUANTIZER).
  logic requant_pending, requant_pending_acc;

  // ---- the array ----
  logic [32*COLS-1:0] sum_bottom;
  tandem_systolic_array #(
      .ROWS(ROWS),
      .COLS(COLS),
      .DATAFLOW(DATAFLOW),
      .LOGIC_MULTIPLIERS(LOGIC_MULTIPLIERS)
  ) array (
      .clk(clk),
      .shift(array_shift),
      .clear(array_clear),
      .bank(shift_bank),
      .token(token),
      .token_bank(token_bank),
      .a_left(a_left),
      .b_top(b_top),
      .sum_bottom(sum_bottom)
  );

  function automatic logic [31:0] zeros_in_b(input logic [8*COLS-1:0] word);
    zeros_in_b = 0;
    for (int e = 0; e < COLS; e++) if (word[8*e+:8] == 8'd0) zeros_in_b = zeros_in_b + 1;
  endfunction
  for (genvar r = 0; r < ROWS; r++) begin : g_a_zero
    assign a_zero_rows[r] = ibuf_rdata[8*r+:8] == 8'd0;
  end

  if (!OS) begin : g_ws
    // ---------------- weight loader (LOADW) ----------------
    localparam int LoadBits = $clog2(ROWS + 1);
    logic load_busy;
    logic [LoadBits-1:0] load_step;  // 0..R
    logic [WBUF_AW-1:0] w_base_q;
    logic load_bank;  // the shadow bank of the last LOADW: the one the next MATMUL activates
    wire load_last = load_busy && load_step == LoadBits'(ROWS);
    wire reading_w = load_busy && 32'(load_step) < 32'(ROWS);
    wire loading_w = load_busy && load_step != '0;
    always_ff @(posedge clk) begin
      if (!rst_n) begin
        load_busy <= 1'b0;
        load_step <= '0;
        load_bank <= 1'b1;  // the first LOADW fills bank 0
      end else if (start && !is_matmul) begin
        load_busy <= 1'b1;
        load_step <= '0;
        load_bank <= !load_bank;
        w_base_q <= WBUF_AW'(b_addr);
      end else if (load_busy) begin
        load_step <= load_step + 1'b1;
        if (load_last) load_busy <= 1'b0;
      end
    end

    // ---------------- streamer (MATMUL's reads) ----------------
    logic stream_busy, s_acc_q, s_rq_q, s_bank_q;
    logic [15:0] s_step, s_last, len_q, stride_q;
    logic [IBUF_AW-1:0] a_ptr;  // IBUF address of the next A read (the port's width: it wraps)
    logic [OBUF_AW-1:0] c_ptr;  // OBUF row of that read's result
    wire streaming = stream_busy && s_step < len_q;
    wire stream_last = stream_busy && s_step == s_last;
    always_ff @(posedge clk) begin
      if (!rst_n) begin
        stream_busy <= 1'b0;
      end else if (start_matmul) begin
        stream_busy <= 1'b1;
        s_step <= '0;
        s_last <= len < 16'd2 ? 16'd1 : len - 16'd1;
        len_q <= len;
        stride_q <= a_stride;
        a_ptr <= IBUF_AW'(a_addr);
        c_ptr <= OBUF_AW'(c_addr);
        s_acc_q <= acc;
        s_rq_q <= requant && OUTPUT_REQUANTIZER;
        s_bank_q <= load_bank;
      end else if (stream_busy) begin
        s_step <= s_step + 16'd1;
        if (streaming) begin
          a_ptr <= a_ptr + IBUF_AW'(stride_q);
          c_ptr <= c_ptr + 1'b1;
        end
        if (stream_last) stream_busy <= 1'b0;
      end
    end

    // A MATMUL's token reaches PE (R-1, C-1) at its step LAT: a LOADW into the bank it
    // activated, dispatched from its step LAT-1 on, shifts that bank only after that.
    localparam int TokenBits = $clog2(Lat) + 1;
    // Per bank: steps since the last MATMUL that activated it, up to LAT-1 (separate registers,
    // not an array: see row_addr).
    logic [TokenBits-1:0] token_step0, token_step1;
    localparam logic [TokenBits-1:0] TokenPassed = TokenBits'(Lat - 1);
    always_ff @(posedge clk) begin
      if (!rst_n) begin
        token_step0 <= TokenPassed;
        token_step1 <= TokenPassed;
      end else begin
        if (start_matmul && !load_bank) token_step0 <= '0;
        else if (token_step0 != TokenPassed) token_step0 <= token_step0 + 1'b1;
        if (start_matmul && load_bank) token_step1 <= '0;
        else if (token_step1 != TokenPassed) token_step1 <= token_step1 + 1'b1;
      end
    end

    // ---------------- rows in the array ----------------
    // Stage k holds the row read k + 1 cycles ago: stage 0 is presented now, its result leaves
    // the array LAT cycles later (stage LAT); accumulation reads the old row at stage LAT-1.
    logic [Lat:0] row_valid, row_acc, row_rq;
    // Packed, stage k at bits [OBUF_AW*k +: OBUF_AW]: Icarus does not propagate array words
    // written in a loop through a continuous assignment.
    logic [OBUF_AW*(Lat+1)-1:0] row_addr;
    logic first_q;  // stage 0 is a MATMUL's first row: it carries the token ...
    logic first_bank_q;  // ... for this shadow bank
    always_ff @(posedge clk) begin
      if (!rst_n) begin
        row_valid <= '0;
        first_q <= 1'b0;
      end else begin
        row_valid <= {row_valid[Lat-1:0], streaming};
        first_q <= streaming && s_step == 16'd0;
      end
      first_bank_q <= s_bank_q;
      row_acc <= {row_acc[Lat-1:0], s_acc_q};
      row_rq <= {row_rq[Lat-1:0], s_rq_q};
      row_addr <= {row_addr[OBUF_AW*Lat-1:0], c_ptr};
    end

    // ---------------- zero operands ----------------
    // Zero weights per PE row, tracked as the shadow weights shift in (ZW bits: on an FPGA every
    // register bit is a logic cell); the token makes them the active ones.
    localparam int ZW = $clog2(COLS + 1);
    logic [ZW*ROWS-1:0] shadow_zeros0, shadow_zeros1, active_zeros;
    wire [ZW-1:0] loaded_zeros = ZW'(zeros_in_b(wbuf_rdata));
    wire [ZW*ROWS-1:0] activated_zeros = first_bank_q ? shadow_zeros1 : shadow_zeros0;
    always_ff @(posedge clk) begin
      if (!rst_n) begin
        shadow_zeros0 <= '0;
        shadow_zeros1 <= '0;
        active_zeros <= '0;
      end else begin
        if (loading_w && !load_bank) shadow_zeros0 <= (ZW * ROWS)'({shadow_zeros0, loaded_zeros});
        if (loading_w && load_bank) shadow_zeros1 <= (ZW * ROWS)'({shadow_zeros1, loaded_zeros});
        if (first_q) active_zeros <= activated_zeros;
      end
    end
    // A zero in A row element i zeroes all C MACs of PE row i, otherwise the row's zero weights do.
    wire [ZW*ROWS-1:0] row_zeros = first_q ? activated_zeros : active_zeros;
    always_comb begin
      presented_zero_macs = 0;
      for (int r = 0; r < ROWS; r++)
        presented_zero_macs = presented_zero_macs + (a_zero_rows[r] ? 32'(COLS) : 32'(row_zeros[ZW*r+:ZW]));
    end

    // ---------------- ports and array controls ----------------
    assign ibuf_re = streaming;
    assign ibuf_raddr = a_ptr;
    assign wbuf_re = reading_w;
    assign wbuf_raddr = w_base_q + WBUF_AW'(ROWS - 1) - WBUF_AW'(load_step);
    assign obuf_re = row_valid[Lat-1] && row_acc[Lat-1];
    assign obuf_raddr = row_addr[OBUF_AW*(Lat-1)+:OBUF_AW];
    assign presenting = row_valid[0];
    assign a_left = presenting ? ibuf_rdata : '0;
    assign token = first_q;
    assign token_bank = first_bank_q;
    assign shift_bank = load_bank;
    assign b_top = loading_w ? wbuf_rdata : '0;
    assign array_shift = loading_w;
    assign array_clear = 1'b0;
    assign tap_valid = row_valid[Lat];
    assign tap_acc = row_acc[Lat];
    assign tap_rq = row_rq[Lat];
    assign tap_addr = row_addr[OBUF_AW*Lat+:OBUF_AW];

    assign sequencer_busy = load_busy || stream_busy || row_valid != '0;
    assign sequencer_acc = (stream_busy && s_acc_q) || (row_valid & row_acc) != '0;
    assign sequencer_rq = (stream_busy && s_rq_q) || (row_valid & row_rq) != '0;
    wire matmul_in_flight = stream_busy || row_valid != '0;
    always_comb begin
      ports = '0;
      ports[WbufR] = load_busy;
      ports[IbufR] = matmul_in_flight || requant_pending;
      ports[ObufW] = matmul_in_flight || requant_pending;
      ports[ObufR] = sequencer_acc || requant_pending_acc;
      ports[ParamR] = sequencer_rq || requant_pending;
    end
    /* verilator lint_off UNUSEDSIGNAL */
    wire unused_ws = ^stride_q;  // stride bits above IBUF_AW wrap away
    /* verilator lint_on UNUSEDSIGNAL */
    wire loader_free = !load_busy || load_last;
    // The next LOADW fills the bank the last one did not.
    assign ready_loadw = loader_free && (load_bank ? token_step0 : token_step1) == TokenPassed;
    assign ready_matmul = loader_free && (!stream_busy || stream_last) && !sequencer_rq && !requant_pending;
  end else begin : g_os
    // ---------------- output-stationary: one instruction at a time ----------------
    logic running, acc_q, rq_q;
    logic [23:0] b_base_q, c_base_q;
    logic [15:0] len_q, stride_q;
    // `step` never passes len + LAT + ROWS - 1 < 2^16 + LAT + ROWS: registers that narrow (every
    // register bit is a logic cell on an FPGA); the arithmetic below is on its 32-bit value.
    localparam int StepBits = $clog2(65536 + Lat + ROWS) + 1;
    logic [StepBits-1:0] step_q, last_step;
    wire [31:0] step = 32'(step_q);
    logic [IBUF_AW-1:0] a_ptr;
    // What a step does, decoded a step ahead into registers: the step's compares (against
    // len + LAT and len + LAT + ROWS) would otherwise sit in front of every PE's shift and
    // clear, the OBUF write enables and the activity counters. Drain steps K+LAT+d,
    // d = 0..R-1, write OBUF c_addr+R-1-d; accumulation reads a step before.
    localparam int Streaming = 0;   // operands read: steps 0 .. len-1
    localparam int Presenting = 1;  // operands enter the array: steps 1 .. len
    localparam int Writing = 2;     // drain: steps len+LAT .. len+LAT+R-1
    localparam int PreReading = 3;  // accumulation's OBUF read, a step before each drain write
    localparam int Clearing = 4;    // step 0
    // (a flag vector, not a struct: Yosys 0.23 cannot return a struct declared in a generate block)
    function automatic logic [4:0] flags_of(input logic [31:0] s, input logic [15:0] n, input logic accumulate);
      logic [31:0] first;
      begin
        first = 32'(n) + 32'(Lat);
        flags_of = '0;
        flags_of[Streaming] = s < 32'(n);
        flags_of[Presenting] = s >= 1 && s <= 32'(n);
        flags_of[Writing] = s >= first && s < first + 32'(ROWS);
        flags_of[PreReading] = accumulate && s + 1 >= first && s + 1 < first + 32'(ROWS);
        flags_of[Clearing] = s == 0;
      end
    endfunction
    logic [4:0] flags_q;  // of step_q while running, all clear otherwise
    wire streaming = flags_q[Streaming];
    assign presenting = flags_q[Presenting];
    wire writing = flags_q[Writing];
    wire pre_reading = flags_q[PreReading];
    wire [31:0] first_out = 32'(len_q) + 32'(Lat);
    wire [23:0] out_row = 24'(32'(ROWS) - 1 - (step - first_out));
    wire [23:0] pre_row = 24'(32'(ROWS) - 1 - (step + 1 - first_out));
    always_ff @(posedge clk) begin
      if (!rst_n) begin
        running <= 1'b0;
        flags_q <= '0;
      end else if (start_matmul) begin
        running <= 1'b1;
        acc_q <= acc;
        rq_q <= requant && OUTPUT_REQUANTIZER;
        b_base_q <= b_addr;
        c_base_q <= c_addr;
        len_q <= len;
        stride_q <= a_stride;
        a_ptr <= IBUF_AW'(a_addr);
        step_q <= '0;
        last_step <= StepBits'(32'(len) + 32'(Lat) + 32'(ROWS) - 1);
        flags_q <= flags_of(32'd0, len, acc);
      end else if (running) begin
        step_q <= step_q + 1'b1;
        if (streaming) a_ptr <= a_ptr + IBUF_AW'(stride_q);
        if (step_q == last_step) running <= 1'b0;
        // past the last step every flag is clear
        flags_q <= flags_of(step + 32'd1, len_q, acc_q);
      end
    end
    assign ibuf_re = streaming;
    assign ibuf_raddr = a_ptr;
    assign wbuf_re = streaming;
    assign wbuf_raddr = WBUF_AW'(b_base_q + 24'(step));
    assign obuf_re = pre_reading;
    assign obuf_raddr = OBUF_AW'(c_base_q + pre_row);
    assign a_left = presenting ? ibuf_rdata : '0;
    assign b_top = presenting ? wbuf_rdata : '0;
    assign token = 1'b0;
    assign token_bank = 1'b0;
    assign shift_bank = 1'b0;
    assign array_shift = writing;
    assign array_clear = flags_q[Clearing];
    assign tap_valid = writing;
    assign tap_acc = acc_q;
    assign tap_rq = rq_q;
    assign tap_addr = OBUF_AW'(c_base_q + out_row);
    // za*C + zb*R - za*zb
    logic [31:0] za, zb;
    always_comb begin
      za = 0;
      for (int r = 0; r < ROWS; r++) za = za + 32'(a_zero_rows[r]);
      zb = zeros_in_b(wbuf_rdata);
      presented_zero_macs = za * 32'(COLS) + zb * 32'(ROWS) - za * zb;
    end
    assign sequencer_busy = running;
    assign sequencer_acc = running && acc_q;
    assign sequencer_rq = running && rq_q;
    always_comb begin
      ports = '0;
      ports[IbufR] = running || requant_pending;
      ports[WbufR] = running || requant_pending;
      ports[ObufW] = running || requant_pending;
      ports[ObufR] = sequencer_acc || requant_pending_acc;
      ports[ParamR] = sequencer_rq || requant_pending;
    end
    assign ready_loadw = !busy;
    assign ready_matmul = !busy;
    /* verilator lint_off UNUSEDSIGNAL */
    wire unused_os = ^{b_base_q, stride_q};  // address bits above the ports wrap away
    /* verilator lint_on UNUSEDSIGNAL */
  end

  // The MACs of the previous cycle, registered: the zero count sums the operands' zero bytes
  // read this cycle and the activity counters' adders follow it. The last vector is presented
  // at least LAT cycles before the instruction ends, so its count is in before busy falls.
  always_ff @(posedge clk) begin
    if (!rst_n) begin
      macs <= 32'd0;
      zero_macs <= 32'd0;
    end else begin
      macs <= presenting ? 32'(ROWS * COLS) : 32'd0;
      zero_macs <= presenting ? presented_zero_macs : 32'd0;
    end
  end

  // ---------------- results: straight to OBUF, or through the requantizer ----------------
  logic [32*COLS-1:0] sums;
  for (genvar j = 0; j < COLS; j++) begin : g_sums
    assign sums[32*j+:32] = sum_bottom[32*j+:32] + (tap_acc ? obuf_rdata[32*j+:32] : 32'd0);
  end
  wire plain_write = tap_valid && !tap_rq;

  if (OUTPUT_REQUANTIZER) begin : g_requantizer
    // Column j's parameters, PARAM entry param_base + j, read at step j and captured at j + 1
    // (the first result row leaves the array at step ROWS + COLS or later).
    localparam int ParamBits = $clog2(COLS + 1) + 1;
    logic [ParamBits-1:0] param_step;  // 0..C while the parameters load
    logic loading_params;
    logic [PARAM_AW-1:0] param_base_q;
    logic [7:0] zp_out_q, lo_q, hi_q;
    logic [32*COLS-1:0] bias_q, mult_q;
    logic [6*COLS-1:0] sh_q;
    logic [RequantStages-1:0] stage_valid, stage_acc;
    logic [OBUF_AW*RequantStages-1:0] stage_addr;  // packed, as row_addr
    wire [31:0] shift_in = param_rdata[95:64];
    // The PARAM shift clamped to [-31, 30], 6-bit two's complement (as the vector unit does).
    wire [5:0] shift_clamped = ($signed(shift_in) > 32'sd30) ? 6'd30 :
                               ($signed(shift_in) < -32'sd31) ? 6'b100001 : shift_in[5:0];
    always_ff @(posedge clk) begin
      if (!rst_n) begin
        loading_params <= 1'b0;
        stage_valid <= '0;
      end else begin
        if (start_requant) begin
          loading_params <= 1'b1;
          param_step <= '0;
        end else if (loading_params) begin
          param_step <= param_step + 1'b1;
          if (param_step == ParamBits'(COLS)) loading_params <= 1'b0;
        end
        stage_valid <= {stage_valid[RequantStages-2:0], tap_valid && tap_rq};
      end
      if (start_requant) begin
        param_base_q <= param_base[PARAM_AW-1:0];
        zp_out_q <= zp_out;
        lo_q <= clamp_lo;
        hi_q <= clamp_hi;
      end
      for (int j = 0; j < COLS; j++) begin
        if (loading_params && param_step == ParamBits'(j + 1)) begin
          bias_q[32*j+:32] <= param_rdata[31:0];
          mult_q[32*j+:32] <= param_rdata[63:32];
          sh_q[6*j+:6] <= shift_clamped;
        end
      end
      stage_acc <= {stage_acc[RequantStages-2:0], tap_acc};
      stage_addr <= {stage_addr[OBUF_AW*(RequantStages-1)-1:0], tap_addr};
    end
    assign param_re = loading_params && 32'(param_step) < 32'(COLS);
    assign param_raddr = param_base_q + PARAM_AW'(param_step);

    logic [8*COLS-1:0] requantized;
    for (genvar j = 0; j < COLS; j++) begin : g_lane
      // The column's parameters hold still while its rows are in flight: every stage's.
      tandem_requant #(.SPLIT_PRODUCT(SPLIT_PRODUCT), .LATENCY(RequantStages)) lane (
          .clk(clk), .clamp_only(1'b0), .x(sums[32*j+:32]), .bias(bias_q[32*j+:32]),
          .sh_stage1(sh_q[6*j+:6]), .mult(mult_q[32*j+:32]), .sh_stage3(sh_q[6*j+:6]),
          .zp_out(zp_out_q), .clamp_lo(lo_q), .clamp_hi(hi_q), .out(requantized[8*j+:8])
      );
    end
    // The sequencers never let a plain row and a requantized row leave in the same cycle.
    wire requant_write = stage_valid[RequantStages-1];
    for (genvar j = 0; j < COLS; j++) begin : g_obuf_wdata
      assign obuf_wdata[32*j+:32] = requant_write ? 32'($signed(requantized[8*j+:8])) : sums[32*j+:32];
    end
    assign obuf_we = plain_write || requant_write;
    assign obuf_waddr = requant_write ? stage_addr[OBUF_AW*(RequantStages-1)+:OBUF_AW] : tap_addr;
    assign requant_ops = requant_write ? 32'(COLS) : 32'd0;
    assign requant_pending = stage_valid != '0;
    assign requant_pending_acc = (stage_valid & stage_acc) != '0;
  end else begin : g_no_requantizer
    assign param_re = 1'b0;
    assign param_raddr = '0;
    assign obuf_we = plain_write;
    assign obuf_waddr = tap_addr;
    assign obuf_wdata = sums;
    assign requant_ops = 32'd0;
    assign requant_pending = 1'b0;
    assign requant_pending_acc = 1'b0;
    /* verilator lint_off UNUSEDSIGNAL */
    wire unused_requant = ^{param_base, zp_out, clamp_lo, clamp_hi, param_rdata, start_requant};
    /* verilator lint_on UNUSEDSIGNAL */
  end

  assign busy = sequencer_busy || requant_pending;
  /* verilator lint_off UNUSEDSIGNAL */
  // Address bits above the port widths wrap away.
  wire unused_address_bits = ^{a_addr, b_addr, c_addr, a_stride, param_base};
  /* verilator lint_on UNUSEDSIGNAL */
endmodule
