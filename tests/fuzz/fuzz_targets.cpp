#include "fuzz_targets.h"

#include <cxxabi.h>

#include <csignal>
#include <cstdlib>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <random>
#include <regex>
#include <set>
#include <typeinfo>
#include <unistd.h>

#include "accuracy/accuracy.h"
#include "compiler/compiler.h"
#include "core/accelerator_yaml.h"
#include "core/files.h"
#include "core/flow_spec.h"
#include "core/input_error.h"
#include "core/program.h"
#include "core/scalesim_config.h"
#include "cost/cost.h"
#include "golden/golden.h"
#include "models/network_builder.h"
#include "models/network_io.h"
#include "models/npy.h"
#include "models/onnx.h"
#include "models/random_quantization.h"
#include "models/topology_csv.h"
#include "search/search_flow.h"

namespace tandem::fuzz {
namespace fs = std::filesystem;

namespace {

// Seeds for the binary formats: two arrays, and the program of a small layer.
std::vector<std::string> npy_seeds() {
  const fs::path dir = fs::temp_directory_path() / ("tandem-fuzz-seeds-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  npy::write((dir / "a.npy").string(), "i1", {2, 3}, {1, -2, 3, -4, 5, -128});
  npy::write((dir / "b.npy").string(), "i4", {4}, {70000, -1, 0, 2147483647});
  std::vector<std::string> seeds = {read_file(dir / "a.npy"), read_file(dir / "b.npy")};
  fs::remove_all(dir);
  return seeds;
}

std::vector<std::string> program_seeds() {
  NetworkBuilder b("fuzz", {4, 4, 3}, 4);
  b.conv("conv", NetworkBuilder::network_input, 4, 3, 1, Activation::relu);
  Network net = b.finish();
  quantize_randomly(net, 1);
  const Tensor8 input = random_input(net, 2);
  AcceleratorConfig config;
  config.array = {2, 2, Dataflow::weight_stationary};
  config.buffers = {4, 4, 4, 1};
  const Program program = compile_layer(net.layers[0], {&input}, config);
  const fs::path file = fs::temp_directory_path() / ("tandem-fuzz-seed-" + std::to_string(::getpid()) + ".tpg");
  write_program_file(program, file.string());
  std::string bytes = read_file(file);
  fs::remove(file);
  return {bytes};
}

// Seeds of the onnx target besides tests/data/models/onnx/seeds: tandem's own exports of a
// small network, quantized (QDQ) and float.
std::vector<std::string> onnx_seeds() {
  const fs::path dir = fs::temp_directory_path() / ("tandem-fuzz-onnx-seeds-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  NetworkBuilder b("fuzz_onnx", {6, 6, 3}, 4);
  const int conv = b.conv("conv", NetworkBuilder::network_input, 4, 3, 2, Activation::relu6);
  const int dw = b.depthwise("dw", conv, 3, 1, Activation::relu);
  const int pool = b.pool("pool", LayerKind::max_pool, b.add("res", conv, dw), 2, 1);
  b.fully_connected("fc", b.global_avg_pool("gap", b.pool("avg", LayerKind::avg_pool, pool, 2, 1, Padding::valid)), 4);
  Network net = b.finish();
  export_onnx(net, (dir / "float.onnx").string(), 3);
  quantize_randomly(net, 2);
  export_onnx(net, (dir / "qdq.onnx").string(), 3);
  std::vector<std::string> seeds = {read_file(dir / "float.onnx"), read_file(dir / "qdq.onnx")};
  fs::remove_all(dir);
  return seeds;
}

// Tokens worth inserting: YAML structure, numbers at the edges of their types, and every word
// of the seeds (keys and enum values), so that mutations reach deep fields.
std::vector<std::string> dictionary(const std::vector<std::string>& seeds) {
  std::vector<std::string> tokens = {
      ":", ": ", "\n", "\n  ", "- ", "[", "]", "{", "}", ",", "#", "'", "\"", "&a ", "*a", "<<: *a", "!!str ",
      "!!binary ", "~", "null", "true", "-", "0", "1", "-1", "2", "3", "7", "8", "64", "255", "256", "65536",
      "2147483647", "2147483648", "-2147483649", "4294967296", "9223372036854775807", "18446744073709551616",
      "1e308", "-1e308", "1e-320", "nan", ".nan", "inf", ".inf", "-.inf", "0x10", "0o7", "1.5", "-0.0", "1_000",
      "\t", "\r\n", "\\", "%", "@", "`", "|", ">", "?", "\xff", std::string(1, '\0'), "\x93NUMPY", "zoo:"};
  std::set<std::string> words;
  const std::regex word("[A-Za-z_][A-Za-z_0-9.]{1,30}");
  for (const std::string& seed : seeds) {
    for (auto it = std::sregex_iterator(seed.begin(), seed.end(), word); it != std::sregex_iterator(); ++it) {
      words.insert(it->str());
      if (words.size() > 4000) break;
    }
  }
  tokens.insert(tokens.end(), words.begin(), words.end());
  return tokens;
}

class Mutator {
 public:
  Mutator(std::uint64_t seed, std::vector<std::string> tokens) : random_(seed), tokens_(std::move(tokens)) {}

  std::string mutate(std::string data, const std::vector<std::string>& pool) {
    const int count = 1 + static_cast<int>(below(4));
    for (int i = 0; i < count; ++i) apply(data, pool);
    if (data.size() > 1 << 16) data.resize(1 << 16);
    return data;
  }

  std::size_t below(std::size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(random_); }

 private:
  void apply(std::string& data, const std::vector<std::string>& pool) {
    const std::size_t at = below(data.size() + 1);
    switch (below(9)) {
      case 0:  // flip a bit
        if (!data.empty()) data[below(data.size())] ^= static_cast<char>(1 << below(8));
        break;
      case 1:  // a token in place of a byte
        if (!data.empty()) data.replace(below(data.size()), 1, token());
        break;
      case 2:  // insert a token
        data.insert(at, token());
        break;
      case 3: {  // delete a range
        const std::size_t n = 1 + below(16);
        if (at < data.size()) data.erase(at, n);
        break;
      }
      case 4: {  // duplicate a range
        if (data.empty()) break;
        const std::size_t from = below(data.size());
        data.insert(at, data.substr(from, 1 + below(64)));
        break;
      }
      case 5: {  // replace a number by another
        const std::size_t digit = data.find_first_of("0123456789", at);
        if (digit == std::string::npos) break;
        const std::size_t end = data.find_first_not_of("0123456789.", digit);
        data.replace(digit, (end == std::string::npos ? data.size() : end) - digit, token_number());
        break;
      }
      case 6: {  // copy a line elsewhere
        const std::size_t start = data.rfind('\n', at);
        const std::size_t from = start == std::string::npos ? 0 : start + 1;
        const std::size_t end = data.find('\n', from);
        const std::string line = data.substr(from, end == std::string::npos ? std::string::npos : end - from + 1);
        data.insert(below(data.size() + 1), line);
        break;
      }
      case 7:  // truncate
        data.resize(at);
        break;
      default: {  // splice: this input's head, another's tail
        const std::string& other = pool[below(pool.size())];
        data = data.substr(0, at) + other.substr(below(other.size() + 1));
        break;
      }
    }
  }
  std::string token() { return tokens_[below(tokens_.size())]; }
  std::string token_number() {
    static const char* numbers[] = {"0", "-1", "1", "3", "65536", "2147483648", "-2147483649", "99999999999999999999",
                                    "1e9", "0.5", "nan", "inf"};
    return numbers[below(sizeof numbers / sizeof numbers[0])];
  }

  std::mt19937_64 random_;
  std::vector<std::string> tokens_;
};

// A hang is a finding too: an execution that runs past the alarm aborts the process, leaving its
// input in the work file that the message names.
std::string g_current_file;
void on_alarm(int) {
  const char message[] = "tandem fuzz: an execution ran for more than 20 s (a hang); its input is ";
  [[maybe_unused]] ssize_t written = ::write(2, message, sizeof message - 1);
  written = ::write(2, g_current_file.c_str(), g_current_file.size());
  written = ::write(2, "\n", 1);
  std::abort();
}

std::vector<std::string> read_seeds(const Target& target, const std::string& source_dir) {
  std::vector<std::string> seeds;
  for (const std::string& glob : target.seed_globs) {
    // "dir/*.ext" globs only: enough for the test data's layout.
    const fs::path pattern = fs::path(source_dir) / glob;
    const std::string extension = pattern.extension().string();
    std::error_code error;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(pattern.parent_path(), error)) {
      if (entry.path().extension() == extension) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) seeds.push_back(read_file(file));
  }
  if (target.generated_seeds) {
    for (std::string seed : target.generated_seeds()) seeds.push_back(std::move(seed));
  }
  if (seeds.empty()) seeds.push_back("");
  return seeds;
}

std::string exception_name(const std::exception& e) {
  int status = 0;
  char* demangled = abi::__cxa_demangle(typeid(e).name(), nullptr, nullptr, &status);
  const std::string name = status == 0 && demangled ? demangled : typeid(e).name();
  std::free(demangled);
  return name;
}

}  // namespace

const std::vector<Target>& targets() {
  static const std::vector<Target> all = {
      {"accelerator", ".yaml", {"tests/data/config/good/*.yaml", "tests/data/config/bad/*.yaml", "configs/*.yaml"},
       [](const std::string& file) { load_accelerator_file(file); }, nullptr},
      {"network", ".yaml", {"tests/data/models/good/*.yaml", "tests/data/models/bad/*.yaml"},
       [](const std::string& file) { load_network_file(file); }, nullptr},
      {"topology", ".csv",
       {"tests/data/models/csv/*.csv", "tests/data/models/bad/*.csv", "tests/data/scalesim/topologies/*.csv",
        "tests/data/scalesim/gemm/*.csv"},
       [](const std::string& file) {
         // Both readings: a row error is found by either; chaining has its own checks.
         try {
           load_topology(file, TopologyMode::independent);
         } catch (const InputError&) {
         }
         load_topology(file, TopologyMode::chained);
       },
       nullptr},
      {"scalesim_config", ".cfg", {"tests/data/scalesim/configs/*.cfg", "tests/data/scalesim/bad/*.cfg"},
       [](const std::string& file) { load_scalesim_config(file); }, nullptr},
      {"flow", ".yaml",
       {"flows/*.yaml", "flows/experiments/*.yaml", "tests/data/search/good/*.yaml", "tests/data/search/bad/*.yaml"},
       [](const std::string& file) {
         const FlowSpec flow = load_flow_file(file);
         if (flow.has_search) load_search_flow(file);
       },
       nullptr},
      {"technology", ".yaml", {"technology/*.yaml", "tests/data/technology/bad/*.yaml"},
       [](const std::string& file) { load_technology_file(file); }, nullptr},
      {"recipe", ".yaml", {"tests/data/accuracy/good/*.yaml", "tests/data/accuracy/bad/*.yaml"},
       [](const std::string& file) { load_training_recipe_file(file); }, nullptr},
      {"npy", ".npy", {}, [](const std::string& file) { npy::read(file); }, npy_seeds},
      {"program", ".tpg", {}, [](const std::string& file) { read_program_file(file); }, program_seeds},
      // import_onnx is what load_network runs on a .onnx file (without printing its warnings);
      // one random calibration input keeps float models fast.
      {"onnx", ".onnx", {"tests/data/models/onnx/seeds/*.onnx"},
       [](const std::string& file) {
         OnnxImportOptions options;
         options.random_samples = 1;
         import_onnx(file, options);
       },
       onnx_seeds},
  };
  return all;
}

const Target* find_target(const std::string& name) {
  for (const Target& target : targets()) {
    if (target.name == name) return &target;
  }
  return nullptr;
}

RunStats run_target(const Target& target, const std::string& source_dir, const std::string& work_dir,
                    std::uint64_t executions, std::uint64_t seed, std::size_t max_findings) {
  std::vector<std::string> pool = read_seeds(target, source_dir);
  const std::size_t seed_count = pool.size();
  Mutator mutator(seed, dictionary(pool));
  fs::create_directories(work_dir);
  g_current_file = (fs::path(work_dir) / ("input-" + target.name + target.extension)).string();
  std::signal(SIGALRM, on_alarm);
  RunStats stats;
  const auto start = std::chrono::steady_clock::now();
  for (std::uint64_t n = 0; n < executions && stats.findings.size() < max_findings; ++n) {
    // The seeds as they are first, then mutants of the seeds and of accepted mutants.
    const std::string input = n < seed_count ? pool[n] : mutator.mutate(pool[mutator.below(pool.size())], pool);
    write_file(g_current_file, input);
    const auto one = std::chrono::steady_clock::now();
    ::alarm(20);
    try {
      target.load(g_current_file);
      ++stats.accepted;
      // Inputs that load are the interesting ones to mutate further (bounded pool).
      if (n >= seed_count && pool.size() < seed_count + 2000) pool.push_back(input);
    } catch (const InputError& e) {
      if (e.where().file.empty()) stats.findings.push_back({input, "InputError without a location: " + std::string(e.what())});
      else ++stats.rejected;
    } catch (const std::exception& e) {
      stats.findings.push_back({input, exception_name(e) + ": " + e.what()});
    }
    ::alarm(0);
    stats.slowest_seconds = std::max(stats.slowest_seconds,
                                     std::chrono::duration<double>(std::chrono::steady_clock::now() - one).count());
    ++stats.executions;
  }
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return stats;
}

}  // namespace tandem::fuzz
