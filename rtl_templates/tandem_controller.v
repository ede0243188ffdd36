// tandem_controller: takes the instruction stream and dispatches in order (docs/isa.md, "Units
// and dispatch"). One instruction is held; it dispatches when its unit is idle (the ARRAY,
// which overlaps its instructions: ready for it), no busy unit holds a buffer port it needs,
// and (SYNC) the named units are idle or (VSET) the vector unit is idle. NOP, SYNC and VSET complete at dispatch; VSET loads the vector operand registers.
`include "tandem_isa.vh"

module tandem_controller #(
    parameter int DATAFLOW = 0,
    parameter bit OUTPUT_REQUANTIZER = 1
) (
    input  logic         clk,
    input  logic         rst_n,
    input  logic         insn_valid,
    output logic         insn_ready,
    input  logic [127:0] insn,
    input  logic [  2:0] unit_busy,      // DMA, ARRAY, VECTOR
    input  logic         array_ready_loadw,   // the ARRAY unit takes a LOADW now
    input  logic         array_ready_matmul,  // ... a MATMUL
    input  logic [  7:0] array_ports,    // ports of the instructions in flight on the ARRAY
    output logic [  2:0] unit_start,     // one-cycle start pulses
    output logic [127:0] dispatched,     // the instruction being started
    output logic         holding,        // an instruction is waiting
    output logic         dispatch,       // an instruction leaves this cycle
    output logic [  2:0] blocked_by,     // one-hot: the unit the held instruction waits for
    // vector operand registers (VSET)
    output logic signed [7:0] zp_a,
    output logic signed [7:0] zp_b,
    output logic signed [7:0] zp_out,
    output logic signed [7:0] clamp_lo,
    output logic signed [7:0] clamp_hi,
    output logic signed [15:0] m_a,
    output logic signed [15:0] m_b,
    output logic [15:0] col_step,
    output logic [15:0] param_base,
    output logic [15:0] out_step
);
  // Buffer ports, as a bit set: {PARAM_W, PARAM_R, OBUF_W, OBUF_R, WBUF_W, WBUF_R, IBUF_W, IBUF_R}
  localparam int IbufR = 0, IbufW = 1, WbufR = 2, WbufW = 3, ObufR = 4, ObufW = 5, ParamR = 6,
      ParamW = 7;

  logic [127:0] held;
  logic held_valid;
  logic [7:0] unit_ports[`TANDEM_NUM_UNITS];  // ports of the instruction DMA and VECTOR run

  wire [3:0] opcode = held[`TANDEM_F_OPCODE];
  // Fields decoded outside the processes (Icarus cannot take part-selects inside always_*).
  wire [2:0] sync_mask = held[`TANDEM_F_MASK];
  wire [2:0] held_buf = held[`TANDEM_F_BUF];
  wire held_acc = held[`TANDEM_F_ACC];
  wire held_requant = held[`TANDEM_F_REQUANT];
  wire [2:0] held_vop = held[`TANDEM_F_VOP];
  wire held_to_obuf = held[`TANDEM_F_TO_OBUF];

  function automatic logic [7:0] buffer_port(input logic [2:0] buf_id, input logic write);
    buffer_port = '0;
    case (buf_id)
      `TANDEM_BUF_IBUF: buffer_port[write ? IbufW : IbufR] = 1'b1;
      `TANDEM_BUF_WBUF: buffer_port[write ? WbufW : WbufR] = 1'b1;
      `TANDEM_BUF_OBUF: buffer_port[write ? ObufW : ObufR] = 1'b1;
      default:          buffer_port[write ? ParamW : ParamR] = 1'b1;
    endcase
  endfunction

  // Unit (`TANDEM_UNIT_*, `TANDEM_NUM_UNITS for none) and ports of the held instruction, computed
  // in a function with local variables: a combinational block that reads back what it assigns makes
  // Icarus re-trigger it forever.
  function automatic logic [9:0] decode(input logic [3:0] held_op, input logic [2:0] buffer,
                                        input logic accumulate, input logic requant,
                                        input logic [2:0] vector_op, input logic to_obuf);
    logic [1:0] u;
    logic [7:0] p;
    u = 2'(`TANDEM_NUM_UNITS);
    p = '0;
    case (held_op)
      `TANDEM_OP_LOAD: begin
        u = 2'(`TANDEM_UNIT_DMA);
        p = buffer_port(buffer, 1'b1);
      end
      `TANDEM_OP_STORE: begin
        u = 2'(`TANDEM_UNIT_DMA);
        p = buffer_port(buffer, 1'b0);
      end
      `TANDEM_OP_LOADW: begin
        u = 2'(`TANDEM_UNIT_ARRAY);
        p[WbufR] = DATAFLOW == 0;
      end
      `TANDEM_OP_MATMUL: begin
        u = 2'(`TANDEM_UNIT_ARRAY);
        p[IbufR] = 1'b1;
        p[WbufR] = DATAFLOW != 0;
        p[ObufR] = accumulate;
        p[ObufW] = 1'b1;
        p[ParamR] = requant && OUTPUT_REQUANTIZER;
      end
      `TANDEM_OP_VECTOR: begin
        u = 2'(`TANDEM_UNIT_VECTOR);
        p[ParamR] = 1'b1;
        if (vector_op == `TANDEM_VOP_REQUANT) begin
          p[ObufR] = 1'b1;
          p[ObufW] = 1'b1;
        end else begin
          p[IbufR] = 1'b1;
          p[to_obuf ? ObufW : IbufW] = 1'b1;  // results to OBUF or IBUF
        end
      end
      default: ;
    endcase
    decode = {u, p};
  endfunction

  wire [1:0] unit;
  wire [7:0] ports;
  assign {unit, ports} = decode(opcode, held_buf, held_acc, held_requant, held_vop, held_to_obuf);

  // What blocks the held instruction, per unit.
  wire array_ready = opcode == `TANDEM_OP_LOADW ? array_ready_loadw : array_ready_matmul;
  for (genvar u = 0; u < `TANDEM_NUM_UNITS; u++) begin : g_blocked
    wire [7:0] busy_ports = u == `TANDEM_UNIT_ARRAY ? array_ports : unit_ports[u];
    if (u == `TANDEM_UNIT_ARRAY) begin : g_array
      assign blocked_by[u] = unit == 2'(u) ? !array_ready : unit_busy[u] && (
          (opcode == `TANDEM_OP_SYNC && sync_mask[u]) || (busy_ports & ports) != 8'd0);
    end else begin : g_other
      assign blocked_by[u] = unit_busy[u] && (
          unit == 2'(u) ||
          (opcode == `TANDEM_OP_SYNC && sync_mask[u]) ||
          (opcode == `TANDEM_OP_VSET && u == `TANDEM_UNIT_VECTOR) ||
          (busy_ports & ports) != 8'd0);
    end
  end
  wire blocked = blocked_by != 3'b000;

  assign holding = held_valid;
  assign dispatch = held_valid && !blocked;
  assign insn_ready = !held_valid || dispatch;
  assign dispatched = held;
  for (genvar u = 0; u < `TANDEM_NUM_UNITS; u++) begin : g_start
    assign unit_start[u] = dispatch && unit == 2'(u);
  end

  wire signed [7:0] vset_zp_a = held[`TANDEM_F_ZP_A], vset_zp_b = held[`TANDEM_F_ZP_B];
  wire signed [7:0] vset_zp_out = held[`TANDEM_F_ZP_OUT];
  wire signed [7:0] vset_clamp_lo = held[`TANDEM_F_CLAMP_LO], vset_clamp_hi = held[`TANDEM_F_CLAMP_HI];
  wire signed [15:0] vset_m_a = held[`TANDEM_F_M_A], vset_m_b = held[`TANDEM_F_M_B];
  wire [15:0] vset_col_step = held[`TANDEM_F_COL_STEP], vset_param_base = held[`TANDEM_F_PARAM_BASE];
  wire [15:0] vset_out_step = held[`TANDEM_F_OUT_STEP];

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      held_valid <= 1'b0;
      for (int u = 0; u < `TANDEM_NUM_UNITS; u++) unit_ports[u] <= '0;
      zp_a <= '0;
      zp_b <= '0;
      zp_out <= '0;
      clamp_lo <= -8'sd128;
      clamp_hi <= 8'sd127;
      m_a <= '0;
      m_b <= '0;
      col_step <= '0;
      param_base <= '0;
      out_step <= '0;
    end else begin
      if (insn_ready) begin
        held_valid <= insn_valid;
        if (insn_valid) held <= insn;
      end
      if (dispatch && unit != 2'(`TANDEM_NUM_UNITS) && unit != 2'(`TANDEM_UNIT_ARRAY))
        unit_ports[unit] <= ports;
      if (dispatch && opcode == `TANDEM_OP_VSET) begin
        zp_a <= vset_zp_a;
        zp_b <= vset_zp_b;
        zp_out <= vset_zp_out;
        clamp_lo <= vset_clamp_lo;
        clamp_hi <= vset_clamp_hi;
        m_a <= vset_m_a;
        m_b <= vset_m_b;
        col_step <= vset_col_step;
        param_base <= vset_param_base;
        out_step <= vset_out_step;
      end
    end
  end
endmodule
