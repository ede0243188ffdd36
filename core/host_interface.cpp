#include "core/host_interface.h"

#include <stdexcept>

#include "core/isa.h"

namespace tandem::isa {

int Port::bits(int bytes_per_cycle) const {
  switch (width) {
    case PortWidth::dram_len: {
      int len_bits = 0;
      while ((1 << len_bits) < bytes_per_cycle + 1) ++len_bits;
      return len_bits;
    }
    case PortWidth::dram_data: return 8 * bytes_per_cycle;
    case PortWidth::fixed: break;
  }
  return fixed_bits;
}

std::string Port::width_expression() const {
  switch (width) {
    case PortWidth::dram_len: return "$clog2(BPC+1)";
    case PortWidth::dram_data: return "8*BPC";
    case PortWidth::fixed: break;
  }
  return std::to_string(fixed_bits);
}

const std::vector<Port>& host_ports() {
  using D = Direction;
  using W = PortWidth;
  static const std::vector<Port> ports = {
      {"clk", D::input},
      {"rst_n", D::input},
      {"insn_valid", D::input},
      {"insn_ready", D::output},
      {"insn", D::input, W::fixed, instruction_bits},
      {"idle", D::output},
      {"unit_busy", D::output, W::fixed, unit::count},
      {"csr_addr", D::input, W::fixed, csr_address_bits},
      {"csr_rdata", D::output, W::fixed, counter_bits},
      {"mem_req_valid", D::output},
      {"mem_req_ready", D::input},
      {"mem_req_write", D::output},
      {"mem_req_addr", D::output, W::fixed, field::dram_addr.width},
      {"mem_req_len", D::output, W::dram_len},
      {"mem_req_wdata", D::output, W::dram_data},
      {"mem_resp_valid", D::input},
      {"mem_resp_rdata", D::input, W::dram_data},
  };
  return ports;
}

const Port& host_port(const std::string& name) {
  for (const Port& port : host_ports()) {
    if (port.name == name) return port;
  }
  throw std::out_of_range("tandem_top has no port " + name);
}

bool shared_port(const Port& port) {
  return std::string(port.name) == "clk" || std::string(port.name) == "rst_n";
}

std::string core_port_name(const Port& port, int core, int cores) {
  if (cores == 1 || shared_port(port)) return port.name;
  return "core" + std::to_string(core) + "_" + port.name;
}

std::vector<TopPort> top_ports(int cores) {
  std::vector<TopPort> ports;
  for (const Port& port : host_ports()) {
    for (int core = 0; core < (shared_port(port) ? 1 : cores); ++core) {
      ports.push_back({&port, core_port_name(port, core, cores)});
    }
  }
  return ports;
}

std::string verilog_range(int bits) {
  return bits > 1 ? "[" + std::to_string(bits - 1) + ":0] " : "";
}

std::string instance_connections(const std::function<std::string(const Port&)>& signal,
                                 const std::string& indent) {
  constexpr std::size_t kLineWidth = 96;
  std::string text, line;
  const auto& ports = host_ports();
  for (std::size_t i = 0; i < ports.size(); ++i) {
    const std::string item =
        "." + std::string(ports[i].name) + "(" + signal(ports[i]) + ")" + (i + 1 < ports.size() ? "," : "");
    if (!line.empty() && indent.size() + line.size() + 1 + item.size() > kLineWidth) {
      text += indent + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + item;
  }
  return text + indent + line + "\n";
}

}  // namespace tandem::isa
