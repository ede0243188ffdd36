#include "core/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace tandem {

namespace fs = std::filesystem;

namespace {

std::string reason(int error) { return std::strerror(error); }

FileError write_error(const fs::path& path, const std::string& why) {
  return FileError("cannot write " + path.string() + ": " + why, path.string(), why);
}

void create_parent_directories(const fs::path& path) {
  const fs::path parent = path.parent_path();
  if (parent.empty()) return;
  std::error_code error;
  fs::create_directories(parent, error);
  if (error) throw write_error(path, "cannot create " + parent.string() + ": " + error.message());
}

// Writes `text` to a new or truncated file; throws FileError naming `shown` (the destination
// the caller asked for, which is not `path` for an atomic write).
void write_whole(const fs::path& path, std::string_view text, const fs::path& shown) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) throw write_error(shown, reason(errno));
  const char* data = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, data, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      throw write_error(shown, reason(error));
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) throw write_error(shown, reason(errno));
}

}  // namespace

std::string read_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const std::string why = reason(errno);
    throw FileError("cannot open " + path.string() + ": " + why, path.string(), why);
  }
  std::string text;
  struct stat info {};
  if (::fstat(fd, &info) == 0 && info.st_size > 0) text.reserve(static_cast<std::size_t>(info.st_size));
  char buffer[65536];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string why = reason(errno);
      ::close(fd);
      throw FileError("cannot read " + path.string() + ": " + why, path.string(), why);
    }
    text.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return text;
}

void write_file(const fs::path& path, std::string_view text) {
  create_parent_directories(path);
  write_whole(path, text, path);
}

void write_file_atomically(const fs::path& path, std::string_view text) {
  create_parent_directories(path);
  // Unique among the processes and threads that may write the same file at once.
  static std::atomic<unsigned> counter{0};
  fs::path temporary = path;
  temporary += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
  try {
    write_whole(temporary, text, path);
  } catch (...) {
    ::unlink(temporary.c_str());
    throw;
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    throw write_error(path, reason(error));
  }
}

}  // namespace tandem
