// t_cache_entries: tandem's caches as entries (core/cache_entries.h): an accuracy result and its
// scratch directories are one entry, entries are listed least recently used first, a prune
// removes the oldest down to the size asked and never an entry in use, and the size cap reads
// its environment variable strictly. Then `tandem cache list|prune` as a user runs them.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/cache_entries.h"
#include "core/files.h"
#include "core/input_error.h"
#include "run_process.h"

using namespace tandem;
namespace fs = std::filesystem;

namespace {

// A cache root with two simulators and one accuracy result (its JSON and a scratch directory
// with the trained network), last used in the order old_sim, result, new_sim.
fs::path fake_cache(const std::string& name) {
  const fs::path root = fs::path(TANDEM_TEST_OUTPUT_DIR) / "t_cache_entries" / name;
  fs::remove_all(root);
  write_file(root / "sim" / "old_sim" / "tandem_cosim", std::string(3000, 'x'));
  write_file(root / "sim" / "new_sim" / "tandem_cosim", std::string(2000, 'x'));
  write_file(root / "sim" / ".build-new_sim-123" / "partial", "in progress");  // no entry
  write_file(root / "accuracy" / "net-spec.json", std::string(100, 'j'));
  write_file(root / "accuracy" / "work" / "net-spec.77.0" / "out" / "network.yaml", std::string(900, 'n'));
  const auto now = fs::file_time_type::clock::now();
  fs::last_write_time(root / "sim" / "old_sim", now - std::chrono::hours(3));
  fs::last_write_time(root / "accuracy" / "net-spec.json", now - std::chrono::hours(2));
  fs::last_write_time(root / "accuracy" / "work" / "net-spec.77.0", now - std::chrono::hours(2));
  fs::last_write_time(root / "sim" / "new_sim", now - std::chrono::hours(1));
  return root;
}

std::vector<std::string> keys(const std::vector<CacheEntry>& entries) {
  std::vector<std::string> out;
  for (const CacheEntry& entry : entries) out.push_back(entry.area + "/" + entry.key);
  return out;
}

}  // namespace

TEST_CASE("t_cache_entries: entries, their sizes, least recently used first", "[cache]") {
  const fs::path root = fake_cache("list");
  const std::vector<CacheEntry> entries = list_cache(root);
  CHECK(keys(entries) == std::vector<std::string>{"sim/old_sim", "accuracy/net-spec", "sim/new_sim"});
  CHECK(entries[0].bytes == 3000);
  CHECK(entries[1].bytes == 1000);  // the result and its trained network
  CHECK(entries[1].parts.size() == 2);
  CHECK_FALSE(entries[0].in_use);
  CHECK(list_cache(root / "missing").empty());
}

TEST_CASE("t_cache_entries: a use makes an entry the most recent and keeps it from a prune", "[cache]") {
  const fs::path root = fake_cache("in_use");
  {
    const CacheEntryUse use(root / "sim", "old_sim");
    CHECK(keys(list_cache(root)).back() == "sim/old_sim");
    CHECK(list_cache(root).back().in_use);
    const PruneResult pruned = prune_cache(root, 0);  // everything it can
    CHECK(keys(pruned.removed) == std::vector<std::string>{"accuracy/net-spec", "sim/new_sim"});
    CHECK(keys(pruned.kept_in_use) == std::vector<std::string>{"sim/old_sim"});
    CHECK(fs::exists(root / "sim" / "old_sim" / "tandem_cosim"));
    CHECK(pruned.bytes_after == 3000);
  }
  CHECK_FALSE(list_cache(root).front().in_use);  // released with the use
}

TEST_CASE("t_cache_entries: a prune removes the least recently used down to the size asked", "[cache]") {
  const fs::path root = fake_cache("prune");
  const PruneResult pruned = prune_cache(root, 2500);
  CHECK(pruned.bytes_before == 6000);
  CHECK(keys(pruned.removed) == std::vector<std::string>{"sim/old_sim", "accuracy/net-spec"});
  CHECK(pruned.bytes_after == 2000);
  CHECK_FALSE(fs::exists(root / "sim" / "old_sim"));
  CHECK_FALSE(fs::exists(root / "accuracy" / "work" / "net-spec.77.0"));
  CHECK(fs::exists(root / "sim" / "new_sim" / "tandem_cosim"));
  CHECK(fs::exists(root / "sim" / ".build-new_sim-123"));  // a build in progress is no entry
  CHECK(prune_cache(root, 2500).removed.empty());  // already small enough
}

TEST_CASE("t_cache_entries: the size cap from the environment", "[cache]") {
  ::setenv("TANDEM_CACHE_MAX_GB", "1.5", 1);
  CHECK(cache_size_cap() == std::uintmax_t{1500000000});
  ::setenv("TANDEM_CACHE_MAX_GB", "0", 1);
  CHECK_FALSE(cache_size_cap());
  ::setenv("TANDEM_CACHE_MAX_GB", "lots", 1);
  CHECK_THROWS_WITH(cache_size_cap(), "environment variable TANDEM_CACHE_MAX_GB: error: "
                                      "expected a number of gigabytes >= 0 (0 disables the cap), got 'lots'");
  ::setenv("TANDEM_CACHE_MAX_GB", "inf", 1);
  CHECK_THROWS(cache_size_cap());
  ::setenv("TANDEM_CACHE_MAX_GB", "1e30", 1);  // no cap worth the name, not an empty cache
  CHECK(cache_size_cap() == std::numeric_limits<std::uintmax_t>::max());
  ::unsetenv("TANDEM_CACHE_MAX_GB");
  CHECK(cache_size_cap() == std::uintmax_t{20000000000});
}

TEST_CASE("t_cache_entries: tandem cache list and prune", "[cache][cli]") {
  const fs::path root = fake_cache("cli");
  const std::string cache = test::tandem_binary() + " cache ";
  const std::string dir = " --cache-dir " + root.string();
  auto list = test::run_process(cache + "list --json" + dir);
  REQUIRE(list.exit_code == 0);
  const auto json = nlohmann::json::parse(list.out);
  CHECK(json["bytes"] == 6000);
  REQUIRE(json["entries"].size() == 3);
  CHECK(json["entries"][0]["key"] == "old_sim");
  auto bad = test::run_process(cache + "prune --max-size 5X" + dir);
  CHECK(bad.exit_code != 0);
  CHECK_THAT(bad.err, Catch::Contains("--max-size: expected a size such as 5G, 500MB or 0, got '5X'"));
  CHECK(test::run_process(cache + "prune" + dir).exit_code != 0);  // neither --max-size nor --all
  auto prune = test::run_process(cache + "prune --max-size 4kB" + dir);
  REQUIRE(prune.exit_code == 0);
  CHECK(prune.out == "removed sim/old_sim (3.0 kB)\ncache " + root.string() + ": 6.0 kB -> 3.0 kB\n");
  auto all = test::run_process(cache + "prune --all" + dir);
  CHECK(all.exit_code == 0);
  CHECK(list_cache(root).empty());
}
