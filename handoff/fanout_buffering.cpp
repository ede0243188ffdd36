// Fanout buffering of a flat gate netlist (handoff/asic_route.h): what a physical flow's
// "repair design" step does before timing. Yosys maps each module on its own, so ABC never
// sees the loads of a module's output port: a select signal leaving one unit for the muxes
// of another is left on one small gate driving hundreds of pins, and OpenSTA then reports a
// path that no real flow would have. Every net driven by a cell with more than `max_fanout`
// sink pins becomes a tree of buffers with at most `max_fanout` sinks each.
#include <algorithm>
#include <map>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "handoff/asic_route.h"

namespace tandem {

LibertyPins read_liberty_pins(const std::string& text) {
  // cell (NAME) { ... pin (P) { direction : input; function : "..."; } ... area : A; }
  LibertyPins pins;
  static const std::regex group(R"re(\b(cell|pin|bus)\s*\(\s*"?([^)"\s]+)"?\s*\))re");
  static const std::regex attribute(R"re(\b(direction|function|area)\s*:\s*"?([^;"]+)"?\s*;)re");
  std::string cell, pin;
  bool pin_is_bus = false;
  auto group_it = std::sregex_iterator(text.begin(), text.end(), group);
  const auto end = std::sregex_iterator();
  // Walk group headers and the attributes between them in order.
  std::size_t from = 0;
  const auto scan_attributes = [&](std::size_t to) {
    if (cell.empty()) return;
    auto& info = pins[cell];
    for (std::sregex_iterator it(text.begin() + static_cast<std::ptrdiff_t>(from),
                                 text.begin() + static_cast<std::ptrdiff_t>(to), attribute);
         it != end; ++it) {
      const std::string key = (*it)[1].str(), value = (*it)[2].str();
      if (key == "area" && pin.empty()) info.area = std::stod(value);
      if (key == "direction" && !pin.empty()) info.inputs[pin] = value.find("input") != std::string::npos;
      if (key == "function" && !pin.empty()) info.functions[pin] = value;
      if (key == "direction" && !pin.empty() && pin_is_bus) info.has_bus = true;
    }
  };
  for (; group_it != end; ++group_it) {
    const std::size_t at = static_cast<std::size_t>(group_it->position());
    scan_attributes(at);
    from = at;
    if ((*group_it)[1] == "cell") {
      cell = (*group_it)[2].str();
      pin.clear();
    } else {
      pin = (*group_it)[2].str();
      pin_is_bus = (*group_it)[1] == "bus";
    }
  }
  scan_attributes(text.size());
  return pins;
}

std::string pick_buffer(const LibertyPins& pins) {
  // A buffer: one input A-like pin, one output whose function is that pin. Among them the
  // strongest whose area is at most 3x the smallest's (a strong buffer's input load would slow
  // the net it is meant to relieve).
  std::vector<std::pair<double, std::string>> buffers;
  for (const auto& [cell, info] : pins) {
    if (info.inputs.size() != 2 || info.has_bus) continue;
    // Not delay cells, probes or low-power (isolation, keep-alive) variants.
    if (cell.find("dly") != std::string::npos || cell.find("delay") != std::string::npos ||
        cell.find("lpflow") != std::string::npos || cell.find("probe") != std::string::npos) {
      continue;
    }
    std::string in, out;
    for (const auto& [pin, is_input] : info.inputs) (is_input ? in : out) = pin;
    if (in.empty() || out.empty()) continue;
    const auto f = info.functions.find(out);
    if (f == info.functions.end()) continue;
    std::string function;  // "A", "(A)", " A " all name the input
    for (const char c : f->second) {
      if (c != ' ' && c != '(' && c != ')') function += c;
    }
    if (function != in) continue;
    buffers.emplace_back(info.area, cell);
  }
  if (buffers.empty()) throw std::runtime_error("the Liberty library has no buffer cell");
  std::sort(buffers.begin(), buffers.end());
  std::string chosen = buffers.front().second;
  for (const auto& [area, cell] : buffers) {
    if (area <= 3 * buffers.front().first) chosen = cell;
  }
  return chosen;
}

std::size_t buffer_high_fanout(std::string& netlist, const LibertyPins& pins, int max_fanout) {
  const std::string buffer = pick_buffer(pins);
  std::string buffer_in, buffer_out;
  for (const auto& [pin, is_input] : pins.at(buffer).inputs) (is_input ? buffer_in : buffer_out) = pin;

  // Lines of the netlist; a cell instance is "  TYPE NAME (" then ".PIN(EXPR)," lines, ");".
  std::vector<std::string> lines;
  {
    std::istringstream in(netlist);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
  }
  struct Sink { std::size_t line; };
  std::map<std::string, std::vector<Sink>> sinks;
  std::map<std::string, bool> driven_by_cell;
  static const std::regex instance(R"(^  (\S+) (\S+|\\\S+ ) \($)");
  static const std::regex connection(R"(^    \.(\w+)\((.*)\),?$)");
  std::smatch match;
  std::size_t module_line = 0, endmodule_line = 0;
  const LibertyCell* cell = nullptr;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (line.rfind("module ", 0) == 0) module_line = i;
    if (line == "endmodule") endmodule_line = i;
    if (std::regex_match(line, match, instance)) {
      const auto it = pins.find(match[1].str());
      cell = it == pins.end() ? nullptr : &it->second;
      continue;
    }
    if (cell == nullptr || !std::regex_match(line, match, connection)) continue;
    std::string net = match[2].str();
    if (net.empty() || net[0] == '{' || net.find('\'') != std::string::npos) continue;  // buses, constants
    const auto pin = cell->inputs.find(match[1].str());
    if (pin == cell->inputs.end()) continue;
    if (pin->second) sinks[net].push_back({i});
    else driven_by_cell[net] = true;
  }
  if (endmodule_line == 0) throw std::runtime_error("netlist: no endmodule");

  // Rewrites a sink line's net to `to` (the connection's expression is the whole of "(...)").
  const auto rewire = [&](std::size_t at, const std::string& to) {
    std::string& line = lines[at];
    const auto open = line.find('(');
    const auto close = line.rfind(')');
    line = line.substr(0, open + 1) + to + line.substr(close);
  };
  std::vector<std::string> wires, cells;
  std::size_t inserted = 0;
  for (auto& [net, list] : sinks) {
    if (!driven_by_cell.count(net) || static_cast<int>(list.size()) <= max_fanout) continue;
    // Level by level: groups of max_fanout sinks get a buffer each, whose inputs are the
    // next level's sinks, until the net itself drives at most max_fanout.
    std::vector<std::size_t> level;
    for (const auto& sink : list) level.push_back(sink.line);
    std::vector<std::string> pending_inputs;  // buffer-input connections of the level above
    while (static_cast<int>(level.size() + pending_inputs.size()) > max_fanout) {
      std::vector<std::string> next_inputs;
      std::vector<std::size_t> remaining;
      // Sinks (lines) first, then buffers of the previous level, in groups.
      std::vector<std::pair<bool, std::size_t>> members;
      for (std::size_t k = 0; k < level.size(); ++k) members.emplace_back(true, k);
      for (std::size_t k = 0; k < pending_inputs.size(); ++k) members.emplace_back(false, k);
      std::vector<std::string> new_pending;
      for (std::size_t g = 0; g < members.size(); g += static_cast<std::size_t>(max_fanout)) {
        const std::string out = "tandem_fanout_" + std::to_string(inserted);
        const std::string name = "tandem_fanout_buf_" + std::to_string(inserted);
        ++inserted;
        wires.push_back("  wire " + out + ";");
        for (std::size_t m = g; m < std::min(members.size(), g + static_cast<std::size_t>(max_fanout)); ++m) {
          if (members[m].first) rewire(level[members[m].second], out);
          else cells[std::stoul(pending_inputs[members[m].second])] =
                   std::regex_replace(cells[std::stoul(pending_inputs[members[m].second])],
                                      std::regex("\\.IN_PLACEHOLDER\\(\\)"), "." + buffer_in + "(" + out + ")");
        }
        new_pending.push_back(std::to_string(cells.size()));
        cells.push_back("  " + buffer + " " + name + " (\n    .IN_PLACEHOLDER(),\n    ." + buffer_out + "(" + out + ")\n  );");
      }
      level.clear();
      pending_inputs = new_pending;
    }
    for (const auto& index : pending_inputs) {
      cells[std::stoul(index)] = std::regex_replace(cells[std::stoul(index)], std::regex("\\.IN_PLACEHOLDER\\(\\)"),
                                                    "." + buffer_in + "(" + net + ")");
    }
  }
  if (inserted == 0) return 0;
  // Wires after the module's port list (the first line ending the header, ");"), cells before
  // endmodule.
  std::size_t header_end = module_line;
  while (header_end < lines.size() && lines[header_end].find(");") == std::string::npos) ++header_end;
  std::string out;
  out.reserve(netlist.size() + inserted * 100);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i == endmodule_line) {
      for (const auto& c : cells) out += c + "\n";
    }
    out += lines[i] + "\n";
    if (i == header_end) {
      for (const auto& w : wires) out += w + "\n";
    }
  }
  netlist = std::move(out);
  return inserted;
}

}  // namespace tandem
