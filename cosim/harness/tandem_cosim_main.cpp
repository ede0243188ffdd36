// The RTL co-simulation executable (docs/cosim.md): the Verilated `tandem_top` of one
// accelerator configuration inside a SystemC top with a host (memory image, instruction stream,
// counter read-out) and a DRAM model (latency, one request per cycle of at most BPC bytes); on a
// mesh, a host and a DRAM channel per core over one DRAM (docs/mesh.md).
//
// tandem (cosim/rtl_cosim.cpp) builds this file with `verilator --sc --build` for each
// configuration; the configuration's constants come from the generated tandem_cosim_config.h.
// Per-cycle work stays in the Verilated model: the host and the DRAM model are one SC_METHOD on
// the rising clock edge that only writes a signal when its value changes.
//
// Usage: tandem_cosim --program FILE --output RESULT.json [--max-cycles N] [--stall-cycles N]
//                     [--trace-fst FILE --trace-from C --trace-to C] [--test-drop-responses]
// Exit code: 0 when the program ran to completion, 1 when it stopped with a diagnosis
// (watchdog, cycle cap, bad memory access), 2 on usage or input errors (no result file then,
// unless --output was given: the error is written there too).
#include <systemc.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "Vtandem_top.h"
#include "core/isa.h"
#include "core/program.h"
#include "tandem_cosim_config.h"
#if TANDEM_COSIM_TRACE
#include "verilated_fst_sc.h"
#endif

namespace {

// ---- port value <-> bytes, for every type Verilator picks for a port width ----
inline void get_bytes(bool v, std::uint8_t* out, int n) {
  if (n > 0) out[0] = v ? 1 : 0;
}
inline void get_bytes(std::uint32_t v, std::uint8_t* out, int n) {
  for (int i = 0; i < n && i < 4; ++i) out[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
inline void get_bytes(std::uint64_t v, std::uint8_t* out, int n) {
  for (int i = 0; i < n && i < 8; ++i) out[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
template <int W>
void get_bytes(const sc_bv<W>& v, std::uint8_t* out, int n) {
  for (int i = 0; i < n && i < W / 8; ++i) {
    const std::uint32_t word = static_cast<std::uint32_t>(v.get_word(i / 4));
    out[i] = static_cast<std::uint8_t>(word >> (8 * (i % 4)));
  }
}
inline void set_bytes(bool& v, const std::uint8_t* in, int n) { v = n > 0 && (in[0] & 1); }
inline void set_bytes(std::uint32_t& v, const std::uint8_t* in, int n) {
  v = 0;
  for (int i = 0; i < n && i < 4; ++i) v |= std::uint32_t{in[i]} << (8 * i);
}
inline void set_bytes(std::uint64_t& v, const std::uint8_t* in, int n) {
  v = 0;
  for (int i = 0; i < n && i < 8; ++i) v |= std::uint64_t{in[i]} << (8 * i);
}
template <int W>
void set_bytes(sc_bv<W>& v, const std::uint8_t* in, int n) {
  for (int w = 0; w < (W + 31) / 32; ++w) {
    std::uint32_t word = 0;
    for (int b = 0; b < 4; ++b) {
      const int i = 4 * w + b;
      if (i < n) word |= std::uint32_t{in[i]} << (8 * b);
    }
    v.set_word(w, word);
  }
}
inline std::uint64_t to_u64(bool v) { return v ? 1 : 0; }
inline std::uint64_t to_u64(std::uint32_t v) { return v; }
inline std::uint64_t to_u64(std::uint64_t v) { return v; }
template <class T>
T from_u64(std::uint64_t v) {
  return static_cast<T>(v);
}

template <class Port>
using PortData = typename std::remove_reference_t<Port>::data_type;
#define TANDEM_PORT_T(name) PortData<decltype(std::declval<Vtandem_top&>().name)>

using InsnT = TANDEM_PORT_T(TANDEM_COSIM_CORE0(insn));
using CsrAddrT = TANDEM_PORT_T(TANDEM_COSIM_CORE0(csr_addr));
using RdataT = TANDEM_PORT_T(TANDEM_COSIM_CORE0(mem_resp_rdata));

constexpr int kBpc = TANDEM_COSIM_BPC;
// A response cannot arrive in the cycle of its request (the request is seen at a clock edge):
// a configured latency of 0 behaves as 1 (docs/cosim.md).
constexpr std::uint64_t kLatency = TANDEM_COSIM_LATENCY < 1 ? 1 : TANDEM_COSIM_LATENCY;
constexpr int kResetCycles = 2;
namespace counter = tandem::isa::counter;
// Counters whose change means the accelerator made progress: MACs, buffer reads/writes, DRAM
// bytes, lane operations, instructions dispatched.
constexpr int kProgressCounters[] = {
    counter::macs,
    counter::ibuf_reads, counter::ibuf_writes, counter::wbuf_reads,  counter::wbuf_writes,
    counter::obuf_reads, counter::obuf_writes, counter::param_reads, counter::param_writes,
    counter::dram_read_bytes, counter::dram_write_bytes,
    counter::vector_lane_ops, counter::instructions};
constexpr int kNumProgressCounters = sizeof kProgressCounters / sizeof kProgressCounters[0];
// Cycles without port activity before the watchdog starts polling counters.
constexpr std::uint64_t kQuietBeforePolling = 32;

enum class Status { running, done, stalled, cycle_cap, error };

const char* status_name(Status s) {
  switch (s) {
    case Status::running: return "running";
    case Status::done: return "done";
    case Status::stalled: return "stalled";
    case Status::cycle_cap: return "cycle_cap";
    case Status::error: return "error";
  }
  return "?";
}

struct Options {
  std::string program_file;
  std::string output_file;
  std::uint64_t max_cycles = 0;    // 0: default
  std::uint64_t stall_cycles = 0;  // 0: default
  std::string trace_file;
  std::uint64_t trace_from = 0;
  std::uint64_t trace_to = UINT64_MAX;
  bool drop_responses = false;
};

struct PendingRead {
  std::uint64_t present_at;  // the edge at which the harness drives it (sampled one edge later)
  std::vector<std::uint8_t> data;
};

// One core's ports: the signals of tandem_top's core<i>_* ports (unprefixed for one core).
struct CorePorts {
#define TANDEM_CORE_PORT_MEMBER(unused, name) sc_signal<TANDEM_PORT_T(TANDEM_COSIM_CORE0(name))>* name;
  TANDEM_COSIM_CORE_PORTS(TANDEM_CORE_PORT_MEMBER, )
#undef TANDEM_CORE_PORT_MEMBER
};

// A core's host and DRAM channel: its instruction stream and its reads in flight.
struct Core {
  CorePorts port;
  const tandem::Program* program = nullptr;
  std::size_t accepted = 0;       // instructions taken by the core
  std::uint64_t last_accept_edge = 0;
  std::uint64_t requests = 0, responses = 0;
  std::deque<PendingRead> pending;
  bool done = false;
  std::uint64_t poll_values[kNumProgressCounters] = {};
  bool poll_valid[kNumProgressCounters] = {};
};

SC_MODULE(Harness) {
  sc_clock clk;
  // One signal per port of tandem_top but the clock, named and typed like the port (the list
  // is tandem's port description, core/host_interface.h, via tandem_cosim_config.h).
#define TANDEM_PORT_SIGNAL(name) sc_signal<TANDEM_PORT_T(name)> name;
  TANDEM_COSIM_PORTS(TANDEM_PORT_SIGNAL)
#undef TANDEM_PORT_SIGNAL

  Vtandem_top top;
  std::vector<Core> cores;  // the mesh's cores in order (one for a single core)

  // Inputs of the run.
  std::vector<std::uint8_t> dram;  // shared by every core's channel
  std::uint64_t max_cycles = 0;
  std::uint64_t stall_cycles = 0;
  bool drop_responses = false;
  std::uint64_t pause_at = UINT64_MAX;  // trace window edges

  // State.
  Status status = Status::running;
  std::string error;
  std::uint64_t edges = 0;        // rising edges since reset was released
  std::uint64_t raw_edges = 0;    // all rising edges
  std::uint64_t last_progress = 0;
  int poll_index = -1;  // index into kProgressCounters being read, -1 when not polling

  SC_HAS_PROCESS(Harness);
  explicit Harness(sc_module_name name)
      : sc_module(name), clk("clk", 10, SC_NS, 0.5, 10, SC_NS, false), top("tandem_top") {
    top.clk(clk);
#define TANDEM_PORT_BIND(name) top.name(name);
    TANDEM_COSIM_PORTS(TANDEM_PORT_BIND)
#undef TANDEM_PORT_BIND
#define TANDEM_CORE_PORT_VIEW(prefix, name) c.port.name = &prefix##name;
#define TANDEM_CORE_VIEW(prefix)                                   \
  {                                                                \
    Core c;                                                        \
    TANDEM_COSIM_CORE_PORTS(TANDEM_CORE_PORT_VIEW, prefix)         \
    cores.push_back(std::move(c));                                 \
  }
    TANDEM_COSIM_CORE_VIEWS(TANDEM_CORE_VIEW)
#undef TANDEM_CORE_VIEW
#undef TANDEM_CORE_PORT_VIEW
    rst_n.write(false);
    for (Core& c : cores) c.port.mem_req_ready->write(true);  // one request per cycle, always
    SC_METHOD(tick);
    sensitive << clk.posedge_event();
    dont_initialize();
  }

  static void drive_instruction(Core& c, std::size_t index) {
    const auto& words = c.program->instructions[index].words();
    std::uint8_t bytes[16];
    for (int i = 0; i < 8; ++i) {
      bytes[i] = static_cast<std::uint8_t>(words[0] >> (8 * i));
      bytes[8 + i] = static_cast<std::uint8_t>(words[1] >> (8 * i));
    }
    InsnT value;
    set_bytes(value, bytes, 16);
    c.port.insn->write(value);
  }

  void stop(Status s, std::string why = {}) {
    status = s;
    error = std::move(why);
    sc_pause();
  }

  // The core's host (instruction stream) and DRAM channel at one edge; false when it stopped
  // the run (a bad memory access).
  bool serve(Core& c, std::size_t index) {
    const std::size_t n = c.program->instructions.size();
    if (c.port.insn_valid->read() && c.port.insn_ready->read()) {
      ++c.accepted;
      c.last_accept_edge = edges;
      last_progress = edges;
      if (c.accepted < n) {
        drive_instruction(c, c.accepted);
      } else {
        c.port.insn_valid->write(false);
      }
    }

    // DRAM: requests.
    if (c.port.mem_req_valid->read() && c.port.mem_req_ready->read()) {
      ++c.requests;
      last_progress = edges;
      const std::uint64_t addr = to_u64(c.port.mem_req_addr->read());
      const int len = static_cast<int>(to_u64(c.port.mem_req_len->read()));
      if (len < 1 || len > kBpc || addr + static_cast<std::uint64_t>(len) > dram.size()) {
        stop(Status::error, std::string(cores.size() > 1 ? "core " + std::to_string(index) + ": " : "") +
                                "DMA " + (c.port.mem_req_write->read() ? "write" : "read") +
                                " request of " + std::to_string(len) + " bytes at address " +
                                std::to_string(addr) + " outside DRAM [0, " +
                                std::to_string(dram.size()) + ") or outside 1.." +
                                std::to_string(kBpc) + " bytes, at cycle " + std::to_string(edges));
        return false;
      }
      if (c.port.mem_req_write->read()) {
        get_bytes(c.port.mem_req_wdata->read(), dram.data() + addr, len);  // posted
      } else if (!drop_responses) {
        PendingRead r;
        r.present_at = edges + kLatency - 1;
        r.data.assign(dram.begin() + static_cast<std::ptrdiff_t>(addr),
                      dram.begin() + static_cast<std::ptrdiff_t>(addr + len));
        r.data.resize(kBpc, 0);
        c.pending.push_back(std::move(r));
      }
    }
    // DRAM: the response the core samples at the next edge.
    if (!c.pending.empty() && c.pending.front().present_at == edges) {
      RdataT value;
      set_bytes(value, c.pending.front().data.data(), kBpc);
      c.port.mem_resp_rdata->write(value);
      c.port.mem_resp_valid->write(true);
      c.pending.pop_front();
      ++c.responses;
      last_progress = edges;
    } else if (c.port.mem_resp_valid->read()) {
      c.port.mem_resp_valid->write(false);
    }

    // Done: everything sent, and idle as seen after the last instruction was taken. A core
    // without instructions is done from the start.
    c.done = c.accepted == n && (n == 0 || edges > c.last_accept_edge) && c.port.idle->read() &&
             c.pending.empty();
    return true;
  }

  // One rising edge: every read sees the values the accelerator sampled at this edge; every write
  // takes effect for the next one.
  void tick() {
    ++raw_edges;
    if (raw_edges < kResetCycles) return;
    if (raw_edges == kResetCycles) {
      rst_n.write(true);
      for (Core& c : cores) {
        if (!c.program->instructions.empty()) {
          drive_instruction(c, 0);
          c.port.insn_valid->write(true);
        }
      }
      return;
    }
    ++edges;
    bool all_done = true;
    for (std::size_t i = 0; i < cores.size(); ++i) {
      if (!serve(cores[i], i)) return;
      all_done = all_done && cores[i].done;
    }
    if (all_done) {
      stop(Status::done);
      return;
    }

    // Watchdog: quiet ports for a while -> poll every core's progress counters, one per cycle.
    if (edges - last_progress > kQuietBeforePolling) {
      for (Core& c : cores) {
        if (poll_index >= 0) {
          const std::uint64_t v = to_u64(c.port.csr_rdata->read());
          if (c.poll_valid[poll_index] && c.poll_values[poll_index] != v) last_progress = edges;
          c.poll_values[poll_index] = v;
          c.poll_valid[poll_index] = true;
        }
      }
      poll_index = (poll_index + 1) % kNumProgressCounters;
      for (Core& c : cores) {
        c.port.csr_addr->write(from_u64<CsrAddrT>(static_cast<std::uint64_t>(kProgressCounters[poll_index])));
      }
    } else if (poll_index >= 0) {
      poll_index = -1;
      for (Core& c : cores) {
        for (bool& v : c.poll_valid) v = false;
      }
    }
    if (edges - last_progress > stall_cycles) {
      stop(Status::stalled);
      return;
    }
    if (edges >= max_cycles) {
      stop(Status::cycle_cap);
      return;
    }
    if (edges == pause_at) sc_pause();
  }

  // Reads a core's counter between clock edges (the simulation is paused).
  std::uint64_t read_counter(Core& c, int address) {
    c.port.csr_addr->write(from_u64<CsrAddrT>(static_cast<std::uint64_t>(address)));
    for (int i = 0; i < 3; ++i) sc_start(SC_ZERO_TIME);
    return to_u64(c.port.csr_rdata->read());
  }
};

// ---- JSON output (small, no dependencies) ----
std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string hex(const std::uint8_t* data, std::size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 15];
  }
  return out;
}

std::string opcode_name(const tandem::isa::Instruction& insn) {
  return tandem::isa::opcode_name(static_cast<int>(insn.opcode()));
}

void write_error_json(const std::string& path, const std::string& message) {
  if (path.empty()) return;
  std::ofstream out(path);
  out << "{\n  \"ok\": false,\n  \"status\": \"error\",\n  \"diagnosis\": " << json_string(message)
      << "\n}\n";
}

std::uint64_t parse_u64(const std::string& flag, const char* text) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || text[0] == '-') {
    throw std::runtime_error(flag + ": expected a non-negative integer, got '" + text + "'");
  }
  return v;
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) throw std::runtime_error(a + ": missing value");
      return argv[++i];
    };
    if (a == "--program") o.program_file = value();
    else if (a == "--output") o.output_file = value();
    else if (a == "--max-cycles") o.max_cycles = parse_u64(a, value());
    else if (a == "--stall-cycles") o.stall_cycles = parse_u64(a, value());
    else if (a == "--trace-fst") o.trace_file = value();
    else if (a == "--trace-from") o.trace_from = parse_u64(a, value());
    else if (a == "--trace-to") o.trace_to = parse_u64(a, value());
    else if (a == "--test-drop-responses") o.drop_responses = true;
    else throw std::runtime_error("unknown option '" + a + "'");
  }
  if (o.program_file.empty()) throw std::runtime_error("--program FILE is required");
  if (o.output_file.empty()) throw std::runtime_error("--output FILE is required");
  return o;
}


// What a core was doing when the run stopped: its busy units, instructions and DRAM channel.
std::string core_diagnosis(Harness& h, Core& c, std::uint64_t dispatched) {
  const tandem::Program& program = *c.program;
  const unsigned busy = static_cast<unsigned>(to_u64(c.port.unit_busy->read()));
  std::ostringstream d;
  d << "busy units:";
  bool any = false;
  for (int u = 0; u < tandem::isa::unit::count; ++u) {
    if (busy & (1u << u)) {
      d << " " << tandem::isa::unit_name(u);
      any = true;
    }
  }
  if (!any) d << " none";
  d << "; instructions: " << c.accepted << " of " << program.instructions.size() << " sent, "
    << dispatched << " dispatched";
  if (c.accepted > dispatched && dispatched < program.instructions.size()) {
    const auto& held = program.instructions[dispatched];
    d << "; held: instruction " << dispatched << " (" << opcode_name(held) << " " << held.hex() << ")";
  } else {
    d << "; no instruction held";
  }
  if (dispatched > 0 && dispatched <= program.instructions.size()) {
    const auto& last = program.instructions[dispatched - 1];
    d << "; last dispatched: instruction " << dispatched - 1 << " (" << opcode_name(last) << ")";
  }
  d << "; DRAM: " << c.requests << " requests, " << c.responses << " read responses, "
    << c.pending.size() << " pending";
  if (h.drop_responses) d << " (test option: read responses dropped)";
  return d.str();
}

}  // namespace

int sc_main(int argc, char** argv) {
  Options options;
  tandem::MeshProgram program;
  try {
    options = parse_options(argc, argv);
    program = tandem::read_mesh_program_file(options.program_file);
    const std::string hash = tandem::config_hash(program.config);
    if (hash != TANDEM_COSIM_CONFIG_HASH) {
      throw std::runtime_error(options.program_file + ": program '" + program.name +
                               "' was compiled for accelerator " + hash +
                               ", this simulator is accelerator " TANDEM_COSIM_CONFIG_HASH);
    }
  } catch (const std::exception& e) {
    std::cerr << "tandem_cosim: error: " << e.what() << "\n";
    write_error_json(options.output_file, e.what());
    return 2;
  }
#if !TANDEM_COSIM_TRACE
  if (!options.trace_file.empty()) {
    std::cerr << "tandem_cosim: error: this simulator was built without FST tracing\n";
    write_error_json(options.output_file, "this simulator was built without FST tracing");
    return 2;
  }
#endif
  sc_report_handler::set_actions(SC_INFO, SC_DO_NOTHING);
  sc_report_handler::set_actions(SC_WARNING, SC_DO_NOTHING);

  Harness h("tandem_cosim");
  std::size_t dram_size = program.dram_bytes();
  for (std::size_t i = 0; i < h.cores.size(); ++i) {
    const tandem::Program& core = program.cores.at(i);
    h.cores[i].program = &core;
    for (const auto& s : core.memory) dram_size = std::max<std::size_t>(dram_size, s.address + s.bytes.size());
    for (const auto& o : core.outputs) dram_size = std::max<std::size_t>(dram_size, std::size_t{o.address} + o.bytes);
  }
  h.dram.assign(dram_size, 0);
  for (const auto& core : program.cores) {
    for (const auto& s : core.memory) std::copy(s.bytes.begin(), s.bytes.end(), h.dram.begin() + s.address);
  }
  h.max_cycles = options.max_cycles ? options.max_cycles : TANDEM_COSIM_DEFAULT_MAX_CYCLES;
  h.stall_cycles = options.stall_cycles ? options.stall_cycles : TANDEM_COSIM_DEFAULT_STALL_CYCLES;
  h.drop_responses = options.drop_responses;

#if TANDEM_COSIM_TRACE
  Verilated::traceEverOn(true);
  VerilatedFstSc* trace = nullptr;
  bool trace_done = options.trace_file.empty();
  if (!trace_done) h.pause_at = options.trace_from;
#endif

  const auto start = std::chrono::steady_clock::now();
  sc_start(SC_ZERO_TIME);  // elaborate
  while (h.status == Status::running) {
#if TANDEM_COSIM_TRACE
    if (!trace_done && trace == nullptr && h.edges >= options.trace_from) {
      trace = new VerilatedFstSc;
      h.top.trace(trace, 99);
      trace->open(options.trace_file.c_str());
      h.pause_at = options.trace_to;
    } else if (trace != nullptr && h.edges >= options.trace_to) {
      trace->close();
      trace_done = true;
      h.pause_at = UINT64_MAX;
    }
#endif
    sc_start();
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
#if TANDEM_COSIM_TRACE
  if (trace != nullptr && !trace_done) trace->close();
#endif

  // The mesh's counters: `cycles` (every core's counter holds the same), the rest summed.
  std::vector<std::uint64_t> counters(counter::count, 0);
  std::vector<std::uint64_t> dispatched;
  std::uint64_t requests = 0;
  for (Core& c : h.cores) {
    for (int i = 0; i < counter::count; ++i) {
      const std::uint64_t v = h.read_counter(c, i);
      counters[i] = i == counter::cycles ? v : counters[i] + v;
      if (i == counter::instructions) dispatched.push_back(v);
    }
    requests += c.requests;
  }
  const bool ok = h.status == Status::done;

  std::string diagnosis;
  if (!ok) {
    std::ostringstream d;
    switch (h.status) {
      case Status::stalled:
        d << "watchdog: no progress for " << (h.edges - h.last_progress) << " cycles (limit "
          << h.stall_cycles << ") at cycle " << h.edges;
        break;
      case Status::cycle_cap: d << "cycle cap of " << h.max_cycles << " cycles reached"; break;
      default: d << h.error; break;
    }
    if (h.cores.size() == 1) {
      d << "; " << core_diagnosis(h, h.cores[0], dispatched[0]);
    } else {
      for (std::size_t i = 0; i < h.cores.size(); ++i) {
        if (!h.cores[i].done) d << "; core " << i << " (" << core_diagnosis(h, h.cores[i], dispatched[i]) << ")";
      }
    }
    diagnosis = d.str();
  }

  std::ofstream out(options.output_file);
  out << "{\n  \"ok\": " << (ok ? "true" : "false") << ",\n  \"status\": \"" << status_name(h.status)
      << "\",\n";
  out << "  \"diagnosis\": " << json_string(diagnosis) << ",\n";
  out << "  \"program\": " << json_string(program.name) << ",\n";
  out << "  \"config_hash\": \"" TANDEM_COSIM_CONFIG_HASH "\",\n";
  out << "  \"cores\": " << h.cores.size() << ",\n";
  out << "  \"dram_latency_cycles\": " << kLatency << ",\n";
  out << "  \"cycles\": " << counters[counter::cycles] << ",\n";
  out << "  \"harness_cycles\": " << h.edges << ",\n";
  out << "  \"seconds\": " << seconds << ",\n";
  out << "  \"dram_requests\": " << requests << ",\n";
  out << "  \"counters\": {";
  const auto& names = tandem::isa::counter_names();
  for (std::size_t i = 0; i < names.size(); ++i) {
    out << (i ? ",\n    " : "\n    ") << json_string(names[i]) << ": " << counters[i];
  }
  out << "\n  },\n  \"outputs\": [";
  bool first = true;
  for (const auto& core : program.cores) {
    for (const auto& o : core.outputs) {
      out << (first ? "\n    " : ",\n    ") << "{\"name\": " << json_string(o.name)
          << ", \"address\": " << o.address << ", \"bytes\": " << o.bytes << ", \"hex\": \""
          << hex(h.dram.data() + o.address, o.bytes) << "\"}";
      first = false;
    }
  }
  out << "\n  ]\n}\n";
  out.close();
  if (!out) {
    std::cerr << "tandem_cosim: error: cannot write " << options.output_file << "\n";
    return 2;
  }
  return ok ? 0 : 1;
}
