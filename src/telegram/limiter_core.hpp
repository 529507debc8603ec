// The outbound rate limiter as a pure scheduler (time is passed in): a FIFO of calls, token
// buckets for the whole bot, each private chat and each group, pauses set by 429 answers, and
// a bound on calls in flight (one per chat). A call waits only for what it needs, so one slow
// chat never holds back the others, and calls of one chat keep their order. The Asio wrapper is
// limiter.hpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <list>
#include <optional>
#include <unordered_map>
#include <vector>

namespace kb::telegram {

struct RateLimitConfig {
  double global_per_second = 30;  // TELEGRAM_GLOBAL_RATE
  double global_burst = 10;
  double chat_per_second = 1;  // TELEGRAM_CHAT_RATE (every chat)
  double chat_burst = 3;
  double group_per_minute = 20;  // TELEGRAM_GROUP_PER_MINUTE (also, chats with a negative id)
  double group_burst = 3;
  // This many different chats answered 429 within `flood_window`: the bot as a whole is flooding,
  // so the pause applies to every chat.
  int flood_chats = 3;
  std::chrono::milliseconds flood_window{2000};
  // Messages on the wire at once. A granted call holds its slot until release(), so requests
  // cannot pile up behind a slow connection and then arrive in one burst; one chat never has two
  // calls in flight, which also keeps that chat's messages in order.
  int max_in_flight = 32;
};

class LimiterCore {
 public:
  using Instant = std::chrono::steady_clock::time_point;
  using Ticket = std::uint64_t;
  enum class Scope { chat, global };

  explicit LimiterCore(RateLimitConfig config = {});

  // Queues a call for `chat_id` (nullopt: needs only the global bucket) sending `cost` messages.
  // `front`: a call that already had its turn and got 429 goes back to the head of the queue.
  Ticket enqueue(std::optional<std::int64_t> chat_id, int cost, Instant now, bool front = false);
  // Takes tokens for every call that may go now, in queue order; returns their tickets. Each
  // granted call must be release()d when its request is over.
  std::vector<Ticket> grant(Instant now);
  void release(std::optional<std::int64_t> chat_id);
  // A granted call that must be sent again: releases its slot and queues it at the head in one
  // step, so no later call of the same chat can take its place in between.
  Ticket requeue(std::optional<std::int64_t> chat_id, int cost, Instant now);
  // The earliest time grant() may release something (now when it can right away); nullopt when
  // nothing is queued or everything waits for a release().
  std::optional<Instant> next_wake(Instant now) const;
  bool cancel(Ticket ticket);

  // A 429 with `retry_after` for a call of `chat_id`: pauses that chat (or the whole bot when it
  // had no chat, or when several chats are flooding at once). Returns the scope paused.
  Scope on_rate_limited(std::optional<std::int64_t> chat_id, std::chrono::milliseconds retry_after,
                        Instant now);

  std::size_t queued() const { return queue_.size(); }
  int in_flight() const { return in_flight_; }
  std::size_t tracked_chats() const { return chats_.size(); }
  // End of the current pause of a chat (nullopt: the global pause); a past instant when none.
  Instant paused_until(std::optional<std::int64_t> chat_id) const;

 private:
  struct Bucket {
    double tokens = 0;
    Instant updated{};
    bool initialized = false;
  };
  struct ChatState {
    Bucket chat{};
    Bucket group{};  // groups only
    Instant paused_until{};
    bool in_flight = false;
  };
  struct Entry {
    Ticket ticket = 0;
    std::optional<std::int64_t> chat_id{};
    int cost = 1;
  };

  double tokens(const Bucket& b, double rate, double capacity, Instant now) const;
  Instant ready_at(const Bucket& b, double rate, double capacity, double need, Instant now) const;
  void take(Bucket& b, double rate, double capacity, double need, Instant now);
  static void restart_after_pause(Bucket& b, Instant until);
  bool chat_ready(const ChatState& st, std::int64_t chat_id, int cost, Instant now) const;
  Instant chat_ready_at(std::int64_t chat_id, int cost, Instant now) const;
  void forget_idle_chats(Instant now);

  RateLimitConfig config_;
  std::list<Entry> queue_;
  Ticket next_ticket_ = 1;
  Bucket global_{};
  Instant global_paused_until_{};
  int in_flight_ = 0;
  std::unordered_map<std::int64_t, ChatState> chats_;
  std::size_t sweep_threshold_ = 1024;
  std::deque<std::pair<std::int64_t, Instant>> recent_floods_;
};

}  // namespace kb::telegram
