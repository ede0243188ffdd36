// The accuracy meter of the search: the `accuracy:` block of a flow file, the cache, and
// running the built-in trainer or the user's command as a watched subprocess.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "accuracy/accuracy.h"
#include "core/cache_entries.h"
#include "core/files.h"
#include "core/process.h"
#include "core/sha256.h"
#include "core/text.h"
#include "models/network_io.h"
#include "models/network_space.h"

namespace tandem {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string>& accuracy_kinds() {
  static const std::vector<std::string> kinds = {"train", "supernet", "command"};
  return kinds;
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

// The JSON the command printed: its whole stdout, else its last non-empty line.
std::optional<nlohmann::json> printed_json(const std::string& out) {
  for (const std::string& text : {out, last_nonblank_line(out)}) {
    try {
      nlohmann::json json = nlohmann::json::parse(text);
      if (json.is_object()) return json;
    } catch (const nlohmann::json::exception&) {
    }
  }
  return std::nullopt;
}

std::optional<double> fraction(const nlohmann::json& json, const char* key) {
  if (!json.contains(key) || !json[key].is_number()) return std::nullopt;
  const double value = json[key].get<double>();
  if (!(value >= 0 && value <= 1)) return std::nullopt;
  return value;
}

}  // namespace

AccuracySpec parse_accuracy_spec(const YamlMap& map) {
  map.require_only({"kind", "recipe", "supernet", "retrain", "command", "seed", "timeout_seconds"});
  AccuracySpec spec;
  if (map.has("kind")) {
    spec.kind = map.string("kind");
    const auto& kinds = accuracy_kinds();
    if (std::find(kinds.begin(), kinds.end(), spec.kind) == kinds.end()) {
      const std::string nearest = nearest_name(spec.kind, kinds);
      throw map.error("kind", "unknown kind '" + spec.kind + "'" +
                                  (nearest.empty() ? "" : " (did you mean '" + nearest + "'?)") +
                                  "; valid: train, supernet, command");
    }
  }
  if (map.has("recipe")) {
    if (spec.kind != "train") {
      throw map.error("recipe", spec.kind == "supernet"
                                    ? "a `kind: supernet` evaluator has `supernet:` (the supernet's training) and "
                                      "`retrain:` (the validated winners' stand-alone training) instead"
                                    : "only a `kind: train` evaluator has a recipe");
    }
    spec.recipe = parse_training_recipe(map.map("recipe"));
  }
  for (const char* key : {"supernet", "retrain"}) {
    if (map.has(key) && spec.kind != "supernet") {
      throw map.error(key, "only a `kind: supernet` evaluator has `" + std::string(key) + ":`");
    }
  }
  if (map.has("supernet")) spec.supernet = parse_supernet_recipe(map.map("supernet"));
  if (map.has("retrain")) spec.retrain = parse_training_recipe(map.map("retrain"));
  if (spec.kind == "command") {
    if (!map.has("command")) {
      throw map.error("kind", "a `kind: command` evaluator needs `command:` (a shell command "
                              "template with {network}, {seed}, {hash}, {out})");
    }
    spec.command = map.string("command");
    if (spec.command.find("{network}") == std::string::npos) {
      throw map.error("command", "does not mention {network}, the path of the network YAML");
    }
    if (map.has("seed")) {
      const std::int64_t seed = map.integer("seed");
      if (seed < 0) throw map.error("seed", std::to_string(seed) + " is negative; valid: an integer >= 0");
      spec.recipe.seed = static_cast<std::uint64_t>(seed);
    }
  } else {
    if (map.has("command")) throw map.error("command", "only a `kind: command` evaluator runs a command");
    if (map.has("seed")) {
      throw map.error("seed", spec.kind == "train" ? "a `kind: train` evaluator takes its seed from `recipe: {seed: S}`"
                                                   : "a `kind: supernet` evaluator takes its seed from `supernet: {seed: S}`");
    }
  }
  if (map.has("timeout_seconds")) {
    spec.timeout_seconds = map.number("timeout_seconds");
    if (!(spec.timeout_seconds > 0)) {
      throw map.error("timeout_seconds", "must be a positive number of seconds");
    }
  }
  return spec;
}

nlohmann::json to_json(const AccuracyResult& r) {
  nlohmann::json json = {{"ok", r.ok}, {"error", r.error}, {"accuracy", r.accuracy},
                         {"network_file", r.network_file}, {"detail", r.detail},
                         {"seconds", r.seconds}};
  json["float_accuracy"] = r.float_accuracy ? nlohmann::json(*r.float_accuracy) : nlohmann::json();
  return json;
}

AccuracyResult accuracy_result_from_json(const nlohmann::json& json) {
  AccuracyResult r;
  r.ok = json.value("ok", false);
  r.error = json.value("error", "");
  r.accuracy = json.value("accuracy", 0.0);
  if (json.contains("float_accuracy") && json["float_accuracy"].is_number()) {
    r.float_accuracy = json["float_accuracy"].get<double>();
  }
  r.network_file = json.value("network_file", "");
  r.detail = json.contains("detail") ? json["detail"] : nlohmann::json();
  r.seconds = json.value("seconds", 0.0);
  return r;
}

std::string sibling_executable(const std::string& name) {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (error) return name;  // fall back to PATH
  return (self.parent_path() / name).string();
}

namespace {

// The trained network's folder (network.yaml and weights/) linked, else copied, to `kept`;
// returns the kept network file (absolute), or `network_file` when neither works. Published by
// rename from a folder unique to this call: parallel workers keeping the same network never see
// half a copy.
std::string keep_network(const std::string& network_file, const fs::path& kept) {
  if (network_file.empty()) return network_file;
  std::error_code error;
  const fs::path kept_file = fs::absolute(kept / fs::path(network_file).filename(), error);
  if (fs::exists(kept_file, error)) return kept_file.string();
  static std::atomic<unsigned> counter{0};
  const fs::path partial =
      kept.string() + ".partial-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  fs::create_directories(kept.parent_path(), error);
  const fs::path source = fs::path(network_file).parent_path();
  fs::copy(source, partial, fs::copy_options::recursive | fs::copy_options::create_hard_links, error);
  if (error) {
    fs::remove_all(partial, error);
    fs::copy(source, partial, fs::copy_options::recursive, error);
  }
  if (!error) fs::rename(partial, kept, error);  // fails when another worker published first
  fs::remove_all(partial, error);
  return fs::exists(kept_file, error) ? kept_file.string() : network_file;
}

// OMP/MKL/OpenBLAS pools sized like torch's intra-op threads.
std::vector<std::pair<std::string, std::string>> thread_environment(int threads) {
  const std::string count = std::to_string(threads);
  return {{"OMP_NUM_THREADS", count}, {"MKL_NUM_THREADS", count}, {"OPENBLAS_NUM_THREADS", count}};
}

// The cache area of trained supernets, beside the accuracy area (<root>/supernet).
fs::path supernet_area(const std::string& accuracy_cache_dir) {
  return fs::path(accuracy_cache_dir).parent_path() / "supernet";
}

// An exclusive lock on a file for as long as the object lives (blocks until it is free).
class ExclusiveLock {
 public:
  explicit ExclusiveLock(const fs::path& file) : fd_(::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    if (fd_ < 0 || ::flock(fd_, LOCK_EX) != 0) {
      throw std::runtime_error("cannot lock " + file.string() + ": " + std::strerror(errno));
    }
  }
  ~ExclusiveLock() { ::close(fd_); }
  ExclusiveLock(const ExclusiveLock&) = delete;
  ExclusiveLock& operator=(const ExclusiveLock&) = delete;

 private:
  int fd_;
};

// What identifies the trainer's code: the SHA-256 of its executable, so that a rebuilt trainer
// (another training loop, another libtorch at build time) does not reuse its predecessor's
// accuracies. A missing trainer has no identity (its runs fail and are not reused anyway).
std::string trainer_identity(const std::string& path) {
  try {
    return sha256_hex(read_file(path)).substr(0, 16);
  } catch (const std::exception&) {
    return "absent";
  }
}

}  // namespace

AccuracyMeter::AccuracyMeter(AccuracySpec spec, std::string cache_dir, std::string trainer_path)
    : spec_(std::move(spec)),
      cache_dir_(std::move(cache_dir)),
      trainer_path_(!trainer_path.empty()       ? std::move(trainer_path)
                    : spec_.kind == "supernet" ? sibling_executable("tandem-supernet")
                                               : sibling_executable("tandem-train")),
      trainer_identity_(spec_.kind != "command" ? trainer_identity(trainer_path_) : std::string()) {}

std::string AccuracyMeter::spec_hash() const {
  std::string text;
  if (spec_.kind == "train") {
    text = "kind=train\ntrainer=" + trainer_identity_ + "\n" + recipe_canonical_text(spec_.recipe);
  } else if (spec_.kind == "supernet") {
    text = "kind=supernet\ntrainer=" + trainer_identity_ + "\n" + supernet_recipe_canonical_text(spec_.supernet);
  } else {
    text = "kind=command\ncommand=" + spec_.command + "\nseed=" + std::to_string(spec_.recipe.seed) + "\n";
  }
  return sha256_hex(text).substr(0, 16);
}

std::string AccuracyMeter::supernet_dir() const {
  return (supernet_area(cache_dir_) / supernet_key()).string();
}

std::string AccuracyMeter::supernet_key() const {
  return supernet_training_hash(spec_.supernet) + "-" + trainer_identity_;
}

void AccuracyMeter::prepare(const std::function<void(const std::string&)>& progress,
                            const RemoteRunner& remote) const {
  if (spec_.kind != "supernet") return;
  const std::lock_guard<std::mutex> lock(prepare_mutex_);
  if (prepared_) return;
  const fs::path dir = supernet_dir();
  const CacheEntryUse use(supernet_area(cache_dir_), supernet_key());
  std::error_code error;
  if (!fs::exists(dir / "supernet.json", error)) {
    fs::create_directories(dir);
    // One trainer per supernet across processes: a second search waits for the first.
    const ExclusiveLock trainer_lock(supernet_area(cache_dir_) / ("." + supernet_key() + ".training"));
    if (!fs::exists(dir / "supernet.json", error)) {
      const std::string recipe_file = (dir / "recipe.yaml").string();
      write_file(recipe_file, supernet_recipe_to_yaml(spec_.supernet));
      const std::string log = (dir / "train.log").string();
      if (progress) progress("training the supernet in " + dir.string() + " (resumable; cached for later searches)");
      const std::vector<std::string> train = {trainer_path_, "train", "--recipe", recipe_file, "-o", dir.string()};
      if (remote) {
        std::vector<std::string> argv = {"env"};
        for (const auto& [name, value] : thread_environment(spec_.supernet.threads)) argv.push_back(name + "=" + value);
        argv.insert(argv.end(), train.begin(), train.end());
        remote(argv, (dir / "supernet.json").string());
        prepared_ = true;
        return;
      }
      ProcessOptions options;
      options.env = thread_environment(spec_.supernet.threads);
      // Progress straight to the user when there is someone to show it to.
      options.stderr_inherited = static_cast<bool>(progress);
      options.stderr_file = log;
      options.stdout_file = (dir / "train.out").string();
      const ProcessResult process = run_process(train, options);
      if (!process.ok()) {
        throw std::runtime_error("tandem-supernet train " + process.describe() + " (its messages: " +
                                 (progress ? std::string("above") : log) + ")");
      }
    }
  }
  prepared_ = true;
}

AccuracyResult AccuracyMeter::measure(const Network& network, const std::string& network_hash,
                                      const std::string& keep_dir) const {
  prepare();  // "supernet": trained once, before the first candidate
  const std::string key = network_hash + "-" + spec_hash();
  const std::string cache_file = (fs::path(cache_dir_) / (key + ".json")).string();
  const CacheEntryUse use(cache_dir_, key);  // a prune leaves the entry alone meanwhile
  std::error_code error;
  if (fs::exists(cache_file, error)) {
    try {
      AccuracyResult cached = accuracy_result_from_json(nlohmann::json::parse(read_file(cache_file)));
      // A result whose trained network was deleted is measured again, not returned without it.
      if (cached.ok && (cached.network_file.empty() || fs::exists(cached.network_file, error))) {
        cached.cached = true;
        if (!keep_dir.empty()) cached.network_file = keep_network(cached.network_file, fs::path(keep_dir) / key);
        return cached;
      }
    } catch (const std::exception&) {
      // An unreadable entry (not JSON, not readable) is evaluated again and overwritten.
    }
  }
  // A scratch directory per call: two workers on the same key do not share files.
  static std::atomic<unsigned> counter{0};
  const std::string work_dir = (fs::path(cache_dir_) / "work" /
                                (key + "." + std::to_string(::getpid()) + "." + std::to_string(counter++)))
                                   .string();
  AccuracyResult result;
  const auto start = std::chrono::steady_clock::now();
  try {
    fs::create_directories(work_dir);
    result = run(network, network_hash, work_dir);
  } catch (const std::exception& e) {  // an unwritable cache, a network that does not serialize
    result = AccuracyResult{};
    result.error = e.what();
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  try {
    write_file_atomically(cache_file, to_json(result).dump(2) + "\n");
  } catch (const std::exception& e) {
    if (result.ok) {
      result.ok = false;
      result.error = std::string("cannot write the cache: ") + e.what();
    }
  }
  if (result.ok && !keep_dir.empty()) result.network_file = keep_network(result.network_file, fs::path(keep_dir) / key);
  enforce_cache_size_cap(fs::path(cache_dir_).parent_path());  // the cache grew
  return result;
}

AccuracyResult AccuracyMeter::run(const Network& network, const std::string& network_hash,
                                  const std::string& work_dir) const {
  AccuracyResult result;
  const fs::path dir(work_dir);
  const std::string network_file = (dir / "network.yaml").string();
  if (spec_.kind != "supernet") {
    // The structure only: trainers and commands start from scratch, and weights would make the
    // file large.
    Network structure = network;
    for (Layer& layer : structure.layers) layer.quant.reset();
    write_file(network_file, network_to_yaml(structure));
  }
  const std::string stdout_file = (dir / "stdout.txt").string();
  const std::string stderr_file = (dir / "stderr.txt").string();
  const std::string out_dir = (dir / "out").string();
  std::vector<std::string> argv;
  // Libraries that size thread pools from the environment get the recipe's count too; a
  // candidate on the supernet uses one thread (parallel workers use the cores).
  auto env = thread_environment(spec_.kind == "supernet" ? 1 : spec_.recipe.threads);
  std::optional<CacheEntryUse> supernet_use;
  if (spec_.kind == "train") {
    const std::string recipe_file = (dir / "recipe.yaml").string();
    write_file(recipe_file, recipe_to_yaml(spec_.recipe));
    argv = {trainer_path_, network_file, "--recipe", recipe_file, "-o", out_dir};
  } else if (spec_.kind == "supernet") {
    const NetworkSpace* space = NetworkSpace::find(spec_.supernet.space);
    if (!space) throw std::invalid_argument("unknown network space '" + spec_.supernet.space + "'");
    const Genotype genotype = space->encode(network);  // throws for a network outside the space
    supernet_use.emplace(supernet_area(cache_dir_), supernet_key());
    const std::string recipe_file = (dir / "recipe.yaml").string();  // its evaluation fields
    write_file(recipe_file, supernet_recipe_to_yaml(spec_.supernet));
    argv = {trainer_path_, "eval", "--supernet", supernet_dir(), "--recipe", recipe_file, "--genotype",
            format_genotype(genotype), "--threads", "1"};
  } else {
    fs::create_directories(out_dir);
    std::string command = spec_.command;
    // Quoted for /bin/sh: the placeholders are paths and hashes, but a folder may hold spaces.
    replace_all(command, "{network}", shell_quote(network_file));
    replace_all(command, "{seed}", std::to_string(spec_.recipe.seed));
    replace_all(command, "{hash}", shell_quote(network_hash));
    replace_all(command, "{out}", shell_quote(out_dir));
    argv = {"/bin/sh", "-c", command};
  }
  ProcessOptions options;
  options.env = env;
  options.timeout_seconds = spec_.timeout_seconds;
  options.stdout_file = stdout_file;
  options.stderr_file = stderr_file;
  const ProcessResult process = run_process(argv, options);
  const std::string program = spec_.kind == "train"      ? "tandem-train"
                              : spec_.kind == "supernet" ? "tandem-supernet eval"
                                                         : "accuracy command";
  if (!process.ok()) {
    const std::string tail = process.started ? last_nonblank_line(read_file(stderr_file)) : std::string();
    result.error = program + " " + process.describe() + (tail.empty() ? "" : ": " + tail);
    return result;
  }
  std::optional<nlohmann::json> printed;
  if (spec_.kind == "train") {
    const std::string summary = (dir / "out" / "train.json").string();
    try {
      printed = nlohmann::json::parse(read_file(summary));
    } catch (const std::exception&) {  // missing, unreadable or not JSON
      result.error = "tandem-train wrote no readable " + summary;
      return result;
    }
  } else {
    printed = printed_json(read_file(stdout_file));
    if (!printed) {
      const std::string tail = last_nonblank_line(read_file(stdout_file));
      result.error = program + " printed no JSON object" +
                     (tail.empty() ? std::string(" (empty output)") : ": '" + tail.substr(0, 200) + "'");
      return result;
    }
  }
  result.detail = *printed;
  const std::optional<double> accuracy = fraction(*printed, "accuracy");
  if (!accuracy) {
    result.error = program + " printed no \"accuracy\" number in [0, 1]";
    return result;
  }
  result.ok = true;
  result.accuracy = *accuracy;
  result.float_accuracy = fraction(*printed, "float_accuracy");
  if (spec_.kind == "train") result.network_file = (dir / "out" / "network.yaml").string();
  return result;
}

}  // namespace tandem
