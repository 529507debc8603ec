// The SQLite single-instance guard: an exclusive flock on `<database>.lock` for the process
// lifetime.
#pragma once

#include <memory>
#include <string>

#include "core/result.hpp"

namespace kb::store::sqlite {

class InstanceLock {
 public:
  // Fails with Errc::conflict, naming the lock file and the holder's pid, when another process
  // (or another open database in this process) holds it.
  static Result<std::unique_ptr<InstanceLock>> acquire(const std::string& database_path);
  ~InstanceLock();
  InstanceLock(const InstanceLock&) = delete;
  InstanceLock& operator=(const InstanceLock&) = delete;

  const std::string& path() const { return path_; }

 private:
  InstanceLock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_;
  std::string path_;
};

}  // namespace kb::store::sqlite
