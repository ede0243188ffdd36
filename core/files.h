// Whole-file reads and writes, the one way tandem reads and writes a file's contents. Binary:
// bytes in, bytes out, no newline translation. Every failure throws FileError naming the path.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace tandem {

// A file that could not be read or written. what() is "cannot open PATH: REASON" (or "cannot
// read PATH: REASON" when opening succeeded) or "cannot write PATH: REASON"; reason() is REASON
// alone (strerror's text), for callers that report the failure in their own format.
class FileError : public std::runtime_error {
 public:
  FileError(const std::string& message, std::string path, std::string reason)
      : std::runtime_error(message), path_(std::move(path)), reason_(std::move(reason)) {}
  const std::string& path() const { return path_; }
  const std::string& reason() const { return reason_; }

 private:
  std::string path_;
  std::string reason_;
};

// The whole file.
std::string read_file(const std::filesystem::path& path);

// Replaces the file with `text`, creating its parent directories.
void write_file(const std::filesystem::path& path, std::string_view text);

// As write_file, through a temporary file in the same directory renamed over `path`: a reader
// (another process sharing a cache, a resumed study) sees the old file or the whole new one,
// never part of it. The temporary file is removed when the write fails.
void write_file_atomically(const std::filesystem::path& path, std::string_view text);

}  // namespace tandem
