// tandem_systolic_array: ROWS x COLS grid of tandem_pe with input skew and output deskew.
// Inputs enter unskewed (one vector per cycle); the array delays row i of `a_left` by i cycles
// and, output-stationary, column j of `b_top` by j cycles.
//   weight-stationary: the result of the a vector presented in cycle t appears on `sum_bottom`
//     in cycle t + ROWS + COLS - 1 (deskewed: all columns together). `shift` loads `b_top` into
//     PE row 0's shadow weights of bank `bank` while every row of that bank moves down one row;
//     `token` presented with a vector makes each PE's shadow weight of bank `token_bank` active
//     as that vector reaches it (cycle t + i + j at PE (i, j)), so consecutive vectors may use
//     different weights without a bubble.
//   output-stationary: a product presented in cycle t reaches PE (i, j) in cycle t + i + j;
//     during a `shift` cycle `sum_bottom` shows the bottom row and all rows move down.
// Each PE's signals are separate unpacked elements (Verilator simulates this much faster than
// one wide packed vector). The first LOGIC_MULTIPLIERS PEs (row-major) multiply in logic
// rather than in DSP blocks (tandem_pe).
module tandem_systolic_array #(
    parameter int ROWS = 4,
    parameter int COLS = 4,
    parameter int DATAFLOW = 0,
    parameter int LOGIC_MULTIPLIERS = 0
) (
    input  logic                   clk,
    input  logic                   shift,
    input  logic                   clear,
    input  logic                   bank,        // the shadow bank `shift` fills
    input  logic                   token,
    input  logic                   token_bank,  // the shadow bank `token` activates
    input  logic [    8*ROWS-1:0]  a_left,
    input  logic [    8*COLS-1:0]  b_top,
    output logic [   32*COLS-1:0]  sum_bottom
);
  logic signed [ 7:0] a_edge  [ROWS];  // skewed left-edge inputs
  logic               t_edge  [ROWS];  // the token, skewed as its vector
  logic               tb_edge [ROWS];  // its bank
  logic signed [ 7:0] b_edge  [COLS];  // top-edge inputs (skewed when output-stationary)
  logic signed [ 7:0] a_q     [ROWS][COLS];
  logic               t_q     [ROWS][COLS];
  logic               tb_q    [ROWS][COLS];
  logic signed [ 7:0] b_q     [ROWS][COLS];
  logic signed [31:0] sum_q   [ROWS][COLS];

  // Input skew: row i waits i cycles.
  genvar i, j;
  generate
    for (i = 0; i < ROWS; i++) begin : g_a_skew
      if (i == 0) begin : g_direct
        assign a_edge[i] = a_left[7:0];
        assign t_edge[i] = token;
        assign tb_edge[i] = token_bank;
      end else begin : g_delay
        // Packed shift registers: oldest entry at the top.
        logic [8*i-1:0] stages;
        logic [i-1:0] token_stages, bank_stages;
        if (i == 1) begin : g_one
          always_ff @(posedge clk) begin
            stages <= a_left[8*i+:8];
            token_stages <= token;
            bank_stages <= token_bank;
          end
        end else begin : g_many
          always_ff @(posedge clk) begin
            stages <= {stages[8*(i-1)-1:0], a_left[8*i+:8]};
            token_stages <= {token_stages[i-2:0], token};
            bank_stages <= {bank_stages[i-2:0], token_bank};
          end
        end
        assign a_edge[i] = stages[8*i-1-:8];
        assign t_edge[i] = token_stages[i-1];
        assign tb_edge[i] = bank_stages[i-1];
      end
    end

    for (j = 0; j < COLS; j++) begin : g_b_skew
      if (DATAFLOW == 0 || j == 0) begin : g_direct
        assign b_edge[j] = b_top[8*j+:8];
      end else begin : g_delay
        logic [8*j-1:0] stages;
        if (j == 1) begin : g_one
          always_ff @(posedge clk) stages <= b_top[8*j+:8];
        end else begin : g_many
          always_ff @(posedge clk) stages <= {stages[8*(j-1)-1:0], b_top[8*j+:8]};
        end
        assign b_edge[j] = stages[8*j-1-:8];
      end
    end

    for (i = 0; i < ROWS; i++) begin : g_row
      for (j = 0; j < COLS; j++) begin : g_col
        tandem_pe #(
            .DATAFLOW(DATAFLOW),
            .LOGIC_MULTIPLIER(i * COLS + j < LOGIC_MULTIPLIERS)
        ) pe (
            .clk(clk),
            .shift(shift),
            .clear(clear),
            .bank(bank),
            .token_in(j == 0 ? t_edge[i] : t_q[i][j-1]),
            .token_bank_in(j == 0 ? tb_edge[i] : tb_q[i][j-1]),
            .token_out(t_q[i][j]),
            .token_bank_out(tb_q[i][j]),
            .a_in(j == 0 ? a_edge[i] : a_q[i][j-1]),
            .b_in(i == 0 ? b_edge[j] : b_q[i-1][j]),
            .sum_in(i == 0 ? 32'sd0 : sum_q[i-1][j]),
            .a_out(a_q[i][j]),
            .b_out(b_q[i][j]),
            .sum_out(sum_q[i][j])
        );
      end
    end

    // Output deskew (weight-stationary): column j waits COLS-1-j cycles so that a whole result
    // row leaves together. Output-stationary drains whole rows and needs none.
    for (j = 0; j < COLS; j++) begin : g_deskew
      if (DATAFLOW != 0 || j == COLS - 1) begin : g_direct
        assign sum_bottom[32*j+:32] = sum_q[ROWS-1][j];
      end else begin : g_delay
        localparam int Depth = COLS - 1 - j;
        logic [32*Depth-1:0] stages;
        if (Depth == 1) begin : g_one
          always_ff @(posedge clk) stages <= sum_q[ROWS-1][j];
        end else begin : g_many
          always_ff @(posedge clk) stages <= {stages[32*(Depth-1)-1:0], sum_q[ROWS-1][j]};
        end
        assign sum_bottom[32*j+:32] = stages[32*Depth-1-:32];
      end
    end
  endgenerate

  // The rightmost a and bottom b outputs leave the array unused.
  /* verilator lint_off UNUSEDSIGNAL */
  logic [ROWS-1:0] unused_right;
  logic [COLS-1:0] unused_bottom;
  /* verilator lint_on UNUSEDSIGNAL */
  for (genvar r = 0; r < ROWS; r++) begin : g_unused_right
    assign unused_right[r] = ^{a_q[r][COLS-1], t_q[r][COLS-1], tb_q[r][COLS-1]};
  end
  for (genvar c = 0; c < COLS; c++) begin : g_unused_bottom
    assign unused_bottom[c] = ^b_q[ROWS-1][c];
  end
endmodule
