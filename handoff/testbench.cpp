#include "handoff/testbench.h"

#include <map>

#include "core/host_interface.h"
#include "core/isa.h"

namespace tandem {

namespace {

// Kept as one template with @NAME@ holes so that the Verilog reads as Verilog.
constexpr const char* kTemplate = R"SV(// tandem_tb: runs layer '@LAYER@' of '@NETWORK@' on tandem_top and checks its output byte by
// byte, its cycle count against the co-simulation's, and that the MAC counter (CSR @MACS_CSR@)
// counted the work, or reads 0 in RTL with only the cycles counter. Prints "PASS ..." or
// "FAIL: ..."; failures end in $fatal (non-zero exit code).
// Run from the package root (the hex files are relative to it): see the Makefile.
module tandem_tb;
  // Testbench processes (clock, DRAM model, checker) use blocking assignments on purpose: each
  // variable is written by one process only, so there is no race, and checks read at once.
  /* verilator lint_off BLKSEQ */
  localparam int Bpc = @BPC@;                // DRAM bytes per request (dram.bytes_per_cycle)
  localparam int LenBits = @LEN_BITS@;
  localparam int Latency = @LATENCY@;        // read latency in cycles (0 is run as 1, like the co-simulation)
  localparam int NumInsns = @NUM_INSNS@;
  localparam int InsnBits = @INSN_BITS@;     // index width: 2^InsnBits > NumInsns
  localparam int DramBytes = @DRAM_BYTES@;
  localparam int DramBits = @DRAM_BITS@;     // 2^DramBits >= DramBytes
  localparam int OutAddr = @OUT_ADDR@;       // output region '@OUT_NAME@'
  localparam int OutBytes = @OUT_BYTES@;
  localparam longint DefaultMaxCycles = @MAX_CYCLES@;
  localparam longint ExpectedCycles = @EXPECTED_CYCLES@;  // tandem's co-simulation; 0: not measured
  localparam bit AllCounters = 1'b@ALL_COUNTERS@;  // 0: the RTL keeps only the cycles counter

  logic clk = 1'b0;
  logic rst_n = 1'b0;
  always #5 clk = ~clk;

  // tandem_top's ports. csr_addr: @CYCLES_CSR@ (cycles) during the run, @MACS_CSR@ (MACs) once done.
@PORT_DECLARATIONS@
  tandem_top dut (
@PORT_CONNECTIONS@  );

  logic @INSN_RANGE@program_mem[2**InsnBits];
  logic [7:0] dram[2**DramBits];
  logic [7:0] expected[OutBytes];
  longint max_cycles = DefaultMaxCycles;

  initial begin
    $readmemh("@PROGRAM_HEX@", program_mem, 0, NumInsns - 1);
    $readmemh("@DRAM_HEX@", dram, 0, DramBytes - 1);
    $readmemh("@EXPECTED_HEX@", expected, 0, OutBytes - 1);
    if ($value$plusargs("max_cycles=%d", max_cycles)) $display("watchdog: %0d cycles", max_cycles);
    repeat (2) @(posedge clk);  // reset for two rising edges, as in the co-simulation
    @(negedge clk) rst_n = 1'b1;  // between edges: no race with the design's flip-flops
  end

  // Instruction feeder: instruction `sent` is offered until an edge sees ready.
  logic [InsnBits-1:0] sent = '0;
  assign insn_valid = rst_n && 32'(sent) < NumInsns;
  assign insn = program_mem[sent];
  always @(posedge clk) if (insn_valid && insn_ready) sent <= sent + 1'b1;

  // DRAM model: always ready, one request per cycle; reads answered Latency cycles later, in
  // order; writes applied at acceptance.
  logic [Latency-1:0] pending = '0;
  logic [Latency-1:0][8*Bpc-1:0] pending_data;  // shift registers, element 0 the newest
  assign mem_resp_valid = pending[Latency-1];
  assign mem_resp_rdata = pending_data[Latency-1];

  // The DRAM index of a byte address (requests are checked against DramBytes). A function, not
  // a DramBits'(...) cast: Icarus 11 mis-sizes that cast of `localparam + int` (it read X from
  // 0x4000 up).
  /* verilator lint_off UNUSEDSIGNAL */
  function automatic logic [DramBits-1:0] dram_index(logic [31:0] address);
    dram_index = address[DramBits-1:0];
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */

  function automatic logic [8*Bpc-1:0] read_word(logic [31:0] addr, logic [LenBits-1:0] len);
    read_word = '0;
    for (int i = 0; i < Bpc; i++) begin
      if (i < int'(len)) read_word[8*i+:8] = dram[dram_index(addr + 32'(i))];
    end
  endfunction

  // The one process that touches `dram` during the run, so blocking writes cannot race.
  always @(posedge clk) begin
    if (mem_req_valid && (int'(mem_req_len) < 1 || int'(mem_req_len) > Bpc ||
                          mem_req_addr + 32'(mem_req_len) > DramBytes)) begin
      $display("FAIL: bad memory request (%s address 0x%h, %0d bytes; DRAM is %0d bytes)",
               mem_req_write ? "write" : "read", mem_req_addr, mem_req_len, DramBytes);
      $fatal(1, "bad memory request");
    end
    if (mem_req_valid && mem_req_write) begin
      for (int i = 0; i < Bpc; i++) begin
        if (i < int'(mem_req_len)) dram[dram_index(mem_req_addr + 32'(i))] = mem_req_wdata[8*i+:8];
      end
    end
    // Truncating the concatenation shifts by one and drops the oldest (works for Latency 1).
    pending <= Latency'({pending, mem_req_valid && !mem_req_write});
    pending_data <= (Latency * 8 * Bpc)'({pending_data, read_word(mem_req_addr, mem_req_len)});
  end

  // Completion: every instruction taken, then `idle` at an edge with no read in flight.
  longint cycle = 0;
  int mismatches = 0;
  bit done = 1'b0;
  longint run_cycles = 0;
  always @(posedge clk) begin
    if (rst_n && !done) begin
      cycle <= cycle + 1;
      if (32'(sent) == NumInsns && idle && pending == '0) begin
        for (int i = 0; i < OutBytes; i++) begin
          if (dram[dram_index(OutAddr + i)] !== expected[i]) begin
            if (mismatches < 10)
              $display("FAIL: output byte %0d (address 0x%h): got %h, expected %h", i, OutAddr + i,
                       dram[dram_index(OutAddr + i)], expected[i]);
            mismatches = mismatches + 1;
          end
        end
        if (mismatches != 0) begin
          $display("FAIL: %0d of %0d output bytes differ", mismatches, OutBytes);
          $fatal(1, "output mismatch");
        end
        // The cycles counter (CSR @CYCLES_CSR@) as it reads after this edge, like the co-simulation's.
        run_cycles = csr_rdata + 1;
        if (ExpectedCycles != 0 && run_cycles != ExpectedCycles) begin
          $display("FAIL: %0d cycles, expected %0d", run_cycles, ExpectedCycles);
          $fatal(1, "cycle count mismatch");
        end
        done = 1'b1;
        csr_addr = @MACS_CSR_LITERAL@;
      end
      if (cycle >= max_cycles) begin
        $display("FAIL: timeout after %0d cycles (%0d of %0d instructions taken, busy units %b)",
                 cycle, sent, NumInsns, unit_busy);
        $fatal(1, "timeout");
      end
    end else if (done) begin
      // One edge later (the core is idle: nothing counts MACs any more), CSR @MACS_CSR@.
      if (AllCounters && csr_rdata == 64'd0) begin
        $display("FAIL: MAC counter (CSR @MACS_CSR@) reads 0, expected the layer's MACs");
        $fatal(1, "activity counter mismatch");
      end
      if (!AllCounters && csr_rdata != 64'd0) begin
        $display("FAIL: MAC counter (CSR @MACS_CSR@) reads %0d, expected 0 (only the cycles counter)", csr_rdata);
        $fatal(1, "activity counter mismatch");
      end
      $display("PASS: layer @LAYER@, %0d output bytes match, %0d cycles", OutBytes, run_cycles);
      $finish;
    end
  end
endmodule
)SV";

int bits_for(std::uint64_t count) {  // smallest b with 2^b >= count (at least 1)
  int bits = 1;
  while ((std::uint64_t{1} << bits) < count) ++bits;
  return bits;
}

std::string fill(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [name, value] : values) {
    const std::string hole = "@" + name + "@";
    for (auto at = text.find(hole); at != std::string::npos; at = text.find(hole, at + value.size())) {
      text.replace(at, hole.size(), value);
    }
  }
  return text;
}

// A CSR address as a csr_addr literal, e.g. 5'd6.
std::string csr_literal(int address) {
  return std::to_string(isa::csr_address_bits) + "'d" + std::to_string(address);
}

// The testbench drives clk and rst_n itself and ties mem_req_ready (its DRAM is always ready);
// every other port of tandem_top is a variable of the same name.
bool own_variable(const isa::Port& port) {
  const std::string name = port.name;
  return name != "clk" && name != "rst_n" && name != "mem_req_ready";
}

std::string port_declarations(int bytes_per_cycle) {
  std::string text;
  for (const isa::Port& port : isa::host_ports()) {
    if (!own_variable(port)) continue;
    const std::string name = port.name;
    text += "  logic " + isa::verilog_range(port.bits(bytes_per_cycle)) + name +
            (name == "csr_addr" ? " = " + csr_literal(isa::counter::cycles) : "") + ";\n";
  }
  return text;
}

std::string port_connections() {
  return isa::instance_connections(
      [](const isa::Port& port) {
        return std::string(port.name) == "mem_req_ready" ? std::string("1'b1") : std::string(port.name);
      },
      "      ");
}

}  // namespace

std::string testbench_text(const AcceleratorConfig& config, const LayerVectors& vectors,
                           std::uint64_t max_cycles, std::uint64_t expected_cycles,
                           bool activity_counters) {
  const Program& program = vectors.program;
  const OutputRegion& out = program.outputs.at(0);
  const int bpc = config.dram.bytes_per_cycle;
  return fill(kTemplate, {
      {"LAYER", vectors.layer},
      {"NETWORK", vectors.network},
      {"BPC", std::to_string(bpc)},
      {"LEN_BITS", std::to_string(isa::host_port("mem_req_len").bits(bpc))},
      {"INSN_RANGE", isa::verilog_range(isa::host_port("insn").bits(bpc))},
      {"LATENCY", std::to_string(std::max(1, config.dram.latency_cycles))},
      {"NUM_INSNS", std::to_string(program.instructions.size())},
      {"INSN_BITS", std::to_string(bits_for(program.instructions.size() + 1))},
      {"DRAM_BYTES", std::to_string(program.dram_bytes)},
      {"DRAM_BITS", std::to_string(bits_for(program.dram_bytes))},
      {"OUT_ADDR", std::to_string(out.address)},
      {"OUT_NAME", out.name},
      {"OUT_BYTES", std::to_string(out.bytes)},
      {"MAX_CYCLES", std::to_string(max_cycles)},
      {"EXPECTED_CYCLES", std::to_string(expected_cycles)},
      {"ALL_COUNTERS", activity_counters ? "1" : "0"},
      {"PORT_DECLARATIONS", port_declarations(bpc)},
      {"PORT_CONNECTIONS", port_connections()},
      {"CYCLES_CSR", std::to_string(isa::counter::cycles)},
      {"MACS_CSR", std::to_string(isa::counter::macs)},
      {"MACS_CSR_LITERAL", csr_literal(isa::counter::macs)},
      {"PROGRAM_HEX", kProgramHex},
      {"DRAM_HEX", kDramHex},
      {"EXPECTED_HEX", kExpectedHex},
  });
}

}  // namespace tandem
