// t_host_interface: tandem_top's one port description (core/host_interface.h) against the
// hand-written port list of rtl_templates/tandem_core.v and the table of docs/isa.md, and the
// tandem_top the generator writes from it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <regex>
#include <sstream>

#include "core/files.h"
#include "core/host_interface.h"
#include "generator/generator.h"

using namespace tandem;

namespace {

struct DeclaredPort {
  std::string direction, msb, name;  // msb: "" for one bit, else the text before ":0"
};

std::string without_spaces(std::string text) {
  text.erase(std::remove_if(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); }),
             text.end());
  return text;
}

// Index of the ')' that closes the '(' at `open`.
std::size_t closing_paren(const std::string& text, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < text.size(); ++i) {
    if (text[i] == '(') ++depth;
    if (text[i] == ')' && --depth == 0) return i;
  }
  return std::string::npos;
}

// The ports of `module <name> [#(...)] (...);` in `text`, one declaration per line.
std::vector<DeclaredPort> declared_ports(const std::string& text, const std::string& module) {
  const auto at = text.find("module " + module + " ");
  REQUIRE(at != std::string::npos);
  auto open = text.find('(', at);
  if (text[open - 1] == '#') open = text.find('(', closing_paren(text, open));  // parameters
  const auto close = closing_paren(text, open);
  REQUIRE(close != std::string::npos);
  const std::regex declaration(R"(^\s*(input|output)\s+logic\s*(?:\[([^\]]+):\s*0\s*\])?\s*(\w+)\s*,?\s*$)");
  std::vector<DeclaredPort> ports;
  std::istringstream lines(text.substr(open + 1, close - open - 1));
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_match(line, match, declaration)) {
      ports.push_back({match[1], without_spaces(match[2]), match[3]});
    } else {
      INFO("not a port declaration: " << line);
      CHECK(without_spaces(line).empty());
    }
  }
  return ports;
}

std::string direction_name(isa::Direction d) { return d == isa::Direction::input ? "input" : "output"; }

}  // namespace

TEST_CASE("t_host_interface: tandem_core.v declares exactly the described ports", "[generator]") {
  const GeneratedFile* core = nullptr;
  for (const auto& file : rtl_templates()) {
    if (file.path == "tandem_core.v") core = &file;
  }
  REQUIRE(core != nullptr);
  const auto declared = declared_ports(core->text, "tandem_core");
  const auto& described = isa::host_ports();
  REQUIRE(declared.size() == described.size());
  for (std::size_t i = 0; i < described.size(); ++i) {
    const isa::Port& port = described[i];
    INFO("port " << i << ": " << port.name);
    CHECK(declared[i].name == port.name);
    CHECK(declared[i].direction == direction_name(port.direction));
    const bool one_bit = port.width == isa::PortWidth::fixed && port.fixed_bits == 1;
    const std::string msb = port.width == isa::PortWidth::fixed ? std::to_string(port.fixed_bits - 1)
                                                                : port.width_expression() + "-1";
    CHECK(declared[i].msb == (one_bit ? "" : without_spaces(msb)));
  }
}

TEST_CASE("t_host_interface: the generated tandem_top has the described ports and widths", "[generator]") {
  AcceleratorConfig config;
  config.dram.bytes_per_cycle = 8;  // mem_req_len 4 bits, data 64
  const RtlPackage package = generate_rtl(config);
  const auto declared = declared_ports(package.rtl.back().text, "tandem_top");
  const auto& described = isa::host_ports();
  REQUIRE(declared.size() == described.size());
  for (std::size_t i = 0; i < described.size(); ++i) {
    const int bits = described[i].bits(8);
    INFO(described[i].name);
    CHECK(declared[i].name == described[i].name);
    CHECK(declared[i].direction == direction_name(described[i].direction));
    CHECK(declared[i].msb == (bits > 1 ? std::to_string(bits - 1) : ""));
  }
  CHECK(isa::host_port("mem_req_len").bits(8) == 4);
  CHECK(isa::host_port("mem_req_len").bits(16) == 5);
  CHECK(isa::host_port("mem_resp_rdata").bits(8) == 64);
  CHECK(isa::host_port("csr_addr").bits(8) == 5);  // 23 counters
}

TEST_CASE("t_host_interface: a mesh's tandem_top has every core's ports, clock and reset shared", "[generator][mesh]") {
  AcceleratorConfig config;
  config.mesh = {3, 2};
  const RtlPackage package = generate_rtl(config);
  const auto declared = declared_ports(package.rtl.back().text, "tandem_top");
  const auto& described = isa::host_ports();
  REQUIRE(declared.size() == 2 + 6 * (described.size() - 2));
  CHECK(declared[0].name == "clk");
  CHECK(declared[1].name == "rst_n");
  std::size_t i = 2;
  for (const isa::Port& port : described) {
    if (isa::shared_port(port)) continue;
    for (int core = 0; core < 6; ++core, ++i) {
      INFO(port.name << " of core " << core);
      CHECK(declared[i].name == "core" + std::to_string(core) + "_" + port.name);
      CHECK(declared[i].direction == direction_name(port.direction));
    }
  }
  const std::string& top = package.rtl.back().text;
  for (int core = 0; core < 6; ++core) {
    CHECK_THAT(top, Catch::Contains(") core" + std::to_string(core) + " ("));
  }
  CHECK_THAT(top, !Catch::Contains(") core6 ("));
}

TEST_CASE("t_host_interface: docs/isa.md's host interface table names every port", "[generator]") {
  const std::string doc = read_file("docs/isa.md");
  const auto from = doc.find("## Host interface of `tandem_top`");
  REQUIRE(from != std::string::npos);
  const std::string table = doc.substr(from, doc.find("\n## ", from + 1) - from);
  for (const isa::Port& port : isa::host_ports()) {
    INFO(port.name);
    CHECK_THAT(table, Catch::Contains("`" + std::string(port.name)));
  }
}
