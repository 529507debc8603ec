// Injectable waiting: production sleeps on an Asio timer; tests record the waits and return at
// once (advancing a FakeClock), so backoff is tested without real sleeping.
#pragma once

#include <chrono>

#include "core/asio.hpp"

namespace kb::kie {

class Sleeper {
 public:
  virtual ~Sleeper() = default;
  virtual Task<void> sleep(std::chrono::milliseconds duration) = 0;
};

class AsioSleeper final : public Sleeper {
 public:
  Task<void> sleep(std::chrono::milliseconds duration) override;
};

}  // namespace kb::kie
