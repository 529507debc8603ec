// flock-based single-instance lock for SQLite databases.
#include "store/sqlite/instance_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include <fmt/format.h>

namespace kb::store::sqlite {
namespace {

std::string read_holder_pid(int fd) {
  char buf[32] = {};
  auto n = ::pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return "unknown";
  std::string s(buf, static_cast<std::size_t>(n));
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s.empty() ? "unknown" : s;
}

}  // namespace

Result<std::unique_ptr<InstanceLock>> InstanceLock::acquire(const std::string& database_path) {
  std::string path = database_path + ".lock";
  // O_CLOEXEC: a child process (tests spawn the binary) must not inherit the lock.
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  bool writable = fd >= 0;
  if (fd < 0 && (errno == EACCES || errno == EROFS))
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);  // flock works on a read-only descriptor
  if (fd < 0)
    return fail(Errc::io, fmt::format("cannot open the database lock file {}: {}", path,
                                      std::strerror(errno)));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    std::string holder = read_holder_pid(fd);
    ::close(fd);
    if (err == EWOULDBLOCK)
      return fail(Errc::conflict,
                  fmt::format("database {} is already in use by another kiebot process (pid {}, "
                              "lock file {}); SQLite allows one instance: stop the other one, or "
                              "use PostgreSQL (DATABASE_URL=postgres://...) to run several",
                              database_path, holder, path));
    return fail(Errc::io, fmt::format("cannot lock {}: {}", path, std::strerror(err)));
  }
  if (writable) {
    auto pid = fmt::format("{}\n", ::getpid());
    if (::ftruncate(fd, 0) == 0) {
      auto written = ::pwrite(fd, pid.data(), pid.size(), 0);
      (void)written;  // the pid is informational; the lock itself is what matters
    }
  }
  return std::unique_ptr<InstanceLock>(new InstanceLock(fd, std::move(path)));
}

InstanceLock::~InstanceLock() {
  ::close(fd_);  // releases the flock
}

}  // namespace kb::store::sqlite
