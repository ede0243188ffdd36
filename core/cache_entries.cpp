#include "core/cache_entries.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <mutex>
#include <iostream>
#include <map>

#include "core/input_error.h"
#include "core/number_format.h"

namespace tandem {

namespace fs = std::filesystem;

namespace {

constexpr const char* kCapVariable = "TANDEM_CACHE_MAX_GB";
constexpr double kDefaultCapGb = 20;

std::string key_of(const fs::path& item) {
  const std::string name = item.filename().string();
  return name.substr(0, name.find('.'));
}

fs::path lock_path(const fs::path& area_dir, const std::string& key) {
  return area_dir / ("." + key + ".lock");
}

std::uintmax_t size_of(const fs::path& part) {
  std::error_code error;
  if (!fs::is_directory(part, error)) {
    const std::uintmax_t bytes = fs::file_size(part, error);
    return error ? 0 : bytes;
  }
  std::uintmax_t total = 0;
  for (auto it = fs::recursive_directory_iterator(part, fs::directory_options::skip_permission_denied, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    // A file may vanish while we walk (a prune, a trainer's rename): it counts nothing.
    std::error_code size_error;
    const std::uintmax_t bytes = it->is_regular_file(size_error) ? it->file_size(size_error) : 0;
    if (!size_error) total += bytes;
  }
  return total;
}

// Whether `fd` is the file now at `path` (a prune may have removed and another use recreated it).
bool still_at_path(int fd, const fs::path& path) {
  struct stat opened {}, current {};
  return ::fstat(fd, &opened) == 0 && ::stat(path.c_str(), &current) == 0 && opened.st_ino == current.st_ino &&
         opened.st_dev == current.st_dev;
}

// Takes the entry's lock exclusively without waiting; -1 when it is held (by another process or
// another use in this one) or was replaced meanwhile (then it is somebody else's new lock).
int try_lock_exclusive(const fs::path& lock) {
  const int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0 || !still_at_path(fd, lock)) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Whether some use holds the lock (another process's, or another CacheEntryUse in this one).
bool lock_is_held(const fs::path& lock) {
  std::error_code error;
  if (!fs::exists(lock, error)) return false;
  const int fd = ::open(lock.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool held = ::flock(fd, LOCK_EX | LOCK_NB) != 0;
  ::close(fd);
  return held;
}

}  // namespace

const std::vector<std::string>& cache_areas() {
  static const std::vector<std::string> areas = {"sim", "accuracy", "supernet"};
  return areas;
}

std::vector<CacheEntry> list_cache(const fs::path& root) {
  std::vector<CacheEntry> entries;
  for (const std::string& area : cache_areas()) {
    std::map<std::string, CacheEntry> by_key;
    for (const fs::path& folder : {root / area, root / area / "work"}) {
      std::error_code error;
      for (auto it = fs::directory_iterator(folder, error); !error && it != fs::directory_iterator(); it.increment(error)) {
        const fs::path item = it->path();
        const std::string name = item.filename().string();
        if (name.empty() || name[0] == '.' || (folder == root / area && name == "work")) continue;
        CacheEntry& entry = by_key[key_of(item)];
        entry.parts.push_back(item);
        entry.bytes += size_of(item);
        std::error_code time_error;
        entry.last_used = std::max(entry.last_used, fs::last_write_time(item, time_error));
      }
    }
    for (auto& [key, entry] : by_key) {
      entry.area = area;
      entry.key = key;
      const fs::path lock = lock_path(root / area, key);
      std::error_code error;
      if (fs::exists(lock, error)) entry.last_used = std::max(entry.last_used, fs::last_write_time(lock, error));
      entry.in_use = lock_is_held(lock);
      entries.push_back(std::move(entry));
    }
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const CacheEntry& a, const CacheEntry& b) { return a.last_used < b.last_used; });
  return entries;
}

PruneResult prune_cache(const fs::path& root, std::uintmax_t max_bytes) {
  PruneResult result;
  std::vector<CacheEntry> entries = list_cache(root);
  for (const CacheEntry& entry : entries) result.bytes_before += entry.bytes;
  result.bytes_after = result.bytes_before;
  for (CacheEntry& entry : entries) {
    if (max_bytes > 0 && result.bytes_after <= max_bytes) break;
    const fs::path lock = lock_path(root / entry.area, entry.key);
    const int fd = try_lock_exclusive(lock);
    if (fd < 0) {
      entry.in_use = true;
      result.kept_in_use.push_back(entry);
      continue;
    }
    std::error_code error;
    for (const fs::path& part : entry.parts) fs::remove_all(part, error);
    fs::remove(lock, error);  // a waiting user reopens by path and finds the entry gone
    ::close(fd);
    result.bytes_after -= entry.bytes;
    result.removed.push_back(entry);
  }
  return result;
}

std::optional<std::uintmax_t> cache_size_cap() {
  const char* value = std::getenv(kCapVariable);
  double gigabytes = kDefaultCapGb;
  if (value && *value) {
    char* end = nullptr;
    errno = 0;
    gigabytes = std::strtod(value, &end);
    if (errno != 0 || *end != '\0' || !(gigabytes >= 0) || !std::isfinite(gigabytes)) {
      throw InputError({std::string("environment variable ") + kCapVariable}, "",
                       std::string("expected a number of gigabytes >= 0 (0 disables the cap), got '") + value + "'");
    }
  }
  if (gigabytes == 0) return std::nullopt;
  return bytes_of(gigabytes * 1e9);
}

std::uintmax_t bytes_of(double bytes) {
  const double most = static_cast<double>(std::numeric_limits<std::uintmax_t>::max());
  return bytes >= most ? std::numeric_limits<std::uintmax_t>::max() : static_cast<std::uintmax_t>(bytes);
}

void enforce_cache_size_cap(const fs::path& root) {
  // Worker threads of one search finish measurements together: one prune at a time.
  static std::mutex one_at_a_time;
  const std::lock_guard<std::mutex> hold(one_at_a_time);
  try {
    const std::optional<std::uintmax_t> cap = cache_size_cap();
    if (!cap) return;
    const PruneResult pruned = prune_cache(root, *cap);
    if (pruned.removed.empty()) return;
    std::cerr << "tandem: cache " << root.string() << " over " << format_bytes(*cap) << " (" << kCapVariable
              << "): removed " << pruned.removed.size() << " least recently used entries, "
              << format_bytes(pruned.bytes_before - pruned.bytes_after) << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "tandem: warning: cache " << root.string() << " not pruned: " << e.what() << std::endl;
  }
}

std::string format_bytes(std::uintmax_t bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  const auto [value, unit] = scaled_by_thousands(static_cast<double>(bytes));
  return (unit == 0 ? std::to_string(bytes) : fixed_number(value, 1)) + " " + units[unit];
}

CacheEntryUse::CacheEntryUse(const fs::path& area_dir, const std::string& key) {
  const fs::path lock = lock_path(area_dir, key);
  std::error_code error;
  fs::create_directories(lock.parent_path(), error);
  // A prune may remove the lock file between our open and our lock: then lock the new file.
  for (int attempt = 0; attempt < 8; ++attempt) {
    fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) return;  // an unwritable cache: no protection, the use itself will report it
    if (::flock(fd_, LOCK_SH) == 0) {
      if (still_at_path(fd_, lock)) {
        ::futimens(fd_, nullptr);  // the last use
        return;
      }
    }
    ::close(fd_);
    fd_ = -1;
  }
}

CacheEntryUse::~CacheEntryUse() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace tandem
