// The outbound limiter on Asio: calls wait (a timer, never a blocked thread) until LimiterCore
// gives them their turn. Safe to use from several io threads. One instance per bot token in this
// process; several instances on one bot each enforce the full rate (see docs/architecture.md).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "core/asio.hpp"
#include "core/result.hpp"
#include "telegram/limiter_core.hpp"

namespace kb::telegram {

class OutboundLimiter {
 public:
  OutboundLimiter(asio::any_io_executor executor, RateLimitConfig config);
  ~OutboundLimiter();
  OutboundLimiter(const OutboundLimiter&) = delete;
  OutboundLimiter& operator=(const OutboundLimiter&) = delete;

  // Resolves when the call may be sent. Fails only after shutdown(). Every successful acquire()
  // must be followed by release() once the request is over (see Permit).
  Task<Result<void>> acquire(std::optional<std::int64_t> chat_id, int cost = 1);
  void release(std::optional<std::int64_t> chat_id);
  // For a call that holds a slot and must be sent again (429, a retried failure): gives the slot
  // back and waits for a new turn ahead of the chat's later calls, atomically.
  Task<Result<void>> reacquire(std::optional<std::int64_t> chat_id, int cost = 1);
  // Pauses the chat (or the whole bot) hit by a 429; queued calls resume when it ends.
  LimiterCore::Scope on_rate_limited(std::optional<std::int64_t> chat_id,
                                     std::chrono::milliseconds retry_after);
  std::size_t queued() const;
  // Fails every waiting and future acquire() (process shutdown).
  void shutdown();

  // Releases an acquired slot when it goes out of scope (or earlier, with release()).
  class Permit {
   public:
    Permit(OutboundLimiter& limiter, std::optional<std::int64_t> chat_id)
        : limiter_(&limiter), chat_id_(chat_id) {}
    Permit(const Permit&) = delete;
    Permit& operator=(const Permit&) = delete;
    ~Permit() { release(); }
    void release() {
      if (limiter_) limiter_->release(chat_id_);
      limiter_ = nullptr;
    }
    // The slot was handed back another way (reacquire()).
    void dismiss() { limiter_ = nullptr; }

   private:
    OutboundLimiter* limiter_;
    std::optional<std::int64_t> chat_id_;
  };

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace kb::telegram
