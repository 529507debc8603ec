// Readiness: the process phase plus pluggable checks (database, webhook, workers), each with a
// timeout.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "core/asio.hpp"
#include "core/result.hpp"

namespace kb::net {

enum class Phase { starting, ready, draining };

struct CheckOutcome {
  std::string name;
  bool ok = false;
  std::string detail;  // why it failed; empty when ok
};

struct ReadinessReport {
  Phase phase = Phase::starting;
  std::vector<CheckOutcome> checks;
  bool ready() const;
  std::string to_json() const;
};

class Readiness {
 public:
  using Check = std::function<Task<Result<void>>()>;

  void add(std::string name, Check check, std::chrono::milliseconds timeout);
  void set_phase(Phase phase) { phase_ = phase; }
  Phase phase() const { return phase_; }
  Task<ReadinessReport> evaluate() const;

 private:
  struct Entry {
    std::string name;
    Check check;
    std::chrono::milliseconds timeout;
  };
  std::atomic<Phase> phase_{Phase::starting};
  mutable std::mutex mutex_;
  std::vector<Entry> entries_;
};

}  // namespace kb::net
