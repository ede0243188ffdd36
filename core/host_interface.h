// The host interface of tandem_top (docs/isa.md, "Host interface"), described once: name,
// direction and width of every port, in declaration order. The generator's tandem_top, the
// handoff testbench and FPGA wrapper, and the co-simulation harness's signals are produced
// from it; t_generator holds the hand-written port list of rtl_templates/tandem_core.v to it.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace tandem::isa {

enum class Direction { input, output };

// What a port's width depends on: nothing, or the DRAM bytes per cycle (BPC).
enum class PortWidth {
  fixed,      // `fixed_bits`
  dram_len,   // a request length 0..BPC: $clog2(BPC+1)
  dram_data,  // BPC bytes: 8*BPC
};

struct Port {
  const char* name;
  Direction direction;
  PortWidth width = PortWidth::fixed;
  int fixed_bits = 1;

  int bits(int bytes_per_cycle) const;
  // The width as tandem_core.v declares it, in terms of its parameter BPC (e.g. "8*BPC").
  std::string width_expression() const;
};

// tandem_top's ports in declaration order, the clock first.
const std::vector<Port>& host_ports();
// The port called `name`; std::out_of_range if there is none.
const Port& host_port(const std::string& name);

// A mesh's tandem_top (docs/mesh.md) shares clk and rst_n among its cores and has every other
// port once per core, named "core<i>_<name>"; a single core's ports keep their names.
bool shared_port(const Port& port);
std::string core_port_name(const Port& port, int core, int cores);
// A tandem_top's ports in declaration order, with their names: each host port in turn, a shared
// one once, any other once per core (core 0 first).
struct TopPort {
  const Port* port;
  std::string name;
};
std::vector<TopPort> top_ports(int cores);

// "[N-1:0] " for a port of N > 1 bits, "" for one bit: how generated Verilog declares a width.
std::string verilog_range(int bits);

// The named connections of a tandem_top instance, ".clk(clk), .rst_n(rst_n), ...", wrapped into
// lines that start with `indent`; `signal` gives what each port connects to.
std::string instance_connections(const std::function<std::string(const Port&)>& signal,
                                 const std::string& indent);

}  // namespace tandem::isa
