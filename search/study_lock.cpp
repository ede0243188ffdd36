#include "search/study_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/files.h"
#include "core/input_error.h"
#include "core/text.h"
#include "search/study.h"

namespace tandem {

namespace {

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "?";
  return name;
}

}  // namespace

StudyLock::StudyLock(const std::string& study_path) {
  const std::string file = study_path + ".lock";
  if (const auto parent = std::filesystem::path(file).parent_path(); !parent.empty()) {
    std::filesystem::create_directories(parent);
  }
  fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw InputError({file}, "", std::string("cannot open the study's lock file: ") + std::strerror(errno));
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK) {
      std::string holder;
      try {
        holder = trim(read_file(file));
      } catch (const FileError&) {
      }
      throw InputError({study_path}, "",
                       "another tandem search is running this study (" + (holder.empty() ? "holder unknown" : holder) +
                           "); one study has one writer: wait for it, stop it, or use another output_dir");
    }
    throw InputError({file}, "",
                     std::string("cannot lock the study: ") + std::strerror(error) +
                         " (the file system must support flock; on NFS, mount without nolock)");
  }
  const std::string holder = "pid " + std::to_string(::getpid()) + " on " + host_name() + " since " + utc_timestamp();
  if (::ftruncate(fd_, 0) == 0) {
    const ssize_t written = ::pwrite(fd_, holder.data(), holder.size(), 0);
    (void)written;  // the holder's description only improves the message of a refused search
  }
}

StudyLock::~StudyLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace tandem
