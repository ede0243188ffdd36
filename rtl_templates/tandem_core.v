// tandem_core: the accelerator (docs/isa.md): controller, DMA, systolic-array unit, vector
// unit, four scratchpads and the activity counters. The generator wraps it in `tandem_top`
// with one configuration's values; nothing here is specific to one configuration.
`include "tandem_isa.vh"

module tandem_core #(
    parameter int ROWS = 16,
    parameter int COLS = 16,
    parameter int DATAFLOW = 0,     // 0 weight-stationary, 1 output-stationary
    parameter bit OUTPUT_REQUANTIZER = 1,  // pipelined requantizer at the array's output
    parameter int LANES = 16,
    parameter int DW_KERNEL = 5,    // largest kernel of the vector unit's sliding-window DWCONV
    parameter int BPC = 16,         // DRAM bytes per cycle
    parameter int BANKS = 4,
    parameter int IBUF_DEPTH = 4096,  // words
    parameter int WBUF_DEPTH = 4096,
    parameter int OBUF_DEPTH = 1024,
    parameter int PARAM_DEPTH = 32,
    // PEs whose multiplier is built in logic instead of a DSP block (FPGAs short of DSPs).
    parameter int LOGIC_MULTIPLIERS = 0,
    // 1: the requantizers form the 32x32 product in two halves (100 MHz on sky130 cells); 0:
    // whole (fewer LUTs on a small FPGA). Same cycles either way.
    parameter bit SPLIT_PRODUCT = 1,
    // The requantizers' pipeline stages (the configuration's requant_latency, 5..8).
    parameter int REQUANT_LATENCY = 5,
    // 1: all activity counters (docs/isa.md), what co-simulation and energy need. 0: only
    // `cycles` (other addresses read 0), for deployments that do not measure activity: the
    // 23 other 64-bit counters and their read mux are a third of a small FPGA build. `cycles`
    // is then 32 bits wide (the upper word reads 0).
    parameter bit ACTIVITY_COUNTERS = 1
) (
    input  logic                      clk,
    input  logic                      rst_n,
    input  logic                      insn_valid,
    output logic                      insn_ready,
    input  logic [             127:0] insn,
    output logic                      idle,
    output logic [               2:0] unit_busy,
    input  logic [               4:0] csr_addr,
    output logic [              63:0] csr_rdata,
    output logic                      mem_req_valid,
    input  logic                      mem_req_ready,
    output logic                      mem_req_write,
    output logic [              31:0] mem_req_addr,
    output logic [$clog2(BPC+1)-1:0]  mem_req_len,
    output logic [         8*BPC-1:0] mem_req_wdata,
    input  logic                      mem_resp_valid,
    input  logic [         8*BPC-1:0] mem_resp_rdata
);
  function automatic int address_bits(input int depth);
    address_bits = depth > 1 ? $clog2(depth) : 1;
  endfunction
  localparam int IbufAw = address_bits(IBUF_DEPTH);
  localparam int WbufAw = address_bits(WBUF_DEPTH);
  localparam int ObufAw = address_bits(OBUF_DEPTH);
  localparam int ParamAw = address_bits(PARAM_DEPTH);
  localparam int IbufBytes = ROWS, WbufBytes = COLS, ObufBytes = 4 * COLS, ParamBytes = 12;
  localparam int MaxAw = IbufAw > WbufAw ? (IbufAw > ObufAw ? IbufAw : ObufAw)
                                         : (WbufAw > ObufAw ? WbufAw : ObufAw);
  localparam int DmaAw = MaxAw > ParamAw ? MaxAw : ParamAw;
  // The widest word the DMA moves (WBUF words are never wider than OBUF words).
  localparam int WideBytes = ObufBytes > IbufBytes ? ObufBytes : IbufBytes;
  localparam int MaxBytes = WideBytes > ParamBytes ? WideBytes : ParamBytes;
  // Words per DRAM request ("group", tandem_dma.v): the largest power of two <= BANKS whose
  // words fit BPC bytes. A buffer's port is as many words wide as its largest group; PARAM
  // (one bank) moves a word at a time. Mirrored by dma_group_words (core/accelerator_geometry.h).
  function automatic int group_words(input int word_bytes);
    group_words = 1;
    while (group_words * 2 <= BANKS && group_words * 2 * word_bytes <= BPC)
      group_words = group_words * 2;
  endfunction
  localparam int IbufGroup = group_words(IbufBytes), WbufGroup = group_words(WbufBytes);
  localparam int ObufGroup = group_words(ObufBytes), NarrowGroup = group_words(COLS);
  localparam int MaxGroup = IbufGroup > WbufGroup ? (IbufGroup > NarrowGroup ? IbufGroup : NarrowGroup)
                                                  : (WbufGroup > NarrowGroup ? WbufGroup : NarrowGroup);
  // The widest port (its words side by side), as the DMA reads it.
  function automatic int max3(input int a, input int b, input int c);
    max3 = a > b ? (a > c ? a : c) : (b > c ? b : c);
  endfunction
  localparam int RdataBytes = max3(IbufGroup * IbufBytes, WbufGroup * WbufBytes,
                                   max3(NarrowGroup * ObufBytes, MaxBytes, 0));

  // ---------------- controller ----------------
  logic [2:0] unit_start, blocked_by;
  logic array_ready_loadw, array_ready_matmul;
  logic [7:0] array_ports;
  logic [127:0] op;
  logic holding, dispatch;
  logic signed [7:0] zp_a, zp_b, zp_out, clamp_lo, clamp_hi;
  logic signed [15:0] m_a, m_b;
  logic [15:0] col_step, param_base, out_step;

  tandem_controller #(
      .DATAFLOW(DATAFLOW), .OUTPUT_REQUANTIZER(OUTPUT_REQUANTIZER)
  ) controller (
      .clk(clk), .rst_n(rst_n),
      .insn_valid(insn_valid), .insn_ready(insn_ready), .insn(insn),
      .unit_busy(unit_busy), .array_ready_loadw(array_ready_loadw),
      .array_ready_matmul(array_ready_matmul), .array_ports(array_ports),
      .unit_start(unit_start), .dispatched(op),
      .holding(holding), .dispatch(dispatch), .blocked_by(blocked_by),
      .zp_a(zp_a), .zp_b(zp_b), .zp_out(zp_out), .clamp_lo(clamp_lo), .clamp_hi(clamp_hi),
      .m_a(m_a), .m_b(m_b), .col_step(col_step), .param_base(param_base), .out_step(out_step)
  );
  assign idle = !holding && unit_busy == 3'b000;

  // ---------------- scratchpad port signals ----------------
  logic param_we, param_re;
  logic [IbufAw-1:0] ibuf_waddr, ibuf_raddr;
  logic [WbufAw-1:0] wbuf_waddr, wbuf_raddr;
  logic [ObufAw-1:0] obuf_waddr, obuf_raddr;
  logic [ParamAw-1:0] param_waddr, param_raddr;
  // Ports are several words wide for the DMA (lanes, masks); the units use lane 0.
  logic [IbufGroup-1:0] ibuf_wmask, ibuf_rmask;
  logic [WbufGroup-1:0] wbuf_wmask, wbuf_rmask;
  logic [NarrowGroup-1:0] obuf_wmask, obuf_rmask;
  logic [8*IbufBytes*IbufGroup-1:0] ibuf_wdata, ibuf_rlanes;
  logic [8*WbufBytes*WbufGroup-1:0] wbuf_wdata, wbuf_rlanes;
  logic [8*ObufBytes*NarrowGroup-1:0] obuf_wdata, obuf_rlanes;
  logic [8*ParamBytes-1:0] param_wdata, param_rdata;
  wire [8*IbufBytes-1:0] ibuf_rdata = ibuf_rlanes[8*IbufBytes-1:0];
  wire [8*WbufBytes-1:0] wbuf_rdata = wbuf_rlanes[8*WbufBytes-1:0];
  wire [8*ObufBytes-1:0] obuf_rdata = obuf_rlanes[8*ObufBytes-1:0];

  // ---------------- DMA ----------------
  localparam int EntryBytes = MaxBytes > BPC ? MaxBytes : BPC;  // tandem_dma.v ENTRY_BYTES
  logic dma_we, dma_re;
  logic [MaxGroup-1:0] dma_wmask, dma_rmask;
  logic [2:0] dma_buf;
  logic [DmaAw-1:0] dma_waddr, dma_raddr;
  /* verilator lint_off UNUSEDSIGNAL */  // bytes past every buffer's widest group: padding
  logic [8*EntryBytes-1:0] dma_wdata;
  /* verilator lint_on UNUSEDSIGNAL */
  logic [8*RdataBytes-1:0] dma_rdata;

  tandem_dma #(
      .BPC(BPC), .IBUF_BYTES(IbufBytes), .WBUF_BYTES(WbufBytes), .OBUF_BYTES(ObufBytes),
      .PARAM_BYTES(ParamBytes), .NARROW_BYTES(COLS), .IBUF_GROUP(IbufGroup),
      .WBUF_GROUP(WbufGroup), .OBUF_GROUP(ObufGroup), .NARROW_GROUP(NarrowGroup),
      .MAX_GROUP(MaxGroup), .AW(DmaAw), .MAX_BYTES(MaxBytes), .RDATA_BYTES(RdataBytes),
      .ENTRY_BYTES(EntryBytes)
  ) dma (
      .clk(clk), .rst_n(rst_n), .start(unit_start[`TANDEM_UNIT_DMA]),
      .store(op[`TANDEM_F_OPCODE] == `TANDEM_OP_STORE), .buf_id(op[`TANDEM_F_BUF]),
      .narrow(op[`TANDEM_F_OPCODE] == `TANDEM_OP_STORE && op[`TANDEM_F_NARROW]),
      .sp_addr(op[`TANDEM_F_SP_ADDR]),
      .dram_addr(op[`TANDEM_F_DRAM_ADDR]), .rows(op[`TANDEM_F_ROWS]),
      .row_words(op[`TANDEM_F_ROW_WORDS]), .dram_pitch(op[`TANDEM_F_DRAM_PITCH]),
      .busy(unit_busy[`TANDEM_UNIT_DMA]),
      .sp_we(dma_we), .sp_wmask(dma_wmask), .sp_buf(dma_buf), .sp_waddr(dma_waddr),
      .sp_wdata(dma_wdata), .sp_re(dma_re), .sp_rmask(dma_rmask), .sp_raddr(dma_raddr),
      .sp_rdata(dma_rdata),
      .mem_req_valid(mem_req_valid), .mem_req_ready(mem_req_ready),
      .mem_req_write(mem_req_write), .mem_req_addr(mem_req_addr), .mem_req_len(mem_req_len),
      .mem_req_wdata(mem_req_wdata), .mem_resp_valid(mem_resp_valid),
      .mem_resp_rdata(mem_resp_rdata)
  );
  always_comb begin
    case (dma_buf)
      `TANDEM_BUF_IBUF: dma_rdata = (8 * RdataBytes)'(ibuf_rlanes);
      `TANDEM_BUF_WBUF: dma_rdata = (8 * RdataBytes)'(wbuf_rlanes);
      `TANDEM_BUF_OBUF: dma_rdata = (8 * RdataBytes)'(obuf_rlanes);
      default:          dma_rdata = (8 * RdataBytes)'(param_rdata);
    endcase
  end

  // ---------------- systolic-array unit ----------------
  logic array_ibuf_re, array_wbuf_re, array_obuf_re, array_obuf_we;
  logic [IbufAw-1:0] array_ibuf_raddr;
  logic [WbufAw-1:0] array_wbuf_raddr;
  logic [ObufAw-1:0] array_obuf_raddr, array_obuf_waddr;
  logic [8*ObufBytes-1:0] array_obuf_wdata;
  logic [31:0] macs, zero_macs, requant_ops;
  logic array_param_re;
  logic [ParamAw-1:0] array_param_raddr;
  wire is_matmul = op[`TANDEM_F_OPCODE] == `TANDEM_OP_MATMUL;

  tandem_array_unit #(
      .ROWS(ROWS), .COLS(COLS), .DATAFLOW(DATAFLOW), .LOGIC_MULTIPLIERS(LOGIC_MULTIPLIERS),
      .OUTPUT_REQUANTIZER(OUTPUT_REQUANTIZER), .SPLIT_PRODUCT(SPLIT_PRODUCT),
      .REQUANT_LATENCY(REQUANT_LATENCY), .PARAM_AW(ParamAw),
      .IBUF_AW(IbufAw), .WBUF_AW(WbufAw), .OBUF_AW(ObufAw)
  ) array_unit (
      .clk(clk), .rst_n(rst_n), .start(unit_start[`TANDEM_UNIT_ARRAY]),
      .is_matmul(is_matmul),
      .acc(op[`TANDEM_F_ACC]), .requant(op[`TANDEM_F_REQUANT]), .param_base(param_base),
      .zp_out(zp_out), .clamp_lo(clamp_lo), .clamp_hi(clamp_hi), .a_addr(op[`TANDEM_F_A_ADDR]),
      .b_addr(is_matmul ? op[`TANDEM_F_B_ADDR] : op[`TANDEM_F_W_ADDR]),
      .c_addr(op[`TANDEM_F_C_ADDR]), .len(op[`TANDEM_F_LEN]), .a_stride(op[`TANDEM_F_A_STRIDE]),
      .busy(unit_busy[`TANDEM_UNIT_ARRAY]), .ready_loadw(array_ready_loadw),
      .ready_matmul(array_ready_matmul), .ports(array_ports),
      .ibuf_re(array_ibuf_re), .ibuf_raddr(array_ibuf_raddr), .ibuf_rdata(ibuf_rdata),
      .wbuf_re(array_wbuf_re), .wbuf_raddr(array_wbuf_raddr), .wbuf_rdata(wbuf_rdata),
      .obuf_re(array_obuf_re), .obuf_raddr(array_obuf_raddr), .obuf_rdata(obuf_rdata),
      .obuf_we(array_obuf_we), .obuf_waddr(array_obuf_waddr), .obuf_wdata(array_obuf_wdata),
      .param_re(array_param_re), .param_raddr(array_param_raddr), .param_rdata(param_rdata),
      .macs(macs), .zero_macs(zero_macs), .requant_ops(requant_ops)
  );

  // ---------------- vector unit ----------------
  logic vec_ibuf_re, vec_ibuf_we, vec_obuf_re, vec_obuf_we, vec_param_re;
  logic [IbufAw-1:0] vec_ibuf_raddr, vec_ibuf_waddr;
  logic [ObufAw-1:0] vec_obuf_raddr, vec_obuf_waddr;
  logic [ParamAw-1:0] vec_param_raddr;
  logic [8*IbufBytes-1:0] vec_ibuf_wdata;
  logic [8*ObufBytes-1:0] vec_obuf_wdata;
  logic [$clog2(LANES+DW_KERNEL*ROWS+1)-1:0] lane_ops;

  tandem_vector_unit #(
      .IBUF_ELEMS(ROWS), .OBUF_ELEMS(COLS), .LANES(LANES),
      .IBUF_AW(IbufAw), .OBUF_AW(ObufAw), .PARAM_AW(ParamAw), .DW_KERNEL(DW_KERNEL),
      .SPLIT_PRODUCT(SPLIT_PRODUCT), .REQUANT_LATENCY(REQUANT_LATENCY)
  ) vector_unit (
      .clk(clk), .rst_n(rst_n), .start(unit_start[`TANDEM_UNIT_VECTOR]),
      .vop(op[`TANDEM_F_VOP]), .to_obuf(op[`TANDEM_F_TO_OBUF]), .src(op[`TANDEM_F_SRC]), .src2(op[`TANDEM_F_SRC2]),
      .dst(op[`TANDEM_F_DST]), .count(op[`TANDEM_F_COUNT]), .kh(op[`TANDEM_F_KH]),
      .kw(op[`TANDEM_F_KW]), .row_pitch(op[`TANDEM_F_ROW_PITCH]), .stride(op[`TANDEM_F_STRIDE]),
      .zp_a(zp_a), .zp_b(zp_b), .zp_out(zp_out), .clamp_lo(clamp_lo), .clamp_hi(clamp_hi),
      .m_a(m_a), .m_b(m_b), .col_step(col_step), .param_base(param_base), .out_step(out_step),
      .busy(unit_busy[`TANDEM_UNIT_VECTOR]),
      .ibuf_re(vec_ibuf_re), .ibuf_raddr(vec_ibuf_raddr), .ibuf_rdata(ibuf_rdata),
      .ibuf_we(vec_ibuf_we), .ibuf_waddr(vec_ibuf_waddr), .ibuf_wdata(vec_ibuf_wdata),
      .obuf_re(vec_obuf_re), .obuf_raddr(vec_obuf_raddr), .obuf_rdata(obuf_rdata),
      .obuf_we(vec_obuf_we), .obuf_waddr(vec_obuf_waddr), .obuf_wdata(vec_obuf_wdata),
      .param_re(vec_param_re), .param_raddr(vec_param_raddr), .param_rdata(param_rdata),
      .lane_ops(lane_ops)
  );

  // ---------------- port multiplexing ----------------
  // The controller never lets two running units share a port, so each mux picks the one
  // client that is active.
  wire dma_ibuf = dma_buf == `TANDEM_BUF_IBUF, dma_wbuf = dma_buf == `TANDEM_BUF_WBUF;
  wire dma_obuf = dma_buf == `TANDEM_BUF_OBUF, dma_param = dma_buf == `TANDEM_BUF_PARAM;

  // A unit's access is lane 0 alone; the DMA's, the lanes of its group.
  wire [IbufGroup-1:0] dma_ibuf_w = dma_we && dma_ibuf ? IbufGroup'(dma_wmask) : '0;
  wire [IbufGroup-1:0] dma_ibuf_r = dma_re && dma_ibuf ? IbufGroup'(dma_rmask) : '0;
  wire [WbufGroup-1:0] dma_wbuf_w = dma_we && dma_wbuf ? WbufGroup'(dma_wmask) : '0;
  wire [WbufGroup-1:0] dma_wbuf_r = dma_re && dma_wbuf ? WbufGroup'(dma_rmask) : '0;
  wire [NarrowGroup-1:0] dma_obuf_w = dma_we && dma_obuf ? NarrowGroup'(dma_wmask) : '0;
  wire [NarrowGroup-1:0] dma_obuf_r = dma_re && dma_obuf ? NarrowGroup'(dma_rmask) : '0;

  assign ibuf_wmask = vec_ibuf_we ? IbufGroup'(1) : dma_ibuf_w;
  assign ibuf_waddr = vec_ibuf_we ? vec_ibuf_waddr : IbufAw'(dma_waddr);
  assign ibuf_wdata = vec_ibuf_we ? (8 * IbufBytes * IbufGroup)'(vec_ibuf_wdata)
                                  : dma_wdata[8*IbufBytes*IbufGroup-1:0];
  assign ibuf_rmask = array_ibuf_re || vec_ibuf_re ? IbufGroup'(1) : dma_ibuf_r;
  assign ibuf_raddr = array_ibuf_re ? array_ibuf_raddr
                    : vec_ibuf_re ? vec_ibuf_raddr : IbufAw'(dma_raddr);

  assign wbuf_wmask = dma_wbuf_w;
  assign wbuf_waddr = WbufAw'(dma_waddr);
  assign wbuf_wdata = dma_wdata[8*WbufBytes*WbufGroup-1:0];
  assign wbuf_rmask = array_wbuf_re ? WbufGroup'(1) : dma_wbuf_r;
  assign wbuf_raddr = array_wbuf_re ? array_wbuf_raddr : WbufAw'(dma_raddr);

  assign obuf_wmask = array_obuf_we || vec_obuf_we ? NarrowGroup'(1) : dma_obuf_w;
  assign obuf_waddr = array_obuf_we ? array_obuf_waddr
                    : vec_obuf_we ? vec_obuf_waddr : ObufAw'(dma_waddr);
  assign obuf_wdata = array_obuf_we ? (8 * ObufBytes * NarrowGroup)'(array_obuf_wdata)
                    : vec_obuf_we ? (8 * ObufBytes * NarrowGroup)'(vec_obuf_wdata)
                    : (8 * ObufBytes * NarrowGroup)'(dma_wdata);
  assign obuf_rmask = array_obuf_re || vec_obuf_re ? NarrowGroup'(1) : dma_obuf_r;
  assign obuf_raddr = array_obuf_re ? array_obuf_raddr
                    : vec_obuf_re ? vec_obuf_raddr : ObufAw'(dma_raddr);

  assign param_we = dma_we && dma_param;
  assign param_waddr = ParamAw'(dma_waddr);
  assign param_wdata = dma_wdata[8*ParamBytes-1:0];
  assign param_re = array_param_re || vec_param_re || (dma_re && dma_param);
  assign param_raddr = array_param_re ? array_param_raddr
                     : vec_param_re ? vec_param_raddr : ParamAw'(dma_raddr);

  tandem_scratchpad #(.WORD_BITS(8 * IbufBytes), .DEPTH(IBUF_DEPTH), .BANKS(BANKS),
                      .PORT_WORDS(IbufGroup), .AW(IbufAw))
      ibuf (.clk(clk), .wmask(ibuf_wmask), .waddr(ibuf_waddr), .wdata(ibuf_wdata),
            .rmask(ibuf_rmask), .raddr(ibuf_raddr), .rdata(ibuf_rlanes));
  tandem_scratchpad #(.WORD_BITS(8 * WbufBytes), .DEPTH(WBUF_DEPTH), .BANKS(BANKS),
                      .PORT_WORDS(WbufGroup), .AW(WbufAw))
      wbuf (.clk(clk), .wmask(wbuf_wmask), .waddr(wbuf_waddr), .wdata(wbuf_wdata),
            .rmask(wbuf_rmask), .raddr(wbuf_raddr), .rdata(wbuf_rlanes));
  tandem_scratchpad #(.WORD_BITS(8 * ObufBytes), .DEPTH(OBUF_DEPTH), .BANKS(BANKS),
                      .PORT_WORDS(NarrowGroup), .AW(ObufAw))
      obuf (.clk(clk), .wmask(obuf_wmask), .waddr(obuf_waddr), .wdata(obuf_wdata),
            .rmask(obuf_rmask), .raddr(obuf_raddr), .rdata(obuf_rlanes));
  // PARAM is small and read one entry at a time: one bank.
  tandem_scratchpad #(.WORD_BITS(8 * ParamBytes), .DEPTH(PARAM_DEPTH), .BANKS(1), .AW(ParamAw))
      param (.clk(clk), .wmask(param_we), .waddr(param_waddr), .wdata(param_wdata),
             .rmask(param_re), .raddr(param_raddr), .rdata(param_rdata));

  // ---------------- activity counters ----------------
  if (ACTIVITY_COUNTERS) begin : g_counters
    // Each counter is a pending increment, a LowBits-bit low part and a high part: the cycle's
    // increment is registered first (the buffer masks, MAC and zero-operand counts arrive late
    // in the cycle), the low part adds it a cycle later, and the high part takes the low part's
    // carry a cycle after that: no wide add follows a late signal. The read adds what is still
    // pending, so every counter reads the activity of all cycles so far. Increments are below
    // 2^LowBits (at most R*C MACs).
    localparam int LowBits = 20;
    localparam int N = `TANDEM_NUM_COUNTERS;
    logic [LowBits-1:0] inc[N];
    logic [LowBits-1:0] pending[N];
    logic [LowBits-1:0] low[N];
    logic [63-LowBits:0] high[N];
    logic [N-1:0] carry;
    wire stalled = holding && !dispatch;
    wire req_fire = mem_req_valid && mem_req_ready;
    wire [LowBits-1:0] req_bytes = LowBits'(mem_req_len);
    /* verilator lint_off UNUSEDSIGNAL */  // per-cycle counts never reach 2^LowBits
    wire unused_count_bits = ^{macs[31:LowBits], zero_macs[31:LowBits], requant_ops[31:LowBits]};
    /* verilator lint_on UNUSEDSIGNAL */

    always_comb begin
      for (int k = 0; k < N; k++) inc[k] = '0;
      inc[`TANDEM_CSR_CYCLES] = 1;
      inc[`TANDEM_CSR_IDLE_CYCLES] = LowBits'(idle);
      inc[`TANDEM_CSR_DISPATCH_STALL_CYCLES] = LowBits'(stalled);
      inc[`TANDEM_CSR_DMA_BUSY_CYCLES] = LowBits'(unit_busy[`TANDEM_UNIT_DMA]);
      inc[`TANDEM_CSR_ARRAY_BUSY_CYCLES] = LowBits'(unit_busy[`TANDEM_UNIT_ARRAY]);
      inc[`TANDEM_CSR_VECTOR_BUSY_CYCLES] = LowBits'(unit_busy[`TANDEM_UNIT_VECTOR]);
      inc[`TANDEM_CSR_MACS] = LowBits'(macs);
      inc[`TANDEM_CSR_ZERO_OPERAND_MACS] = LowBits'(zero_macs);
      inc[`TANDEM_CSR_IBUF_READS] = LowBits'($countones(ibuf_rmask));
      inc[`TANDEM_CSR_IBUF_WRITES] = LowBits'($countones(ibuf_wmask));
      inc[`TANDEM_CSR_WBUF_READS] = LowBits'($countones(wbuf_rmask));
      inc[`TANDEM_CSR_WBUF_WRITES] = LowBits'($countones(wbuf_wmask));
      inc[`TANDEM_CSR_OBUF_READS] = LowBits'($countones(obuf_rmask));
      inc[`TANDEM_CSR_OBUF_WRITES] = LowBits'($countones(obuf_wmask));
      inc[`TANDEM_CSR_PARAM_READS] = LowBits'(param_re);
      inc[`TANDEM_CSR_PARAM_WRITES] = LowBits'(param_we);
      if (req_fire && !mem_req_write) inc[`TANDEM_CSR_DRAM_READ_BYTES] = req_bytes;
      if (req_fire && mem_req_write) inc[`TANDEM_CSR_DRAM_WRITE_BYTES] = req_bytes;
      inc[`TANDEM_CSR_VECTOR_LANE_OPS] = LowBits'(lane_ops);
      inc[`TANDEM_CSR_REQUANTIZER_OPS] = LowBits'(requant_ops);
      inc[`TANDEM_CSR_INSTRUCTIONS] = LowBits'(dispatch);
      if (stalled && blocked_by[`TANDEM_UNIT_DMA]) inc[`TANDEM_CSR_STALL_ON_DMA_CYCLES] = 1;
      else if (stalled && blocked_by[`TANDEM_UNIT_ARRAY]) inc[`TANDEM_CSR_STALL_ON_ARRAY_CYCLES] = 1;
      else if (stalled && blocked_by[`TANDEM_UNIT_VECTOR]) inc[`TANDEM_CSR_STALL_ON_VECTOR_CYCLES] = 1;
    end

    logic [LowBits:0] low_sum[N];
    always_comb begin
      for (int k = 0; k < N; k++) low_sum[k] = {1'b0, low[k]} + {1'b0, pending[k]};
    end

    always_ff @(posedge clk) begin
      for (int k = 0; k < N; k++) begin
        if (!rst_n) begin
          pending[k] <= '0;
          low[k] <= '0;
          high[k] <= '0;
          carry[k] <= 1'b0;
        end else begin
          // (no concatenation on the left: Icarus 11 updates such array elements at once)
          pending[k] <= inc[k];
          low[k] <= low_sum[k][LowBits-1:0];
          carry[k] <= low_sum[k][LowBits];
          high[k] <= high[k] + (64-LowBits)'(carry[k]);
        end
      end
    end
    wire in_range = 32'(csr_addr) < N;
    wire [$clog2(N)-1:0] k_read = in_range ? $clog2(N)'(csr_addr) : '0;
    wire [63:0] read_value = {high[k_read], low[k_read]} + {(64-LowBits)'(carry[k_read]), LowBits'(0)} +
                             64'(pending[k_read]);
    assign csr_rdata = in_range ? read_value : 64'd0;
  end else begin : g_cycles_only
    // 32 bits: wraps after 2^32 cycles (3 minutes at 24 MHz); half the cells of 64 on an FPGA.
    logic [31:0] cycles;
    always_ff @(posedge clk) begin
      if (!rst_n) cycles <= '0;
      else cycles <= cycles + 1;
    end
    assign csr_rdata = csr_addr == 5'(`TANDEM_CSR_CYCLES) ? {32'd0, cycles} : 64'd0;
    // The activity the dropped counters would count.
    /* verilator lint_off UNUSEDSIGNAL */
    wire unused_activity = ^{macs, zero_macs, requant_ops, lane_ops, blocked_by, dispatch};
    /* verilator lint_on UNUSEDSIGNAL */
  end
endmodule
