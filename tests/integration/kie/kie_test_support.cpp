// Helpers for the KIE client integration tests (see kie_test_support.hpp).
#include "kie_test_support.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <thread>

namespace kb::kie::test {

Task<void> RecordingSleeper::sleep(std::chrono::milliseconds duration) {
  std::function<void(int)> hook;
  int call = 0;
  {
    std::lock_guard lock(mutex_);
    waits_.push_back(duration);
    call = static_cast<int>(waits_.size());
    hook = hook_;
  }
  clock_.advance(duration);
  if (hook) hook(call);
  co_return;
}

std::vector<std::chrono::milliseconds> RecordingSleeper::waits() const {
  std::lock_guard lock(mutex_);
  return waits_;
}

void RecordingSleeper::on_sleep(std::function<void(int)> hook) {
  std::lock_guard lock(mutex_);
  hook_ = std::move(hook);
}

void RecordingSink::on_callback_hint(std::string task_id) {
  std::lock_guard lock(mutex_);
  hints_.push_back(std::move(task_id));
}

std::vector<std::string> RecordingSink::hints() const {
  std::lock_guard lock(mutex_);
  return hints_;
}

namespace {

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

// Starts a non-blocking connect; true when it is still pending after `wait`.
bool connect_hangs(int fd, std::uint16_t port, int wait_ms) {
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  auto addr = loopback(port);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return false;
  if (errno != EINPROGRESS) return false;
  pollfd p{fd, POLLOUT, 0};
  return poll(&p, 1, wait_ms) == 0;
}

}  // namespace

ConnectBlackhole::ConnectBlackhole() {
  listener_ = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  auto addr = loopback(0);
  if (bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return;
  socklen_t len = sizeof addr;
  getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  if (listen(listener_, 0) != 0) return;
  // Fill the accept queue (never accepted) until a connect no longer completes.
  for (int i = 0; i < 16 && !effective_; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    fillers_.push_back(fd);
    effective_ = connect_hangs(fd, port_, 200);
  }
}

ConnectBlackhole::~ConnectBlackhole() {
  close();
}

void ConnectBlackhole::close() {
  for (int fd : fillers_) ::close(fd);
  fillers_.clear();
  if (listener_ >= 0) ::close(listener_);
  listener_ = -1;
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

}  // namespace kb::kie::test
