// A background loop that runs one step every `interval` on an executor until stopped (the admin
// alerts check, the overrides poll): one place for the timer, the stop flag and the bounded stop.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "core/asio.hpp"

namespace kb {

class PeriodicTask {
 public:
  using Step = std::function<Task<void>()>;
  enum class First { step, wait };  // step at once, or wait one interval before the first step

  PeriodicTask();
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  // `step` must not own whoever owns this task (capture a weak_ptr): the loop keeps it alive.
  void start(asio::any_io_executor executor, std::chrono::milliseconds interval, First first,
             Step step);
  // Ends the loop after the step in hand; false when it was still running after `grace`.
  Task<bool> stop(std::chrono::milliseconds grace);

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace kb
