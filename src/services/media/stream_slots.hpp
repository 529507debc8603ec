// A per-instance cap on concurrent media streams: a slot is held from the first byte of work
// (token check, getFile) until the response body is finished or dropped.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>

namespace kb::services {

class StreamSlots {
 public:
  // A held slot, released when the last copy is destroyed (shared so that a response body can
  // own it). Empty when the cap was reached.
  using Permit = std::shared_ptr<void>;

  explicit StreamSlots(std::size_t limit) : state_(std::make_shared<State>()) {
    state_->limit = limit == 0 ? 1 : limit;
  }

  Permit try_acquire() {
    auto used = state_->in_use.fetch_add(1) + 1;
    if (used > state_->limit) {
      state_->in_use.fetch_sub(1);
      return nullptr;
    }
    // The permit keeps the counter alive, even past this object (a body still being written).
    auto state = state_;
    return Permit(static_cast<void*>(state.get()), [state](void*) { state->in_use.fetch_sub(1); });
  }

  std::size_t in_use() const { return state_->in_use.load(); }
  std::size_t limit() const { return state_->limit; }

  // For a metrics callback that may outlive this object.
  std::function<double()> reader() const {
    auto state = state_;
    return [state] { return static_cast<double>(state->in_use.load()); };
  }

 private:
  struct State {
    std::atomic<std::size_t> in_use{0};
    std::size_t limit = 1;
  };
  std::shared_ptr<State> state_;
};

}  // namespace kb::services
