// tandem_scratchpad: one on-chip buffer of DEPTH words, split into BANKS banks interleaved by
// the low address bits. Each bank is a plain memory with one write port and one registered read
// port, the shape synthesis maps to block RAM or an SRAM macro. Reads return data the cycle
// after `re`. Addresses at or beyond DEPTH are not stored and read as zero. With
// `define TANDEM_SRAM_MACRO each bank is a tandem_sram_wrapper instance instead (a user's macro).
module tandem_scratchpad #(
    parameter int WORD_BITS = 32,
    parameter int DEPTH = 256,
    parameter int BANKS = 1,
    parameter int AW = 8
) (
    input  logic                 clk,
    input  logic                 we,
    input  logic [       AW-1:0] waddr,
    input  logic [WORD_BITS-1:0] wdata,
    input  logic                 re,
    input  logic [       AW-1:0] raddr,
    output logic [WORD_BITS-1:0] rdata
);
  localparam int BankBits = $clog2(BANKS);
  localparam int BankDepth = (DEPTH + BANKS - 1) / BANKS;
  localparam int RowBits = (AW - BankBits) > 0 ? (AW - BankBits) : 1;

  logic [WORD_BITS-1:0] bank_rdata[BANKS];
  logic [BANKS-1:0] read_bank_q;  // one-hot bank of the read in flight, zero if out of range

  genvar b;
  generate
    for (b = 0; b < BANKS; b++) begin : g_bank
      logic [RowBits-1:0] wrow, rrow;
      logic wsel, rsel;
      if (BANKS == 1) begin : g_single
        assign wrow = RowBits'(waddr);
        assign rrow = RowBits'(raddr);
        assign wsel = 1'b1;
        assign rsel = 1'b1;
      end else begin : g_interleaved
        assign wrow = RowBits'(waddr >> BankBits);
        assign rrow = RowBits'(raddr >> BankBits);
        assign wsel = waddr[BankBits-1:0] == BankBits'(b);
        assign rsel = raddr[BankBits-1:0] == BankBits'(b);
      end
`ifdef TANDEM_SRAM_MACRO
      // A user's SRAM macro behind tandem_sram_wrapper (docs/handoff.md): same ports, one
      // write and one registered read per cycle.
      tandem_sram_wrapper #(
          .WIDTH(WORD_BITS), .DEPTH(BankDepth), .AW(RowBits)
      ) bank (
          .clk(clk), .we(we && wsel && 32'(waddr) < DEPTH), .waddr(wrow), .wdata(wdata),
          .re(re && rsel), .raddr(rrow), .rdata(bank_rdata[b])
      );
`else
      // Block RAM even when small (PARAM): as flip-flops a bank costs an FPGA one cell per bit.
      // no_rw_check: a read and a write of the same word in one cycle may return either value,
      // as in block RAM and SRAM macros; otherwise synthesis adds a bypass register and
      // comparator per bank. tandem's units never do that (checked below in simulation).
      (* ram_style = "block", no_rw_check *) logic [WORD_BITS-1:0] mem[BankDepth];
      always_ff @(posedge clk) begin
        if (we && wsel && 32'(waddr) < DEPTH) mem[wrow] <= wdata;
        if (re && rsel) bank_rdata[b] <= mem[rrow];
      end
`endif
      always_ff @(posedge clk) read_bank_q[b] <= re && rsel && 32'(raddr) < DEPTH;
`ifndef SYNTHESIS
      // The contract that makes no_rw_check safe: every simulation stops if it is broken.
      always @(posedge clk) begin
        if (we && wsel && re && rsel && wrow == rrow && 32'(waddr) < DEPTH)
          $fatal(1, "tandem_scratchpad %m: read and write of word %0d in one cycle", waddr);
      end
`endif
    end
  endgenerate

  // The bank whose read is in flight (an OR of masked words: no block reads back its output).
  for (genvar k = 0; k < BANKS; k++) begin : g_read_mux
    logic [WORD_BITS-1:0] masked;
    if (k == 0) begin : g_first
      assign masked = read_bank_q[k] ? bank_rdata[k] : '0;
    end else begin : g_next
      assign masked = g_read_mux[k-1].masked | (read_bank_q[k] ? bank_rdata[k] : '0);
    end
  end
  assign rdata = g_read_mux[BANKS-1].masked;
endmodule
