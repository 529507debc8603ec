// Helpers for the KIE client integration tests: a sleeper that records waits and moves a fake
// clock instead of sleeping, a callback sink that remembers hints, and a connect blackhole.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "kie/callback_sink.hpp"
#include "kie/sleeper.hpp"

namespace kb::kie::test {

class RecordingSleeper final : public Sleeper {
 public:
  explicit RecordingSleeper(FakeClock& clock) : clock_(clock) {}
  Task<void> sleep(std::chrono::milliseconds duration) override;

  std::vector<std::chrono::milliseconds> waits() const;
  // Runs before each recorded wait returns (1-based call number); e.g. to fix a fault.
  void on_sleep(std::function<void(int)> hook);

 private:
  FakeClock& clock_;
  mutable std::mutex mutex_;
  std::vector<std::chrono::milliseconds> waits_;
  std::function<void(int)> hook_;
};

class RecordingSink final : public KieCallbackSink {
 public:
  void on_callback_hint(std::string task_id) override;
  std::vector<std::string> hints() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> hints_;
};

// A loopback listener whose accept queue is full, so the kernel drops new SYNs and a connect()
// hangs until the client's connect timeout: a request that certainly never reached a server.
class ConnectBlackhole {
 public:
  ConnectBlackhole();
  ~ConnectBlackhole();
  ConnectBlackhole(const ConnectBlackhole&) = delete;
  ConnectBlackhole& operator=(const ConnectBlackhole&) = delete;

  std::uint16_t port() const { return port_; }
  bool effective() const { return effective_; }  // a probe connect really hung
  void close();                                  // frees the port

 private:
  int listener_ = -1;
  std::vector<int> fillers_;
  std::uint16_t port_ = 0;
  bool effective_ = false;
};

// Polls `condition` every 10 ms for up to `limit` of real time.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds limit = std::chrono::milliseconds(5000));

}  // namespace kb::kie::test
