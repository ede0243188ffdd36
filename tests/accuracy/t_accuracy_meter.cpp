// The accuracy meter with stand-in commands and trainers: success, cache hits, failures
// that are recorded but retried, bad output, exit status, signals and timeouts.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "accuracy/accuracy.h"
#include "core/files.h"
#include "golden_file.h"
#include "models/network_io.h"
#include "models/network_space.h"

using namespace tandem;
namespace fs = std::filesystem;

namespace {

const std::string kRoot = std::string(TANDEM_TEST_OUTPUT_DIR) + "/t_accuracy_meter";

// A fresh cache folder per test case.
std::string fresh_dir(const std::string& name) {
  const std::string dir = kRoot + "/" + name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

AccuracyMeter command_meter(const std::string& name, const std::string& command,
                                    double timeout = 60) {
  AccuracySpec spec;
  spec.kind = "command";
  spec.command = command;
  spec.timeout_seconds = timeout;
  spec.recipe.seed = 7;
  return AccuracyMeter(spec, fresh_dir(name), "");
}

const Network& network() {
  static const Network net = load_network("zoo:proxy_mobilenet_v1");
  return net;
}

}  // namespace

TEST_CASE("t_accuracy: a command's JSON becomes the result, then comes from the cache", "[accuracy][meter]") {
  const auto meter = command_meter(
      "success", "test -f {network} && grep -q proxy_mobilenet_v1 {network} && "
                 "echo '{\"accuracy\": 0.75, \"float_accuracy\": 0.8, \"note\": \"ok\"}'");
  const AccuracyResult first = meter.measure(network(), "abc123");
  INFO(first.error);
  REQUIRE(first.ok);
  CHECK(first.accuracy == 0.75);
  CHECK(first.float_accuracy == 0.8);
  CHECK(first.detail["note"] == "ok");
  CHECK_FALSE(first.cached);
  CHECK(first.network_file.empty());
  const std::string cache_file = kRoot + "/success/abc123-" + meter.spec_hash() + ".json";
  CHECK(fs::exists(cache_file));
  const AccuracyResult again = meter.measure(network(), "abc123");
  CHECK(again.ok);
  CHECK(again.cached);
  CHECK(again.accuracy == 0.75);
  CHECK(again.detail["note"] == "ok");
  // Another network hash is another entry.
  CHECK_FALSE(meter.measure(network(), "other").cached);
}

TEST_CASE("t_accuracy: placeholders, and JSON on the last line after log output", "[accuracy][meter]") {
  const auto meter = command_meter(
      "placeholders", "echo training...; mkdir -p {out}/x && "
                      "printf '{\"accuracy\": 0.5, \"seed\": %s, \"hash\": \"%s\"}\\n' {seed} {hash} # {network}");
  const AccuracyResult result = meter.measure(network(), "h1");
  INFO(result.error);
  REQUIRE(result.ok);
  CHECK(result.accuracy == 0.5);
  CHECK(result.detail["seed"] == 7);
  CHECK(result.detail["hash"] == "h1");
}

TEST_CASE("t_accuracy: bad output, exit status and timeouts are failures, never exceptions", "[accuracy][meter]") {
  SECTION("no JSON") {
    const auto result = command_meter("no_json", "echo accuracy=0.5 # {network}").measure(network(), "n");
    CHECK_FALSE(result.ok);
    CHECK(result.error == "accuracy command printed no JSON object: 'accuracy=0.5'");
  }
  SECTION("accuracy out of range") {
    const auto result = command_meter("range", "echo '{\"accuracy\": 87}' # {network}").measure(network(), "n");
    CHECK_FALSE(result.ok);
    CHECK(result.error == "accuracy command printed no \"accuracy\" number in [0, 1]");
    CHECK(result.detail["accuracy"] == 87);
  }
  SECTION("non-zero exit") {
    const auto result =
        command_meter("exit", "echo starting >&2; echo 'no GPU found' >&2; exit 3 # {network}").measure(network(), "n");
    CHECK_FALSE(result.ok);
    CHECK(result.error == "accuracy command exited with status 3: no GPU found");
  }
  SECTION("timeout kills the whole process group") {
    const auto start = std::chrono::steady_clock::now();
    const auto result = command_meter("timeout", "sleep 30 & sleep 30; echo '{\"accuracy\": 1}' # {network}", 0.5)
                            .measure(network(), "n");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK_FALSE(result.ok);
    CHECK(result.error == "accuracy command timed out after 0.5 s");
    CHECK(seconds < 5);
  }
}

TEST_CASE("t_accuracy: a crashing trainer is reported with its signal and last words", "[accuracy][meter]") {
  const std::string dir = fresh_dir("crash");
  const std::string trainer = dir + "/fake-tandem-train";
  std::ofstream(trainer) << "#!/bin/sh\necho 'tandem-train: loading network' >&2\nkill -SEGV $$\n";
  fs::permissions(trainer, fs::perms::owner_all);
  AccuracySpec spec;
  spec.recipe.epochs = 1;
  const AccuracyMeter meter(spec, dir + "/cache", trainer);
  const AccuracyResult result = meter.measure(network(), "n");
  CHECK_FALSE(result.ok);
  CHECK(result.error == "tandem-train exited with signal 11: tandem-train: loading network");
  // A trainer that exits cleanly without its summary is a failure too.
  const std::string silent = dir + "/silent-tandem-train";
  std::ofstream(silent) << "#!/bin/sh\nexit 0\n";
  fs::permissions(silent, fs::perms::owner_all);
  const AccuracyResult nothing = AccuracyMeter(spec, dir + "/cache2", silent).measure(network(), "n");
  CHECK_FALSE(nothing.ok);
  CHECK(nothing.error.find("tandem-train wrote no readable ") == 0);
  // A missing trainer cannot start.
  const AccuracyResult missing = AccuracyMeter(spec, dir + "/cache3", dir + "/nonexistent").measure(network(), "n");
  CHECK_FALSE(missing.ok);
  CHECK(missing.error.find("tandem-train could not start: ") == 0);
}

TEST_CASE("t_accuracy: a failure is recorded in the cache but retried", "[accuracy][meter]") {
  const std::string marker = kRoot + "/retry_marker";
  fs::remove(marker);
  const auto meter = command_meter(
      "retry", "if [ -f " + marker + " ]; then echo '{\"accuracy\": 0.6}'; else touch " + marker +
                   "; echo 'first try fails' >&2; exit 1; fi # {network}");
  const AccuracyResult first = meter.measure(network(), "r");
  CHECK_FALSE(first.ok);
  const std::string cache_file = kRoot + "/retry/r-" + meter.spec_hash() + ".json";
  REQUIRE(fs::exists(cache_file));
  CHECK(tandem::read_file(cache_file).find("first try fails") != std::string::npos);
  const AccuracyResult second = meter.measure(network(), "r");
  CHECK(second.ok);
  CHECK_FALSE(second.cached);
  CHECK(meter.measure(network(), "r").cached);
}

TEST_CASE("t_accuracy: parallel workers evaluate at once", "[accuracy][meter]") {
  const auto meter = command_meter("parallel", "sleep 0.3; echo '{\"accuracy\": 0.25}' # {network}");
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::future<AccuracyResult>> results;
  for (int worker = 0; worker < 4; ++worker) {
    results.push_back(std::async(std::launch::async, [&, worker] {
      return meter.measure(network(), "p" + std::to_string(worker % 2));
    }));
  }
  for (auto& result : results) {
    const AccuracyResult r = result.get();
    INFO(r.error);
    CHECK(r.ok);
    CHECK(r.accuracy == 0.25);
  }
  CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < 1.2);
}

TEST_CASE("t_accuracy: the spec hash follows the recipe and the command", "[accuracy][meter]") {
  AccuracySpec a;
  AccuracySpec b = a;
  CHECK(AccuracyMeter(a, kRoot, "x").spec_hash() == AccuracyMeter(b, kRoot, "x").spec_hash());
  b.recipe.epochs = 9;
  CHECK(AccuracyMeter(a, kRoot, "x").spec_hash() != AccuracyMeter(b, kRoot, "x").spec_hash());
  AccuracySpec c;
  c.kind = "command";
  c.command = "./eval {network}";
  AccuracySpec d = c;
  d.command = "./eval2 {network}";
  CHECK(AccuracyMeter(c, kRoot, "").spec_hash() != AccuracyMeter(d, kRoot, "").spec_hash());
}

TEST_CASE("t_accuracy: the spec hash follows the trainer's executable", "[accuracy][meter]") {
  const std::string dir = fresh_dir("trainer_identity");
  const auto trainer = [&](const std::string& name, const std::string& body) {
    write_file(dir + "/" + name, "#!/bin/sh\n" + body + "\n");
    return AccuracyMeter(AccuracySpec{}, dir, dir + "/" + name).spec_hash();
  };
  const std::string first = trainer("a", "echo v1");
  CHECK(trainer("b", "echo v1") == first);  // same code elsewhere: same results
  CHECK(trainer("a", "echo v2") != first);  // rebuilt trainer: measured again
}

TEST_CASE("t_accuracy: the trained network is kept where the caller asks, and a lost one is trained again",
          "[accuracy][meter]") {
  const std::string dir = fresh_dir("keep");
  // A stand-in trainer: argv is NETWORK --recipe FILE -o OUT; it writes OUT/train.json and the
  // network with a weights folder, and counts its runs.
  const std::string trainer = dir + "/fake-tandem-train";
  std::ofstream(trainer) << "#!/bin/sh\necho run >> " << dir << "/runs\nmkdir -p \"$5/weights\"\n"
                         << "echo 'name: trained' > \"$5/network.yaml\"\necho w > \"$5/weights/stem.weights.npy\"\n"
                         << "echo '{\"accuracy\": 0.5}' > \"$5/train.json\"\n";
  fs::permissions(trainer, fs::perms::owner_all);
  const AccuracyMeter meter(AccuracySpec{}, dir + "/cache", trainer);
  const std::string keep = dir + "/study/networks";
  const AccuracyResult first = meter.measure(network(), "n1", keep);
  INFO(first.error);
  REQUIRE(first.ok);
  const fs::path kept = first.network_file;
  CHECK(kept.is_absolute());
  CHECK(kept == fs::absolute(fs::path(keep) / ("n1-" + meter.spec_hash()) / "network.yaml"));
  CHECK(fs::exists(kept.parent_path() / "weights" / "stem.weights.npy"));  // the weights came along
  const AccuracyResult again = meter.measure(network(), "n1", keep);
  CHECK(again.cached);
  CHECK(again.network_file == first.network_file);
  CHECK(read_file(dir + "/runs") == "run\n");
  // The cache's own copy deleted (by hand): measured again rather than returned without it.
  fs::remove_all(dir + "/cache/work");
  const AccuracyResult third = meter.measure(network(), "n1");
  CHECK_FALSE(third.cached);
  CHECK(read_file(dir + "/runs") == "run\nrun\n");
  CHECK(fs::exists(kept));  // the kept copy survived
}

namespace {

// A stand-in tandem-supernet: `train` counts its runs in <dir>/trainings and writes
// supernet.json; `eval` prints the JSON line of the real one for the genotype it is given.
std::string fake_supernet_trainer(const std::string& dir, const std::string& eval_body) {
  const std::string trainer = dir + "/fake-tandem-supernet";
  std::ofstream(trainer) << "#!/bin/sh\n"
                         << "case \"$1\" in\n"
                         << "train) echo run >> " << dir << "/trainings; echo 'epoch 1/1' >&2; "
                         << "shift; while [ $# -gt 0 ]; do [ \"$1\" = -o ] && out=$2; shift; done; "
                         << "echo '{\"space\": \"proxy\"}' > \"$out/supernet.json\" ;;\n"
                         << "eval) " << eval_body << " ;;\n"
                         << "*) exit 2 ;;\n"
                         << "esac\n";
  fs::permissions(trainer, fs::perms::owner_all);
  return trainer;
}

int lines_in(const std::string& file) {
  std::ifstream in(file);
  int lines = 0;
  for (std::string line; std::getline(in, line);) ++lines;
  return lines;
}

}  // namespace

TEST_CASE("t_accuracy: kind supernet trains the supernet once, then reads candidates off it", "[accuracy][meter]") {
  const std::string dir = fresh_dir("supernet");
  // The genotype it was given comes back in the JSON, so the test sees what the meter passed.
  const std::string trainer = fake_supernet_trainer(
      dir, "echo 'loading' >&2; printf '{\"genotype\": \"%s\", \"accuracy\": 0.61, \"float_accuracy\": 0.64}\\n' \"$7\"");
  AccuracySpec spec;
  spec.kind = "supernet";
  spec.supernet.epochs = 1;
  const AccuracyMeter meter(spec, dir + "/cache/accuracy", trainer);
  const Network candidate = NetworkSpace::proxy().decode(NetworkSpace::proxy().sample(3));
  const AccuracyResult first = meter.measure(candidate, "g3");
  INFO(first.error);
  REQUIRE(first.ok);
  CHECK(first.accuracy == 0.61);
  CHECK(first.float_accuracy == 0.64);
  CHECK(first.detail["genotype"] == format_genotype(NetworkSpace::proxy().sample(3)));
  CHECK(first.network_file.empty());  // the winners are trained stand-alone, not these weights
  CHECK(fs::exists(meter.supernet_dir() + "/supernet.json"));
  CHECK(fs::path(meter.supernet_dir()).parent_path() == fs::path(dir) / "cache" / "supernet");
  CHECK(meter.measure(candidate, "g3").cached);
  // Another meter (another search) on the same recipe finds it trained.
  const AccuracyMeter again(spec, dir + "/cache/accuracy", trainer);
  again.prepare();
  CHECK(again.measure(NetworkSpace::proxy().decode(NetworkSpace::proxy().sample(4)), "g4").ok);
  CHECK(lines_in(dir + "/trainings") == 1);
  // Another recipe is another supernet, and another spec hash.
  AccuracySpec longer = spec;
  longer.supernet.epochs = 2;
  const AccuracyMeter other(longer, dir + "/cache/accuracy", trainer);
  CHECK(other.supernet_dir() != meter.supernet_dir());
  CHECK(other.spec_hash() != meter.spec_hash());
  other.prepare();
  CHECK(lines_in(dir + "/trainings") == 2);
  // Another way of evaluating (an evaluation field) is another spec hash on the same supernet.
  AccuracySpec tuned = spec;
  tuned.supernet.finetune_steps = 20;
  const AccuracyMeter fine_tuning(tuned, dir + "/cache/accuracy", trainer);
  CHECK(fine_tuning.supernet_dir() == meter.supernet_dir());
  CHECK(fine_tuning.spec_hash() != meter.spec_hash());
  CHECK_FALSE(fine_tuning.measure(candidate, "g3").cached);
  CHECK(lines_in(dir + "/trainings") == 2);
}

TEST_CASE("t_accuracy: kind supernet failures are results or located errors", "[accuracy][meter]") {
  const std::string dir = fresh_dir("supernet_failures");
  AccuracySpec spec;
  spec.kind = "supernet";
  SECTION("a network outside the space") {
    const AccuracyMeter meter(spec, dir + "/cache/accuracy",
                              fake_supernet_trainer(dir, "echo '{\"accuracy\": 0.5}'"));
    const AccuracyResult result = meter.measure(network(), "zoo");
    CHECK_FALSE(result.ok);
    CHECK_THAT(result.error, Catch::Contains("not a network of space 'proxy'"));
  }
  SECTION("an evaluation that fails") {
    const AccuracyMeter meter(spec, dir + "/cache/accuracy",
                              fake_supernet_trainer(dir, "echo 'gene 3 (s1.block) is 7, outside 0..2' >&2; exit 1"));
    const AccuracyResult result = meter.measure(NetworkSpace::proxy().decode(NetworkSpace::proxy().sample(1)), "g");
    CHECK_FALSE(result.ok);
    CHECK(result.error == "tandem-supernet eval exited with status 1: gene 3 (s1.block) is 7, outside 0..2");
  }
  SECTION("a training that fails names its log") {
    const std::string trainer = dir + "/failing-trainer";
    std::ofstream(trainer) << "#!/bin/sh\necho 'out of memory' >&2\nexit 1\n";
    fs::permissions(trainer, fs::perms::owner_all);
    const AccuracyMeter meter(spec, dir + "/cache/accuracy", trainer);
    CHECK_THROWS_WITH(meter.prepare(), Catch::Contains("tandem-supernet train exited with status 1") &&
                                           Catch::Contains("train.log"));
  }
}
