// t_export: `tandem export` and `tandem synth` as a user runs them (docs/handoff.md). The package
// of the small 4x4 configuration has the documented files and README; its own Makefile runs the
// Verilator testbench to PASS without tandem on PATH, and a mutated expected byte makes it FAIL;
// the FuseSoC core is YAML with the CAPI2 header, filesets and targets; the flows' accelerator
// files load; --study exports a search's trial; a missing Yosys is a one-line error; a 2x2 package
// synthesizes.
//
// ctest runs every case in its own process, two at a time, so packages shared by several cases
// are exported once under a file lock and reused while the tandem binary is unchanged.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <yaml-cpp/yaml.h>

#include "core/files.h"
#include "run_process.h"

namespace fs = std::filesystem;
using tandem::test::ProcessResult;
using tandem::read_file;
using tandem::test::run_process;
using tandem::test::tandem_binary;

namespace {

const fs::path kOut = fs::path(TANDEM_TEST_OUTPUT_DIR) / "t_export";
const std::string kCache = (kOut / "cache").string();
const std::string kSmall = "tests/handoff/data/small_4x4.yaml";

std::string quoted(const fs::path& path) { return tandem::shell_quote(path.string()); }

// Holds an exclusive lock on a file while in scope.
class FileLock {
 public:
  explicit FileLock(const fs::path& path) : fd_(::open(path.c_str(), O_CREAT | O_RDWR, 0644)) {
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_;
};

// Exports `accel` with `args` to kOut/name once per tandem binary and arguments; the stamp file
// written last marks a complete package.
fs::path exported(const std::string& name, const std::string& accel, const std::string& args) {
  fs::create_directories(kOut);
  const fs::path dir = kOut / name;
  const fs::path stamp_file = kOut / (name + ".stamp");
  const std::string stamp =
      std::to_string(fs::last_write_time(tandem_binary()).time_since_epoch().count()) + " " +
      accel + " " + args;
  FileLock lock(kOut / (name + ".lock"));
  if (fs::exists(stamp_file) && read_file(stamp_file.string()) == stamp) return dir;
  fs::remove(stamp_file);
  fs::remove_all(dir);
  const ProcessResult result = run_process(tandem_binary() + " export --accel " + accel + " -o " +
                                           quoted(dir) + " --cache-dir " + kCache + " " + args);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("exported accelerator"));
  std::ofstream(stamp_file) << stamp;
  return dir;
}

// The small configuration, measured on the RTL (the README has latency and energy).
fs::path measured_package() { return exported("small_measured", kSmall, "--seed 1"); }
// The small configuration without the co-simulation, for checks that need no numbers.
fs::path unmeasured_package() { return exported("small_unmeasured", kSmall, "--no-measure"); }

// The flow's 2x2 as exported for an iCE40 (configs/fpga-ice40.yaml): only the cycles counter,
// two PE multipliers in logic (8 DSP blocks).
const std::string kFpgaFlow = "configs/fpga-ice40.yaml";
const std::string kFpgaArgs = "--counters cycles --logic-multipliers 2 --requant-product single";
// That FPGA variant, measured (the co-simulation ran on the fully instrumented RTL).
fs::path fpga_measured_package() { return exported("fpga_measured", kFpgaFlow, "--seed 1 " + kFpgaArgs); }

// PATH without any directory holding a `tandem` executable (the build tree in particular).
std::string path_without_tandem() {
  const char* env = std::getenv("PATH");
  std::stringstream entries(env ? env : "/usr/bin:/bin");
  const fs::path build_dir = fs::path(tandem_binary()).parent_path();
  std::string entry, path;
  while (std::getline(entries, entry, ':')) {
    std::error_code ec;
    if (entry.empty() || fs::equivalent(entry, build_dir, ec) || fs::exists(fs::path(entry) / "tandem")) {
      continue;
    }
    path += (path.empty() ? "" : ":") + entry;
  }
  return path;
}

// Copies the package without its build directory (the hex files are read at run time).
// Replaces the first `from` in `file` with `to`: a deliberate mutation of a copied package.
void replace_in_file(const fs::path& file, const std::string& from, const std::string& to) {
  std::string text = read_file(file.string());
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
}

fs::path copy_package(const fs::path& from, const std::string& name) {
  const fs::path to = kOut / name;
  fs::remove_all(to);
  fs::create_directories(to);
  for (const auto& entry : fs::directory_iterator(from)) {
    if (entry.path().filename() == "build") continue;
    fs::copy(entry.path(), to / entry.path().filename(), fs::copy_options::recursive);
  }
  return to;
}

std::size_t line_count(const fs::path& file) {
  const std::string text = read_file(file.string());
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

std::uint64_t readme_number(const std::string& readme, const std::string& pattern) {
  std::smatch match;
  const std::regex re(pattern);
  if (!std::regex_search(readme, match, re)) return 0;
  return std::stoull(match[1].str());
}

}  // namespace

TEST_CASE("t_export: the small package has the documented files and a README with the measured figures",
          "[export][rtl]") {
  const fs::path dir = measured_package();
  for (const char* file :
       {"rtl/tandem_top.v", "rtl/tandem_isa.vh", "filelist.f", "manifest.json", "tandem.core",
        "tb/tandem_tb.sv", "tb/vectors/program.hex", "tb/vectors/dram.hex", "tb/vectors/expected.hex",
        "Makefile", "synth.ys", "synth/ice40.ys", "synth/xilinx.ys", "synth/sram.ys", "constraints.sdc", "README.md",
        "rtl/fpga/tandem_fpga_top.v", "rtl/sram/tandem_scratchpad_sram.v",
        "rtl/sram/tandem_sram_wrapper.v", "synth/sram_blackbox.v", "filelist_sram.f"}) {
    INFO(file);
    REQUIRE(fs::exists(dir / file));
    CHECK(fs::file_size(dir / file) > 0);
  }
  // Every source in the filelist exists in the package.
  std::istringstream filelist(read_file((dir / "filelist.f").string()));
  std::string line;
  int sources = 0;
  while (std::getline(filelist, line)) {
    if (line.size() > 2 && line.compare(line.size() - 2, 2, ".v") == 0) {
      INFO(line);
      CHECK(fs::exists(dir / line));
      ++sources;
    }
  }
  CHECK(sources >= 5);
  CHECK_THAT(read_file((dir / "constraints.sdc").string()), Catch::Contains("create_clock"));

  const std::string readme = read_file((dir / "README.md").string());
  CHECK_THAT(readme, Catch::Contains("## Configuration"));
  CHECK_THAT(readme, Catch::Contains("- array 4x4, weight_stationary"));
  CHECK_THAT(readme, Catch::Contains("- vector unit: 2 lanes"));
  CHECK_THAT(readme, Catch::Contains("- requantizer pipeline: 5 stages"));
  CHECK_THAT(readme, Catch::Contains("Network `zoo:proxy_mobilenet_v1` (proxy_mobilenet_v1)"));
  CHECK_THAT(readme, Catch::Contains("The testbench runs layer `stem` (conv2d)"));
  CHECK(readme_number(readme, R"(latency of `stem`: (\d+) cycles)") > 0);
  CHECK_THAT(readme, Catch::Contains("- energy of `stem`: "));
  CHECK_THAT(readme, Catch::Contains("- area: "));
  CHECK_THAT(readme, Catch::Contains("mm^2"));
  // The vectors agree with what the README says they are.
  CHECK(line_count(dir / "tb/vectors/expected.hex") == readme_number(readme, R"((\d+) output bytes checked)"));
  CHECK(line_count(dir / "tb/vectors/program.hex") == readme_number(readme, R"((\d+) instructions)"));
  CHECK(line_count(dir / "tb/vectors/dram.hex") == readme_number(readme, R"((\d+) bytes of DRAM)"));
}

TEST_CASE("t_export: the package's Makefile runs the testbench to PASS under Icarus and Verilator without tandem on PATH",
          "[export][rtl]") {
  const fs::path dir = measured_package();
  const std::string path = path_without_tandem();
  REQUIRE(run_process("env PATH=" + tandem::shell_quote(path) + " sh -c 'command -v tandem'").exit_code != 0);
  for (const std::string simulator : {"sim-icarus", "sim-verilator"}) {
    SECTION(simulator) {
      const ProcessResult result = run_process("env PATH=" + tandem::shell_quote(path) + " make -C " + quoted(dir) + " " + simulator);
      INFO(result.out << result.err);
      CHECK(result.exit_code == 0);
      CHECK_THAT(result.out, Catch::Contains("PASS: layer stem, 12544 output bytes match"));
      CHECK_THAT(result.out, !Catch::Contains("FAIL"));
    }
  }
  SECTION("lint") {  // Verilator -Wall over the RTL and the testbench
    const ProcessResult result = run_process("env PATH=" + tandem::shell_quote(path) + " make -C " + quoted(dir) + " lint");
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.err, !Catch::Contains("%Warning"));
  }
}

// The FPGA I/O wrapper (block RAMs feeding the core's inputs, written with its outputs) is real
// RTL too: Verilator -Wall finds nothing in it and Icarus elaborates it, on the flow's variant.
TEST_CASE("t_export: the FPGA I/O wrapper lints clean and compiles under Icarus", "[export][rtl]") {
  const fs::path dir = exported("fpga_ice40", kFpgaFlow, "--no-measure " + kFpgaArgs);
  std::string sources;
  std::istringstream filelist(read_file((dir / "filelist.f").string()));
  for (std::string line; std::getline(filelist, line);) {
    if (line.size() > 2 && line.compare(line.size() - 2, 2, ".v") == 0) sources += " " + line;
  }
  sources += " rtl/fpga/tandem_fpga_top.v";
  const ProcessResult lint = run_process("cd " + quoted(dir) +
                                         " && verilator --lint-only -Wall -Irtl --top-module tandem_fpga_top" + sources);
  INFO(lint.out << lint.err);
  CHECK(lint.exit_code == 0);
  CHECK_THAT(lint.err, !Catch::Contains("%Warning"));
  const ProcessResult icarus = run_process("cd " + quoted(dir) + " && mkdir -p build && iverilog -g2012 -Irtl -s tandem_fpga_top -o " +
                                           "build/fpga_top.vvp" + sources);
  INFO(icarus.out << icarus.err);
  CHECK(icarus.exit_code == 0);
}

TEST_CASE("t_export: a mutated expected output byte fails the testbench under Icarus and Verilator", "[export][rtl]") {
  const fs::path dir = copy_package(measured_package(), "small_mutated");
  const fs::path expected = dir / "tb/vectors/expected.hex";
  const std::string text = read_file(expected.string());
  REQUIRE(text.size() >= 3);
  const std::string first = text.substr(0, 2);
  replace_in_file(expected, first, first == "00" ? "01" : "00");
  for (const std::string simulator : {"sim-icarus", "sim-verilator"}) {
    SECTION(simulator) {
      const ProcessResult result =
          run_process("env PATH=" + tandem::shell_quote(path_without_tandem()) + " make -C " + quoted(dir) + " " + simulator);
      INFO(result.out << result.err);
      CHECK(result.exit_code != 0);
      CHECK_THAT(result.out, Catch::Contains("FAIL: output byte 0 "));
      CHECK_THAT(result.out, Catch::Contains("FAIL: 1 of 12544 output bytes differ"));
      CHECK_THAT(result.out, !Catch::Contains("PASS"));
    }
  }
}

TEST_CASE("t_export: the FPGA variant passes its testbench with the cycles co-simulated on the full RTL",
          "[export][rtl]") {
  const fs::path dir = fpga_measured_package();
  const auto manifest = nlohmann::json::parse(read_file((dir / "manifest.json").string()));
  CHECK(manifest["activity_counters"] == "cycles");
  CHECK(manifest["logic_multipliers"] == 2);
  const std::string readme = read_file((dir / "README.md").string());
  CHECK_THAT(readme, Catch::Contains("activity counters: `cycles` only"));
  const std::uint64_t cycles = readme_number(readme, R"(latency of `stem`: (\d+) cycles)");
  REQUIRE(cycles > 0);
  const std::string tb = read_file((dir / "tb/tandem_tb.sv").string());
  CHECK_THAT(tb, Catch::Contains("ExpectedCycles = " + std::to_string(cycles) + ";"));
  for (const std::string simulator : {"sim-icarus", "sim-verilator"}) {
    SECTION(simulator) {
      const ProcessResult result = run_process("env PATH=" + tandem::shell_quote(path_without_tandem()) + " make -C " + quoted(dir) + " " + simulator);
      INFO(result.out << result.err);
      CHECK(result.exit_code == 0);
      CHECK_THAT(result.out, Catch::Contains("PASS: layer stem, 12544 output bytes match, " + std::to_string(cycles) + " cycles"));
    }
  }
}

TEST_CASE("t_export: a wrong expected cycle count fails the testbench", "[export][rtl]") {
  const fs::path dir = copy_package(measured_package(), "small_wrong_cycles");
  const fs::path tb = dir / "tb/tandem_tb.sv";
  const std::string text = read_file(tb.string());
  std::smatch match;
  REQUIRE(std::regex_search(text, match, std::regex(R"(ExpectedCycles = (\d+);)")));
  const std::uint64_t wrong = std::stoull(match[1].str()) + 1;
  replace_in_file(tb, match[0].str(), "ExpectedCycles = " + std::to_string(wrong) + ";");
  const ProcessResult result = run_process("make -C " + quoted(dir) + " sim-verilator");
  INFO(result.out << result.err);
  CHECK(result.exit_code != 0);
  CHECK_THAT(result.out, Catch::Contains("cycles, expected " + std::to_string(wrong)));
  CHECK_THAT(result.out, !Catch::Contains("PASS"));
}

// The FPGA variant keeps only the cycles counter: a testbench that expects every counter (here:
// the MAC counter to have counted the layer) fails on it, so its zeros are checked.
TEST_CASE("t_export: the cycles-only RTL's MAC counter reads 0, which a full-counter testbench rejects",
          "[export][rtl]") {
  const fs::path dir = copy_package(fpga_measured_package(), "fpga_all_counters");
  replace_in_file(dir / "tb/tandem_tb.sv", "localparam bit AllCounters = 1'b0;",
                  "localparam bit AllCounters = 1'b1;");
  const ProcessResult result = run_process("make -C " + quoted(dir) + " sim-verilator");
  INFO(result.out << result.err);
  CHECK(result.exit_code != 0);
  CHECK_THAT(result.out, Catch::Contains("FAIL: MAC counter (CSR 6) reads 0, expected the layer's MACs"));
  CHECK_THAT(result.out, !Catch::Contains("PASS"));
}

TEST_CASE("t_export: the FuseSoC core is CAPI2 YAML with the rtl and tb filesets and three targets",
          "[export][fast]") {
  const fs::path dir = unmeasured_package();
  const std::string text = read_file((dir / "tandem.core").string());
  CHECK(text.rfind("CAPI=2:\n", 0) == 0);
  YAML::Node core;
  REQUIRE_NOTHROW(core = YAML::Load(text));
  REQUIRE(core.IsMap());
  CHECK(core["CAPI=2"]);
  CHECK_THAT(core["name"].as<std::string>(), Catch::StartsWith("tandem:accelerator:tandem_top_"));
  REQUIRE(core["filesets"]["rtl"]["files"].IsSequence());
  REQUIRE(core["filesets"]["tb"]["files"].IsSequence());
  CHECK(core["filesets"]["rtl"]["file_type"].as<std::string>() == "systemVerilogSource");
  // Every file a fileset names is in the package (plain names or {name: {options}} maps).
  int files = 0;
  for (const char* fileset : {"rtl", "tb"}) {
    for (const auto& entry : core["filesets"][fileset]["files"]) {
      const std::string name =
          entry.IsScalar() ? entry.as<std::string>() : entry.begin()->first.as<std::string>();
      INFO(fileset << ": " << name);
      CHECK(fs::exists(dir / name));
      ++files;
    }
  }
  CHECK(files >= 10);
  REQUIRE(core["targets"].IsMap());
  CHECK(core["targets"]["default"]["toplevel"].as<std::string>() == "tandem_top");
  CHECK(core["targets"]["sim"]["toplevel"].as<std::string>() == "tandem_tb");
  CHECK(core["targets"]["sim"]["filesets"].size() == 2);
  CHECK(core["targets"]["synth"]["default_tool"].as<std::string>() == "yosys");
}

TEST_CASE("t_export: --study --trial exports the accelerator a search recorded", "[export][fast]") {
  // A two-trial search with a stand-in accuracy command makes a real study.
  const fs::path dir = kOut / "study";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string flow = (dir / "flow.yaml").string();
  std::ofstream(flow) << "name: export_study\noutput_dir: " << (dir / "search").string() << "\n"
                      << "search:\n  hardware: { array.rows: [4, 8], array.cols: [4, 8] }\n"
                      << "  objective: { kind: reward, cost: latency, target: 500 }\n"
                      << "  accuracy: { kind: command, command: '" << TANDEM_SOURCE_DIR
                      << "/tests/data/search/fake_accuracy.sh {network} {hash}' }\n"
                      << "  strategy: { name: random }\n  trials: 2\n  validate_top: 0\n";
  REQUIRE(run_process(tandem_binary() + " search --quiet " + quoted(fs::path(flow))).exit_code == 0);
  const auto study = nlohmann::json::parse(
      run_process(tandem_binary() + " study show --json " + quoted(dir / "search")).out);
  const std::string hash = study["trials"][1]["accelerator_hash"];

  const ProcessResult result = run_process(tandem_binary() + " export --study " + quoted(dir / "search") +
                                           " --trial 1 --no-measure -o " + quoted(dir / "pkg"));
  INFO(result.out << result.err);
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("exported accelerator " + hash));
  CHECK_THAT(read_file((dir / "pkg" / "README.md").string()), Catch::Contains(hash));

  const ProcessResult missing = run_process(tandem_binary() + " export --study " + quoted(dir / "search") +
                                            " --trial 7 -o " + quoted(dir / "pkg7"));
  CHECK(missing.exit_code != 0);
  CHECK_THAT(missing.err, Catch::Contains("has no trial 7"));
  CHECK_FALSE(fs::exists(dir / "pkg7" / "README.md"));
  const ProcessResult no_study = run_process(tandem_binary() + " export --study " + quoted(dir / "nothing") +
                                             " --trial 0 -o " + quoted(dir / "pkg0"));
  CHECK(no_study.exit_code != 0);
  CHECK_THAT(no_study.err, Catch::Contains("nothing"));
}

TEST_CASE("t_export: tandem synth without yosys on PATH names the Debian package", "[export][fast]") {
  const fs::path dir = unmeasured_package();
  const fs::path empty_bin = kOut / "empty_bin";
  fs::create_directories(empty_bin);
  const ProcessResult result = run_process("env PATH=" + quoted(empty_bin) + " " + tandem_binary() +
                                           " synth " + quoted(dir) + " --target generic");
  CHECK(result.exit_code != 0);
  CHECK_THAT(result.err, Catch::Contains("yosys not found on PATH: install the Debian package 'yosys'"));
  CHECK_FALSE(fs::exists(dir / "synth_generic.json"));
}

TEST_CASE("t_export: tandem synth of a directory that is not a package is an error", "[export][fast]") {
  const fs::path dir = kOut / "not_a_package";
  fs::create_directories(dir);
  const ProcessResult result = run_process(tandem_binary() + " synth " + quoted(dir) + " --target generic");
  CHECK(result.exit_code != 0);
  CHECK_THAT(result.err, Catch::Contains("is not an exported package (no synth.ys)"));
}

TEST_CASE("t_export: the flows' accelerator files load and document their route", "[export][fast]") {
  const std::vector<std::pair<std::string, std::string>> flows = {
      {"configs/fpga-ice40.yaml", "--target ice40"}, {"configs/asic-generic.yaml", "--target generic"}};
  for (const auto& [flow, target] : flows) {
    INFO(flow);
    const ProcessResult result = run_process(tandem_binary() + " config check " + flow);
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Catch::Contains("valid accelerator configuration"));
    const std::string text = read_file(flow);
    CHECK_THAT(text, Catch::Contains("tandem export --accel " + flow + " -o "));
    CHECK_THAT(text, Catch::Contains("tandem synth "));
    CHECK_THAT(text, Catch::Contains(target));
  }
}

// The Liberty route of --target generic on a stand-in package whose synth.ys is one 8-bit
// counter (the route, not the accelerator: a full package takes minutes with a gate library
// this small): every cell is the library's, the flip-flops are its DFF, the area its sum.
TEST_CASE("t_export: tandem synth --target generic --liberty maps to the library's cells", "[export][fast]") {
  const fs::path dir = kOut / "liberty_counter";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "counter.v") << "module counter(input clk, input rst, output reg [7:0] q);\n"
                                      "  always @(posedge clk) q <= rst ? 8'd0 : q + 8'd1;\n"
                                      "endmodule\n";
  std::ofstream(dir / "synth.ys") << "read_verilog counter.v\nsynth -top counter\n";
  const std::string library = "tests/handoff/data/tiny_cells.lib";
  const ProcessResult result =
      run_process(tandem_binary() + " synth " + quoted(dir) + " --target generic --liberty " + library);
  INFO(result.out << result.err);
  REQUIRE(result.exit_code == 0);
  const auto json = nlohmann::json::parse(read_file((dir / "synth_generic.json").string()));
  CHECK(json["liberty"] == fs::absolute(library).string());
  const auto& types = json["yosys"]["cell_types"];
  CHECK(types["DFF_X1"] == 8);
  std::int64_t cells = 0;
  for (const auto& [type, count] : types.items()) {
    INFO(type);
    CHECK(std::regex_match(type, std::regex("(BUF|INV|NAND2|NOR2|DFF)_X1")));
    cells += count.get<std::int64_t>();
  }
  CHECK(json["cells"] == cells);
  CHECK(json["yosys"]["area"].get<double>() >= 8 * 6 + 1);  // the flip-flops and some gates
  CHECK_THAT(result.out, Catch::Contains("area"));

  const ProcessResult missing =
      run_process(tandem_binary() + " synth " + quoted(dir) + " --target generic --liberty no_such.lib");
  CHECK(missing.exit_code != 0);
  CHECK_THAT(missing.err, Catch::Contains("--liberty: no file") && Catch::Contains("no_such.lib"));
}

// The sky130 route (Yosys + ABC to sky130_fd_sc_hd, OpenSTA) on two stand-in packages whose
// tandem_top computes (a * b) * c from registers and an SRAM macro's read data: in one cycle,
// or with a register between the multiplies. The route, not the accelerator: a full package
// takes minutes (the slow test below).
TEST_CASE("t_export: tandem synth --target sky130 times a long path slower than a registered one", "[export][fast]") {
  const auto standin = [&](const std::string& name, bool registered) {
    const fs::path dir = kOut / name;
    fs::remove_all(dir);
    fs::create_directories(dir / "synth");
    std::ofstream(dir / "synth.ys") << "# stand-in\n";
    std::ofstream(dir / "filelist_sram.f") << "+incdir+rtl\ntop.v\n";
    // 500 MHz: out of reach for both, so ABC maps both for their best delay (against a clock
    // they could meet, it would trade the slack for area and both would end near the target).
    std::ofstream(dir / "constraints.sdc") << "create_clock -name clk -period 2.000 [get_ports clk]\n"
                                              "set_input_delay -clock clk 0.4 [all_inputs]\n"
                                              "set_output_delay -clock clk 0.4 [all_outputs]\n";
    std::ofstream(dir / "synth/sram_blackbox.v")
        << "(* blackbox *)\nmodule tandem_sram_1r1w #(parameter int WIDTH = 32, parameter int DEPTH = 256, "
           "parameter int AW = 8) (\n  input logic CLK, WE, RE,\n  input logic [AW-1:0] WADDR, RADDR,\n"
           "  input logic [WIDTH-1:0] WDATA,\n  output logic [WIDTH-1:0] RDATA\n);\nendmodule\n";
    std::ofstream(dir / "top.v")
        << "module tandem_top(input logic clk, input logic [15:0] a, b, input logic [3:0] addr,\n"
           "                  output logic [47:0] q);\n"
           "  logic [15:0] a_q, b_q, c;\n  logic [31:0] ab, ab_q;\n"
           "  tandem_sram_1r1w #(.WIDTH(16), .DEPTH(16), .AW(4)) macro (.CLK(clk), .WE(1'b0), .WADDR(4'd0),\n"
           "      .WDATA(16'd0), .RE(1'b1), .RADDR(addr), .RDATA(c));\n"
           "  assign ab = a_q * b_q;\n"
        << (registered ? "  always_ff @(posedge clk) ab_q <= ab;\n" : "  assign ab_q = ab;\n")
        << "  always_ff @(posedge clk) begin a_q <= a; b_q <= b; q <= ab_q * c; end\n"
           "endmodule\n";
    const ProcessResult result = run_process(tandem_binary() + " synth " + quoted(dir) + " --target sky130");
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    CHECK_THAT(result.out, Catch::Contains("Fmax") && Catch::Contains("worst path"));
    return nlohmann::json::parse(read_file((dir / "synth_sky130.json").string()));
  };
  const auto chained = standin("sky130_chained", false);
  const auto registered = standin("sky130_registered", true);
  for (const auto* json : {&chained, &registered}) {
    CHECK((*json)["target"] == "sky130");
    CHECK((*json)["cells"].get<int>() > 100);
    CHECK((*json)["area_um2"].get<double>() > 1000);
    CHECK((*json)["clock_mhz"] == Approx(500));
    CHECK((*json)["fmax_mhz"].get<double>() == Approx(1000 / (*json)["critical_path_ns"].get<double>()));
    CHECK((*json)["wns_ns"].get<double>() <= 0);
    REQUIRE((*json)["sram_macros"].size() == 1);
    CHECK((*json)["sram_macros"][0]["cell"] == "tandem_sram_1r1w_w16_d16");
    CHECK((*json)["worst_path"]["end"].get<std::string>().rfind("q[", 0) == 0);
  }
  // The registered design's worst path is one multiply, the chained one's two.
  CHECK(registered["fmax_mhz"].get<double>() > 1.15 * chained["fmax_mhz"].get<double>());
  const auto flip_flops = [](const nlohmann::json& json) {
    int count = 0;
    for (const auto& [type, n] : json["yosys"]["cell_types"].items()) {
      if (type.find("__df") != std::string::npos) count += n.get<int>();
    }
    return count;
  };
  CHECK(flip_flops(registered) == flip_flops(chained) + 32);  // the register between the multiplies
}

// A mid-size configuration through the sky130 route meets the clock it claims (docs/results.md
// "Timing closure" has the sweep); its area splits into the units.
TEST_CASE("t_export: a 4x4 package meets its 100 MHz on sky130 HD typical", "[export][slow]") {
  const fs::path dir = exported("sky130_4x4", "tests/handoff/data/sky130_4x4.yaml", "--no-measure");
  fs::remove(dir / "synth_sky130.json");
  const ProcessResult result = run_process(tandem_binary() + " synth " + quoted(dir) + " --target sky130");
  INFO(result.out << result.err);
  REQUIRE(result.exit_code == 0);
  const auto json = nlohmann::json::parse(read_file((dir / "synth_sky130.json").string()));
  CHECK(json["clock_mhz"] == Approx(100));
  CHECK(json["fmax_mhz"].get<double>() >= 100);
  CHECK(json["meets_clock"] == true);
  CHECK(json["wns_ns"] == 0);
  CHECK(json["tns_ns"] == 0);
  const auto& parts = json["area_by_component_um2"];
  double sum = 0;
  for (const char* unit : {"tandem_array_unit", "tandem_vector_unit", "tandem_dma", "tandem_controller"}) {
    INFO(unit);
    REQUIRE(parts.contains(unit));
    CHECK(parts[unit].get<double>() > 1000);
  }
  for (const auto& [name, area] : parts.items()) sum += area.get<double>();
  CHECK(sum == Approx(json["area_um2"].get<double>()));
  int banks = 0;  // IBUF, WBUF and OBUF of 2 banks each, and PARAM's one
  for (const auto& macro : json["sram_macros"]) banks += macro["instances"].get<int>();
  CHECK(banks == 7);
}

// The SRAM-macro variant synthesizes with the macro as a black box: one instance per bank
// (input, weight and output buffers, one bank each, and the PARAM memory).
TEST_CASE("t_export: synth/sram.ys puts one SRAM macro instance in each scratchpad bank", "[export][slow]") {
  const fs::path dir = exported("tiny_2x2", "tests/handoff/data/tiny_2x2.yaml", "--no-measure");
  fs::remove(dir / "synth_sram_stat.txt");
  const ProcessResult result = run_process("cd " + quoted(dir) + " && yosys -q -l synth_sram.log -s synth/sram.ys");
  INFO(result.out << result.err);
  REQUIRE(result.exit_code == 0);
  const std::string stat = read_file((dir / "synth_sram_stat.txt").string());
  std::smatch match;
  REQUIRE(std::regex_search(stat, match, std::regex(R"(tandem_sram_1r1w\s+(\d+))")));
  CHECK(match[1].str() == "4");
  CHECK_THAT(stat, !Catch::Contains("$mem"));
}

TEST_CASE("t_export: tandem synth --target generic reports the cell count of a 2x2 package", "[export][slow]") {
  const fs::path dir = exported("tiny_2x2", "tests/handoff/data/tiny_2x2.yaml", "--no-measure");
  fs::remove(dir / "synth_generic.json");
  const ProcessResult result = run_process(tandem_binary() + " synth " + quoted(dir) + " --target generic");
  INFO(result.out << result.err);
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("target generic"));
  CHECK_THAT(result.out, Catch::Contains("yosys cells"));
  REQUIRE(fs::exists(dir / "synth_generic.json"));
  const auto json = nlohmann::json::parse(read_file((dir / "synth_generic.json").string()));
  CHECK(json["target"] == "generic");
  CHECK(json["cells"].get<std::int64_t>() > 1000);
  CHECK(json["cells"] == json["yosys"]["cells"]);
  CHECK(json["yosys"]["cell_types"].size() > 0);
}

// The FPGA routes end to end. iCE40: Yosys synth_ice40 -dsp, then nextpnr-ice40 places and
// routes the flow's FPGA variant on an UP5K and reports Fmax (docs/handoff.md). The flow's 2x2
// with its 8-stage requantizer fits (about 5190 of 5280 logic cells) and meets the flow's
// 24 MHz, through the DSP blocks too (about 25 MHz, nextpnr seed 1).
TEST_CASE("t_export: tandem synth --target ice40 and xilinx report the flow package's resources", "[export][slow]") {
  const fs::path dir = exported("fpga_ice40", kFpgaFlow, "--no-measure " + kFpgaArgs);
  fs::remove(dir / "synth_ice40.json");
  const ProcessResult result =
      run_process(tandem_binary() + " synth " + quoted(dir) + " --target ice40 --device up5k");
  INFO(result.out << result.err);
  CHECK_THAT(result.out, Catch::Contains("target ice40"));
  REQUIRE(fs::exists(dir / "synth_ice40.json"));
  const auto json = nlohmann::json::parse(read_file((dir / "synth_ice40.json").string()));
  CHECK(json["device"] == "up5k");
  CHECK(json["target_mhz"] == 24);
  CHECK(json["yosys"]["cell_types"]["SB_LUT4"].get<std::int64_t>() > 0);
  const auto& use = json["utilization"];
  REQUIRE(use.contains("ICESTORM_LC"));
  CHECK(use["ICESTORM_LC"]["available"] == 5280);
  CHECK(use["ICESTORM_DSP"]["available"] == 8);
  CHECK(use["ICESTORM_DSP"]["used"] == 8);  // the PEs' and the vector lane's multipliers
  REQUIRE(json["fits"].get<bool>());
  CHECK(result.exit_code == 0);
  CHECK(use["ICESTORM_LC"]["used"].get<std::int64_t>() <= 5280);
  CHECK(json["fmax_mhz"].get<double>() >= 24);
  CHECK(json["fmax_through_dsps_mhz"].get<double>() >= 24);
  CHECK(json["meets_clock"].get<bool>());
  CHECK_THAT(result.out, Catch::Contains("MHz, met)"));

  // Xilinx 7-series estimates of the same package (synth_xilinx, about 40 s of CPU).
  fs::remove(dir / "synth_xilinx.json");
  const ProcessResult xilinx = run_process(tandem_binary() + " synth " + quoted(dir) + " --target xilinx");
  INFO(xilinx.out << xilinx.err);
  REQUIRE(xilinx.exit_code == 0);
  const auto xjson = nlohmann::json::parse(read_file((dir / "synth_xilinx.json").string()));
  for (const char* resource : {"lut", "ff", "dsp", "bram"}) {
    INFO(resource);
    CHECK(xjson["resources"][resource].get<std::int64_t>() > 0);
    CHECK_THAT(xilinx.out, Catch::Contains(resource));
  }
}

// Without the FPGA options the flow's package needs more than an UP5K: the report still comes,
// with nextpnr's packing utilization, and the command fails naming the device.
TEST_CASE("t_export: tandem synth --target ice40 reports a design that does not fit", "[export][slow]") {
  const fs::path dir = exported("fpga_ice40_full", kFpgaFlow, "--no-measure");
  fs::remove(dir / "synth_ice40.json");
  const ProcessResult result =
      run_process(tandem_binary() + " synth " + quoted(dir) + " --target ice40 --device up5k");
  INFO(result.out << result.err);
  CHECK(result.exit_code != 0);
  CHECK_THAT(result.err, Catch::Contains("does not fit the up5k"));
  REQUIRE(fs::exists(dir / "synth_ice40.json"));
  const auto json = nlohmann::json::parse(read_file((dir / "synth_ice40.json").string()));
  CHECK_FALSE(json["fits"].get<bool>());
  CHECK_FALSE(json.contains("fmax_mhz"));
  const auto& lc = json["utilization"]["ICESTORM_LC"];
  CHECK(lc["used"].get<std::int64_t>() > lc["available"].get<std::int64_t>());
  CHECK_THAT(result.out, Catch::Contains("fits             no"));
}
