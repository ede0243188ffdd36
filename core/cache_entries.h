// tandem's caches as entries with a last use, for `tandem cache list|prune` and the size cap
// (docs/cache.md). A cache root holds areas: `sim/` (one directory per co-simulator),
// `accuracy/` (one `<key>.json` result per measured network, and the scratch directories
// `work/<key>.*` that hold its trained network) and `supernet/` (one directory per trained
// weight-sharing supernet). An entry is every item of an area, or of the
// area's `work/` folder, whose name up to its first '.' is the entry's key; names that start
// with '.' (builds in progress, locks) are no entries.
//
// In use: while a process works with an entry it holds a CacheEntryUse, a shared lock on
// `<area>/.<key>.lock`; pruning takes that lock exclusively without waiting and skips an entry it
// cannot lock, so a simulator that runs or a network being trained is never removed. The lock
// file's modification time is the entry's last use.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace tandem {

struct CacheEntry {
  std::string area;  // "sim", "accuracy", "supernet"
  std::string key;
  std::vector<std::filesystem::path> parts;  // files and directories that make the entry
  std::uintmax_t bytes = 0;
  std::filesystem::file_time_type last_used = std::filesystem::file_time_type::min();
  bool in_use = false;  // held now (by another process, or by another use in this one)
};

// The areas of a cache root, in listing order.
const std::vector<std::string>& cache_areas();

// Every entry of the root's areas, least recently used first. A missing root has none.
std::vector<CacheEntry> list_cache(const std::filesystem::path& root);

struct PruneResult {
  std::vector<CacheEntry> removed;
  std::vector<CacheEntry> kept_in_use;  // would have gone, but a process holds them
  std::uintmax_t bytes_before = 0;
  std::uintmax_t bytes_after = 0;
};

// Removes least recently used entries until the entries' total is at most `max_bytes` (0:
// every entry that is not in use).
PruneResult prune_cache(const std::filesystem::path& root, std::uintmax_t max_bytes);

// The cap applied after a cache grows: $TANDEM_CACHE_MAX_GB (decimal gigabytes; 0 disables),
// else 20 GB. Throws InputError naming the variable for a value that is not a finite number >= 0.
std::optional<std::uintmax_t> cache_size_cap();

// A byte count given as a double (a cap, a --max-size), saturating at the largest integer.
std::uintmax_t bytes_of(double bytes);

// Prunes to cache_size_cap() when there is one, one call at a time per process; never throws: a
// bad $TANDEM_CACHE_MAX_GB or a cache that cannot be pruned is a warning on stderr (no cap is
// applied), and what it removed is printed there too.
void enforce_cache_size_cap(const std::filesystem::path& root);

// "1.5 GB", "320 kB": decimal units, for listings.
std::string format_bytes(std::uintmax_t bytes);

// A shared lock on an entry for as long as the object lives, and a fresh last use. Blocks while
// a prune removes the entry (the caller then finds it gone and rebuilds it).
class CacheEntryUse {
 public:
  // area_dir: <root>/<area>.
  CacheEntryUse(const std::filesystem::path& area_dir, const std::string& key);
  ~CacheEntryUse();
  CacheEntryUse(const CacheEntryUse&) = delete;
  CacheEntryUse& operator=(const CacheEntryUse&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace tandem
