// tandem_dma: moves scratchpad words between DRAM and the four buffers (docs/isa.md, LOAD and
// STORE). Words of B bytes travel in memory requests of at most BPC bytes, issued one per cycle
// while the memory accepts them: a word wider than BPC as ceil(B / BPC) requests, and where
// several words fit one request and the buffer has the banks for it, a group of up to G
// consecutive words of one row as one request (G per buffer, a parameter: the largest power of
// two <= banks with G * B <= BPC). Read responses come back in order and are always accepted; a
// group is written to the scratchpad, one bank per word, in the cycle its last response arrives.
// Stores read groups ahead into a two-entry queue so that the request stream does not wait for
// the scratchpad's read latency.
`include "tandem_isa.vh"

module tandem_dma #(
    parameter int BPC = 16,        // DRAM bytes per request (bytes per cycle)
    parameter int IBUF_BYTES = 16, // word sizes in bytes, per buffer id
    parameter int WBUF_BYTES = 16,
    parameter int OBUF_BYTES = 64,
    parameter int PARAM_BYTES = 12,
    parameter int NARROW_BYTES = 16,  // OBUF word stored narrow: low byte of each int32
    // Words per request (group sizes), per buffer id; PARAM moves one word per request.
    parameter int IBUF_GROUP = 1,
    parameter int WBUF_GROUP = 1,
    parameter int OBUF_GROUP = 1,
    parameter int NARROW_GROUP = 1,
    parameter int MAX_GROUP = 1,   // the largest of the groups: width of the lane masks
    parameter int AW = 16,         // scratchpad word-address width (widest buffer)
    parameter int MAX_BYTES = 64,  // the widest word: max of the sizes above
    parameter int RDATA_BYTES = 64, // scratchpad read data: the widest port's lanes
    // One word or one group, as moved: a store-queue entry and the load assembly register.
    parameter int ENTRY_BYTES = MAX_BYTES > BPC ? MAX_BYTES : BPC
) (
    input  logic               clk,
    input  logic               rst_n,
    // command (one-cycle start while idle)
    input  logic               start,
    input  logic               store,        // 0 LOAD, 1 STORE
    input  logic [        2:0] buf_id,
    input  logic               narrow,
    /* verilator lint_off UNUSEDSIGNAL */  // bits above AW: scratchpad addresses wrap there
    input  logic [       23:0] sp_addr,
    /* verilator lint_on UNUSEDSIGNAL */
    input  logic [       31:0] dram_addr,
    input  logic [       15:0] rows,
    input  logic [       15:0] row_words,
    input  logic [       31:0] dram_pitch,
    output logic               busy,
    // scratchpad side: one read and one write port, buffer chosen by buf_id; lane i of a port
    // is word address + i (tandem_scratchpad.v), its data the group's bytes in DRAM order
    output logic               sp_we,
    output logic [MAX_GROUP-1:0] sp_wmask,
    output logic [        2:0] sp_buf,
    output logic [     AW-1:0] sp_waddr,
    output logic [8*ENTRY_BYTES-1:0] sp_wdata,
    output logic               sp_re,
    output logic [MAX_GROUP-1:0] sp_rmask,
    output logic [     AW-1:0] sp_raddr,
    input  logic [8*RDATA_BYTES-1:0] sp_rdata,
    // memory port
    output logic               mem_req_valid,
    input  logic               mem_req_ready,
    output logic               mem_req_write,
    output logic [       31:0] mem_req_addr,
    output logic [$clog2(BPC+1)-1:0] mem_req_len,
    output logic [    8*BPC-1:0] mem_req_wdata,
    input  logic               mem_resp_valid,
    input  logic [    8*BPC-1:0] mem_resp_rdata
);
  localparam int LenBits = $clog2(BPC + 1);
  // A word wider than BPC moves in at most MaxParts requests; part k is bytes [k*BPC, k*BPC+BPC)
  // of the word, which is zero-padded to PadBytes. Part counters are PartBits wide, so picking a
  // part is a MaxParts-way mux rather than a barrel shift by a 32-bit byte offset. A group of
  // several words always fits one request (part 0).
  localparam int MaxParts = (ENTRY_BYTES + BPC - 1) / BPC;
  localparam int PadBytes = MaxParts * BPC;
  localparam int PartBits = $clog2(MaxParts + 1);
  localparam int ByteBits = $clog2(ENTRY_BYTES + 1);
  localparam int GroupBits = $clog2(MAX_GROUP + 1);

  // ---- the command, latched at start ----
  logic store_q, narrow_q;
  logic [2:0] buf_q;
  logic [AW-1:0] sp_base_q;  // scratchpad addresses wrap at the port width: AW bits suffice
  logic [31:0] pitch_q;
  logic [15:0] rows_q, row_words_q;
  logic [ByteBits-1:0] word_bytes_q;  // bytes per word as moved (narrow: one per element)
  logic [PartBits-1:0] parts_q;       // requests per word (1 when words are grouped)
  logic [GroupBits-1:0] group_q;      // words per request

  function automatic logic [ByteBits-1:0] bytes_of(input logic [2:0] id, input logic nar);
    case (id)
      `TANDEM_BUF_IBUF: bytes_of = ByteBits'(IBUF_BYTES);
      `TANDEM_BUF_WBUF: bytes_of = ByteBits'(WBUF_BYTES);
      `TANDEM_BUF_OBUF: bytes_of = nar ? ByteBits'(NARROW_BYTES) : ByteBits'(OBUF_BYTES);
      default: bytes_of = ByteBits'(PARAM_BYTES);
    endcase
  endfunction
  function automatic logic [GroupBits-1:0] group_of(input logic [2:0] id, input logic nar);
    case (id)
      `TANDEM_BUF_IBUF: group_of = GroupBits'(IBUF_GROUP);
      `TANDEM_BUF_WBUF: group_of = GroupBits'(WBUF_GROUP);
      `TANDEM_BUF_OBUF: group_of = nar ? GroupBits'(NARROW_GROUP) : GroupBits'(OBUF_GROUP);
      default: group_of = GroupBits'(1);
    endcase
  endfunction
  function automatic logic [PartBits-1:0] parts_of(input logic [ByteBits-1:0] bytes);
    parts_of = PartBits'((32'(bytes) + 32'(BPC) - 1) / 32'(BPC));
  endfunction
  // Words in the group that starts at column `col` of a row of `cols` words: a row's last group
  // may be short (DRAM addresses jump at a row's end).
  function automatic logic [GroupBits-1:0] group_at(input logic [15:0] col, input logic [15:0] cols,
                                                    input logic [GroupBits-1:0] group);
    group_at = 32'(cols) - 32'(col) < 32'(group) ? GroupBits'(cols - col) : group;
  endfunction
  function automatic logic [MAX_GROUP-1:0] lanes(input logic [GroupBits-1:0] n);
    for (int i = 0; i < MAX_GROUP; i++) lanes[i] = 32'(i) < 32'(n);
  endfunction

  // ---- request side: walks groups (row, col) and parts ----
  logic req_active;
  logic [15:0] req_row, req_col;
  logic [PartBits-1:0] req_part;
  logic [31:0] req_word_addr;  // DRAM byte address of the current group
  logic [31:0] req_row_addr;   // DRAM byte address of the current row

  // ---- store queue (two entries) ----
  logic [8*ENTRY_BYTES-1:0] q_data0, q_data1;  // entries 0 and 1; loads assemble in entry 0
  logic q_head;               // index of the head entry
  logic [1:0] q_count;        // groups held
  logic read_inflight;        // a scratchpad read returns next cycle
  logic [AW-1:0] words_read;  // words requested from the scratchpad (store), modulo 2^AW
  logic reads_left;           // not every word of the store has been requested

  // ---- response side (load) ----
  logic [PartBits-1:0] resp_part;
  logic [AW-1:0] words_written;  // modulo 2^AW
  // {row, col} of the next group read from the scratchpad (store) or of the group being
  // assembled (load): one register, a transfer is one or the other.
  logic [31:0] word_pos;

  // Word positions {row, col} walk the rows x row_words words in order; tracking them instead
  // of comparing a word count with rows * row_words needs no multiplier (a DSP on an FPGA).
  function automatic logic [31:0] next_pos(input logic [31:0] pos, input logic [15:0] cols,
                                           input logic [GroupBits-1:0] n);
    next_pos = pos[15:0] + 16'(n) == cols ? {pos[31:16] + 16'd1, 16'd0}
                                          : {pos[31:16], pos[15:0] + 16'(n)};
  endfunction
  function automatic logic last_pos(input logic [31:0] pos, input logic [15:0] cols,
                                    input logic [15:0] nrows, input logic [GroupBits-1:0] n);
    last_pos = pos[15:0] + 16'(n) == cols && pos[31:16] + 16'd1 == nrows;
  endfunction
  // Loads never use the store queue: entry 0 holds the group being assembled.
  wire [8*ENTRY_BYTES-1:0] assembly = q_data0;

  // Words in the request's group, and in the group the scratchpad side handles next (read
  // ahead for a store, assembled for a load). Without groups (every buffer one word per
  // request) both are 1 and no comparator or multiplier is built: small FPGAs count cells.
  wire [GroupBits-1:0] req_n = MAX_GROUP == 1 ? GroupBits'(1) : group_at(req_col, row_words_q, group_q);
  wire [GroupBits-1:0] pos_n = MAX_GROUP == 1 ? GroupBits'(1) : group_at(word_pos[15:0], row_words_q, group_q);
  wire [31:0] req_bytes = MAX_GROUP == 1 ? 32'(word_bytes_q) : 32'(req_n) * 32'(word_bytes_q);
  wire [31:0] part_offset = 32'(req_part) * 32'(BPC);
  wire [31:0] part_remaining = req_bytes - part_offset;
  wire [LenBits-1:0] part_len = part_remaining >= 32'(BPC) ? LenBits'(BPC) : LenBits'(part_remaining);
  wire last_part = req_part + PartBits'(1) == parts_q;
  wire last_col = 32'(req_col) + 32'(req_n) == 32'(row_words_q);
  wire last_row = req_row + 16'd1 == rows_q;

  // A store request needs the head group to be in the queue.
  wire req_can_issue = req_active && (!store_q || q_count != 0);
  wire req_fire = req_can_issue && mem_req_ready;

  assign mem_req_valid = req_can_issue;
  assign mem_req_write = store_q;
  assign mem_req_addr = req_word_addr + part_offset;
  assign mem_req_len = part_len;
  wire [8*ENTRY_BYTES-1:0] read_word = narrow_q ? narrow_word(sp_rdata) : read_lanes(sp_rdata);
  wire [8*ENTRY_BYTES-1:0] head_word = q_head ? q_data1 : q_data0;
  wire [8*PadBytes-1:0] head_pad = (8 * PadBytes)'(head_word);
  // Part req_part of the head entry (an OR of masked parts: no block reads back its output).
  for (genvar k = 0; k < MaxParts; k++) begin : g_req_part
    logic [8*BPC-1:0] picked;
    wire [8*BPC-1:0] masked = req_part == PartBits'(k) ? head_pad[8*BPC*k +: 8*BPC] : '0;
    if (k == 0) begin : g_first
      assign picked = masked;
    end else begin : g_next
      assign picked = g_req_part[k-1].picked | masked;
    end
  end
  assign mem_req_wdata = g_req_part[MaxParts-1].picked;

  // A group's words are adjacent lanes of the read data, as they lie in DRAM. Narrow OBUF
  // stores keep the low byte of each int32 element: element e of the group is element e of
  // the lanes read. Lanes past the group read as zero (tandem_scratchpad.v).
  function automatic logic [8*ENTRY_BYTES-1:0] read_lanes(input logic [8*RDATA_BYTES-1:0] data);
    read_lanes = '0;
    for (int e = 0; e < ENTRY_BYTES && e < RDATA_BYTES; e++) read_lanes[8*e+:8] = data[8*e+:8];
  endfunction
  function automatic logic [8*ENTRY_BYTES-1:0] narrow_word(input logic [8*RDATA_BYTES-1:0] data);
    narrow_word = '0;
    for (int e = 0; e < NARROW_GROUP * NARROW_BYTES; e++) narrow_word[8*e+:8] = data[32*e+:8];
  endfunction

  // Store: read ahead while the queue (counting the read in flight) has room. The groups held
  // and the read in flight never exceed the two entries, so a pop always makes room: the
  // condition needs no subtraction after the request handshake (a short path on FPGAs).
  wire pop = req_fire && store_q && last_part;  // a request's last part ends its group
  wire [1:0] q_after_pop = q_count - (pop ? 2'd1 : 2'd0);
  wire room = 32'(q_count) + (read_inflight ? 32'd1 : 32'd0) < 32'd2;
  assign sp_re = busy && store_q && reads_left && (room || pop);
  assign sp_rmask = lanes(pos_n);
  assign sp_raddr = sp_base_q + words_read;
  assign sp_buf = buf_q;

  // Load: write the group when its last response arrives.
  wire resp_last = mem_resp_valid && resp_part + PartBits'(1) == parts_q;
  // The response placed at part resp_part of the group.
  /* verilator lint_off UNUSEDSIGNAL */  // response bytes past the group's size are padding
  logic [8*PadBytes-1:0] resp_pad;
  /* verilator lint_on UNUSEDSIGNAL */
  for (genvar k = 0; k < MaxParts; k++) begin : g_resp_part
    assign resp_pad[8*BPC*k +: 8*BPC] = resp_part == PartBits'(k) ? mem_resp_rdata : '0;
  end
  wire [8*ENTRY_BYTES-1:0] resp_shifted = resp_pad[8*ENTRY_BYTES-1:0];
  assign sp_we = busy && !store_q && resp_last;
  assign sp_wmask = lanes(pos_n);
  assign sp_waddr = sp_base_q + words_written;
  assign sp_wdata = assembly | resp_shifted;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      busy <= 1'b0;
      req_active <= 1'b0;
      q_count <= '0;
      q_head <= 1'b0;
      read_inflight <= 1'b0;
    end else if (start && !busy) begin
      store_q <= store;
      narrow_q <= narrow && buf_id == `TANDEM_BUF_OBUF;
      buf_q <= buf_id;
      sp_base_q <= AW'(sp_addr);
      rows_q <= rows;
      pitch_q <= dram_pitch;
      row_words_q <= row_words;
      reads_left <= rows != 0 && row_words != 0;
      word_pos <= '0;
      word_bytes_q <= bytes_of(buf_id, narrow && buf_id == `TANDEM_BUF_OBUF);
      parts_q <= parts_of(bytes_of(buf_id, narrow && buf_id == `TANDEM_BUF_OBUF));
      group_q <= group_of(buf_id, narrow && buf_id == `TANDEM_BUF_OBUF);
      busy <= rows != 0 && row_words != 0;
      req_active <= rows != 0 && row_words != 0;
      req_row <= '0;
      req_col <= '0;
      req_part <= '0;
      req_word_addr <= dram_addr;
      req_row_addr <= dram_addr;
      resp_part <= '0;
      words_written <= '0;
      words_read <= '0;
      q_data0 <= '0;
      q_count <= '0;
      q_head <= 1'b0;
      read_inflight <= 1'b0;
    end else if (busy) begin
      // request walk
      if (req_fire) begin
        if (!last_part) begin
          req_part <= req_part + PartBits'(1);
        end else begin
          req_part <= '0;
          if (!last_col) begin
            req_col <= req_col + 16'(req_n);
            req_word_addr <= req_word_addr + req_bytes;
          end else begin
            req_col <= '0;
            req_row <= req_row + 16'd1;
            req_row_addr <= req_row_addr + pitch_q;
            req_word_addr <= req_row_addr + pitch_q;
            if (last_row) req_active <= 1'b0;
          end
        end
      end
      // store queue
      read_inflight <= sp_re;
      if (sp_re) begin
        words_read <= words_read + AW'(pos_n);
        word_pos <= next_pos(word_pos, row_words_q, pos_n);
        if (last_pos(word_pos, row_words_q, rows_q, pos_n)) reads_left <= 1'b0;
      end
      if (read_inflight) begin
        if (q_head ^ q_count[0]) q_data1 <= read_word;
        else q_data0 <= read_word;
      end
      if (pop) q_head <= ~q_head;
      q_count <= q_after_pop + (read_inflight ? 2'd1 : 2'd0);
      // load responses
      if (mem_resp_valid && !store_q) begin
        if (resp_last) begin
          resp_part <= '0;
          q_data0 <= '0;
          words_written <= words_written + AW'(pos_n);
          word_pos <= next_pos(word_pos, row_words_q, pos_n);
        end else begin
          resp_part <= resp_part + PartBits'(1);
          q_data0 <= assembly | resp_shifted;
        end
      end
      // completion: loads when the last group is written, stores when the last request is taken
      if (store_q ? (req_fire && last_part && last_col && last_row)
                  : (resp_last && last_pos(word_pos, row_words_q, rows_q, pos_n))) begin
        busy <= 1'b0;
        req_active <= 1'b0;
      end
    end
  end
endmodule
