// `tandem cache list` and `tandem cache prune`: the simulators and trained networks tandem keeps
// between runs (core/cache_entries.h, docs/cache.md).
#include <cctype>
#include <cmath>
#include <ctime>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/command_registry.h"
#include "core/cache_entries.h"
#include "core/table.h"
#include "cosim/rtl_cosim.h"

namespace tandem::cli {
namespace {

struct CacheCliOptions {
  std::string cache_dir;
  bool json = false;
  std::string max_size;  // prune: "5G", "500MB", "0" (everything not in use)
  bool all = false;
};

std::string root_of(const CacheCliOptions& o) {
  CosimOptions cosim;
  cosim.cache_dir = o.cache_dir;
  return cosim_cache_root(cosim);
}

std::string local_time(std::filesystem::file_time_type time) {
  if (time == std::filesystem::file_time_type::min()) return "unknown";  // no time could be read
  const auto system = std::chrono::time_point_cast<std::chrono::system_clock::duration>(
      time - std::filesystem::file_time_type::clock::now() + std::chrono::system_clock::now());
  const std::time_t t = std::chrono::system_clock::to_time_t(system);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M", std::localtime(&t));
  return text;
}

nlohmann::ordered_json entry_json(const CacheEntry& entry) {
  return {{"area", entry.area},     {"key", entry.key},           {"bytes", entry.bytes},
          {"last_used", local_time(entry.last_used)}, {"in_use", entry.in_use}};
}

// "5G", "500MB", "1.5 GB", "1024" (bytes): decimal prefixes k, M, G, T (either case), an
// optional "B".
std::uintmax_t parse_size(const std::string& text) {
  std::size_t used = 0;
  double value = -1;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  std::string unit = text.substr(used);
  while (!unit.empty() && unit.front() == ' ') unit.erase(0, 1);
  if (!unit.empty() && (unit.back() == 'B' || unit.back() == 'b')) unit.pop_back();
  const std::string prefixes = "kmgt";
  const std::size_t prefix =
      unit.size() == 1 ? prefixes.find(static_cast<char>(std::tolower(static_cast<unsigned char>(unit[0]))))
                       : std::string::npos;
  if (!(value >= 0) || !std::isfinite(value) || (!unit.empty() && prefix == std::string::npos)) {
    throw CLI::ValidationError("--max-size", "expected a size such as 5G, 500MB or 0, got '" + text + "'");
  }
  return bytes_of(unit.empty() ? value : value * std::pow(1000.0, 1.0 + static_cast<double>(prefix)));
}

void run_list(const CacheCliOptions& o) {
  const std::string root = root_of(o);
  const std::vector<CacheEntry> entries = list_cache(root);
  std::uintmax_t total = 0;
  for (const CacheEntry& entry : entries) total += entry.bytes;
  if (o.json) {
    nlohmann::ordered_json out;
    out["root"] = root;
    out["bytes"] = total;
    out["entries"] = nlohmann::ordered_json::array();
    for (const CacheEntry& entry : entries) out["entries"].push_back(entry_json(entry));
    std::cout << out.dump(2) << "\n";
    return;
  }
  Table table;
  table.headers = {"area", "key", "size", "last used", "in use"};
  table.right_aligned = {false, false, true};
  for (const CacheEntry& entry : entries) {
    table.rows.push_back({entry.area, entry.key, format_bytes(entry.bytes), local_time(entry.last_used),
                          entry.in_use ? "yes" : ""});
  }
  std::cout << "cache " << root << ": " << entries.size() << " entries, " << format_bytes(total)
            << " (least recently used first)\n"
            << table.text("  ");
}

void run_prune(const CacheCliOptions& o) {
  if (o.all == !o.max_size.empty()) throw CLI::ValidationError("give --max-size SIZE or --all");
  const std::string root = root_of(o);
  const PruneResult pruned = prune_cache(root, o.all ? 0 : parse_size(o.max_size));
  if (o.json) {
    nlohmann::ordered_json out;
    out["root"] = root;
    out["bytes_before"] = pruned.bytes_before;
    out["bytes_after"] = pruned.bytes_after;
    out["removed"] = nlohmann::ordered_json::array();
    for (const CacheEntry& entry : pruned.removed) out["removed"].push_back(entry_json(entry));
    out["kept_in_use"] = nlohmann::ordered_json::array();
    for (const CacheEntry& entry : pruned.kept_in_use) out["kept_in_use"].push_back(entry_json(entry));
    std::cout << out.dump(2) << "\n";
    return;
  }
  for (const CacheEntry& entry : pruned.removed) {
    std::cout << "removed " << entry.area << "/" << entry.key << " (" << format_bytes(entry.bytes) << ")\n";
  }
  for (const CacheEntry& entry : pruned.kept_in_use) {
    std::cout << "kept " << entry.area << "/" << entry.key << ": in use by another process\n";
  }
  std::cout << "cache " << root << ": " << format_bytes(pruned.bytes_before) << " -> "
            << format_bytes(pruned.bytes_after) << "\n";
}

void setup(CLI::App& app) {
  CLI::App* cache = app.add_subcommand(
      "cache", "List or prune the cached simulators and trained networks (size cap: "
               "$TANDEM_CACHE_MAX_GB, default 20)");
  cache->require_subcommand(1);
  auto o = std::make_shared<CacheCliOptions>();
  CLI::App* list = cache->add_subcommand("list", "Every entry with its size and last use, least recently used first");
  CLI::App* prune = cache->add_subcommand(
      "prune", "Remove least recently used entries down to a size; entries in use are kept");
  for (CLI::App* command : {list, prune}) {
    command->add_option("--cache-dir", o->cache_dir, "cache root (default ~/.cache/tandem)");
    command->add_flag("--json", o->json, "print JSON");
  }
  prune->add_option("--max-size", o->max_size, "keep at most this much, e.g. 5G, 500MB");
  prune->add_flag("--all", o->all, "remove every entry not in use");
  list->callback([o] { run_list(*o); });
  prune->callback([o] { run_prune(*o); });
}

RegisterCommand registration("cache", setup);

}  // namespace
}  // namespace tandem::cli
