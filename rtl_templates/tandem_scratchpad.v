// tandem_scratchpad: one on-chip buffer of DEPTH words, split into BANKS banks interleaved by
// the low address bits. Each bank is a plain memory with one write port and one registered read
// port, the shape synthesis maps to block RAM or an SRAM macro. Reads return data the cycle
// after `re`. Addresses at or beyond DEPTH are not stored and read as zero. With
// `define TANDEM_SRAM_MACRO each bank is a tandem_sram_wrapper instance instead (a user's macro).
//
// A port moves up to PORT_WORDS consecutive words per cycle (PORT_WORDS <= BANKS, a power of
// two): word i of the port is address addr + i, lane i of wdata/rdata, enabled by bit i of the
// mask. Consecutive addresses lie in different banks, so every bank still sees at most one read
// and one write per cycle. The DMA uses the lanes to move a whole DRAM request per cycle; the
// other units use lane 0.
module tandem_scratchpad #(
    parameter int WORD_BITS = 32,
    parameter int DEPTH = 256,
    parameter int BANKS = 1,
    parameter int PORT_WORDS = 1,
    parameter int AW = 8
) (
    input  logic                            clk,
    input  logic [           PORT_WORDS-1:0] wmask,
    input  logic [                   AW-1:0] waddr,
    input  logic [PORT_WORDS*WORD_BITS-1:0] wdata,
    input  logic [           PORT_WORDS-1:0] rmask,
    input  logic [                   AW-1:0] raddr,
    output logic [PORT_WORDS*WORD_BITS-1:0] rdata
);
  localparam int BankBits = $clog2(BANKS);
  localparam int BankDepth = (DEPTH + BANKS - 1) / BANKS;
  localparam int RowBits = (AW - BankBits) > 0 ? (AW - BankBits) : 1;
  localparam int SelBits = BankBits > 0 ? BankBits : 1;

  logic [WORD_BITS-1:0] bank_rdata[BANKS];

  // The lane whose address falls in bank b: (b - addr) mod BANKS, when that is a lane.
  // (Differences of SelBits-bit values wrap modulo BANKS, a power of two.)
  function automatic logic [SelBits-1:0] lane_of(input logic [SelBits-1:0] b, input logic [SelBits-1:0] bank);
    lane_of = BANKS == 1 ? '0 : b - bank;
  endfunction
  function automatic logic lane_on(input logic [SelBits-1:0] lane, input logic [PORT_WORDS-1:0] mask);
    lane_on = 32'(lane) < PORT_WORDS && mask[32'(lane) % PORT_WORDS];
  endfunction

  genvar b;
  generate
    for (b = 0; b < BANKS; b++) begin : g_bank
      wire [SelBits-1:0] wlane = lane_of(SelBits'(b), waddr[SelBits-1:0]), rlane = lane_of(SelBits'(b), raddr[SelBits-1:0]);
      // The addresses this bank sees (AW bits: addresses wrap at the port width).
      wire [AW-1:0] bank_waddr = waddr + AW'(wlane), bank_raddr = raddr + AW'(rlane);
      wire [RowBits-1:0] wrow = RowBits'(bank_waddr >> BankBits);
      wire [RowBits-1:0] rrow = RowBits'(bank_raddr >> BankBits);
      wire wsel = lane_on(wlane, wmask) && 32'(bank_waddr) < DEPTH;
      wire rsel = lane_on(rlane, rmask);
      wire [WORD_BITS-1:0] bank_wdata = wdata[WORD_BITS*(32'(wlane) % PORT_WORDS) +: WORD_BITS];
`ifdef TANDEM_SRAM_MACRO
      // A user's SRAM macro behind tandem_sram_wrapper (docs/handoff.md): same ports, one
      // write and one registered read per cycle.
      tandem_sram_wrapper #(
          .WIDTH(WORD_BITS), .DEPTH(BankDepth), .AW(RowBits)
      ) bank (
          .clk(clk), .we(wsel), .waddr(wrow), .wdata(bank_wdata),
          .re(rsel), .raddr(rrow), .rdata(bank_rdata[b])
      );
`else
      // Block RAM even when small (PARAM): as flip-flops a bank costs an FPGA one cell per bit.
      // no_rw_check: a read and a write of the same word in one cycle may return either value,
      // as in block RAM and SRAM macros; otherwise synthesis adds a bypass register and
      // comparator per bank. tandem's units never do that (checked below in simulation).
      (* ram_style = "block", no_rw_check *) logic [WORD_BITS-1:0] mem[BankDepth];
      always_ff @(posedge clk) begin
        if (wsel) mem[wrow] <= bank_wdata;
        if (rsel) bank_rdata[b] <= mem[rrow];
      end
`endif
`ifndef SYNTHESIS
      // The contract that makes no_rw_check safe: every simulation stops if it is broken.
      always @(posedge clk) begin
        if (wsel && rsel && wrow == rrow)
          $fatal(1, "tandem_scratchpad %m: read and write of word %0d in one cycle", bank_waddr);
      end
`endif
    end
  endgenerate

  // Lane i reads address raddr + i from bank (raddr + i) mod BANKS, returned the next cycle
  // (an OR of masked bank words: no block reads back its output).
  for (genvar i = 0; i < PORT_WORDS; i++) begin : g_lane
    wire [AW-1:0] addr = raddr + AW'(i);
    logic [BANKS-1:0] bank_q;  // one-hot bank of the lane's read in flight, zero if none
    always_ff @(posedge clk) begin
      for (int k = 0; k < BANKS; k++)
        bank_q[k] <= rmask[i] && 32'(addr) < DEPTH && (BANKS == 1 || 32'(addr[SelBits-1:0]) == k);
    end
    for (genvar k = 0; k < BANKS; k++) begin : g_mux
      logic [WORD_BITS-1:0] masked;
      if (k == 0) begin : g_first
        assign masked = bank_q[k] ? bank_rdata[k] : '0;
      end else begin : g_next
        assign masked = g_mux[k-1].masked | (bank_q[k] ? bank_rdata[k] : '0);
      end
    end
    assign rdata[WORD_BITS*i +: WORD_BITS] = g_mux[BANKS-1].masked;
  end
endmodule
