// One writer per study: `tandem search` holds an exclusive lock on `<study.db>.lock` for its
// whole run, so that a second search of the same study (another terminal, another node of a
// cluster sharing the directory) refuses instead of interleaving trials and jobs. The lock is
// flock(2), which Linux's NFS client maps to NFS byte-range locks; it is released by the kernel
// when the process ends, kill -9 included, so a crashed search never leaves a stale lock.
#pragma once

#include <string>

namespace tandem {

class StudyLock {
 public:
  // Throws InputError naming the study, and the holder (host, pid, start time) when another
  // process holds the lock or the file system cannot lock.
  explicit StudyLock(const std::string& study_path);
  ~StudyLock();
  StudyLock(const StudyLock&) = delete;
  StudyLock& operator=(const StudyLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace tandem
