// Running the real kiebot binary (KIEBOT_BINARY) from tests and benchmarks: environment, captured
// output, optional switch to another user, exit status, readiness.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kb::store::test {

// KIEBOT_BINARY (set by CTest for integration tests), or nothing.
std::optional<std::string> kiebot_binary();
std::uint16_t free_tcp_port();

class ChildProcess {
 public:
  // Starts `argv` with exactly `env` as its environment; stdout and stderr go to files read by
  // output(). With run_as_uid, the child drops to that uid/gid before exec (tests run as root).
  ChildProcess(std::vector<std::string> argv, std::map<std::string, std::string> env,
               std::optional<uid_t> run_as_uid = std::nullopt);
  ~ChildProcess();  // SIGKILL if still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // The exit code, or nothing when it is still running after `timeout`.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  void terminate();  // SIGTERM
  void signal(int sig);  // when still running
  bool running();
  std::string output() const;  // stdout + stderr so far
  // Polls the output until `needle` appears at or after offset `from` (true), or `timeout` passes.
  bool wait_for_output(std::string_view needle, std::size_t from = 0,
                       std::chrono::milliseconds timeout = std::chrono::seconds(20)) const;
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::string out_path_;
};

// GET http://127.0.0.1:<port><path> with a short timeout: status and body (status 0 when the
// connection failed).
struct HttpReply {
  int status = 0;
  std::string body;
};
HttpReply http_get(std::uint16_t port, const std::string& path);

// Polls GET /readyz on 127.0.0.1:<port> until it answers 200 (true) or `timeout` passes.
bool wait_ready(std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(15));

}  // namespace kb::store::test
