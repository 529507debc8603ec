// The outbound limiter as a pure scheduler driven by a fake clock: rates, bursts, per-chat order,
// independence of chats, group limits, 429 pauses of exactly the scope hit.
#include <algorithm>
#include <map>

#include <gtest/gtest.h>

#include "telegram/limiter_core.hpp"

namespace kb::telegram {
namespace {

using namespace std::chrono_literals;
using Instant = LimiterCore::Instant;
using Ticket = LimiterCore::Ticket;

// Runs the scheduler like the Asio pump does: grant, then jump to the next wake-up. Granted
// calls complete (release their slot) at once unless `hold` is set.
struct Simulation {
  LimiterCore core;
  Instant now{std::chrono::seconds(1000)};
  std::map<Ticket, Instant> granted_at;
  std::map<Ticket, std::optional<std::int64_t>> chat_of;
  bool hold = false;

  explicit Simulation(RateLimitConfig config) : core(config) {}

  Ticket enqueue(std::optional<std::int64_t> chat, int cost = 1, bool front = false) {
    auto t = core.enqueue(chat, cost, now, front);
    chat_of[t] = chat;
    return t;
  }

  void run_until_idle(std::chrono::milliseconds horizon = 600s) {
    Instant end = now + horizon;
    while (core.queued() > 0 && now <= end) {
      auto granted = core.grant(now);
      for (auto t : granted) {
        granted_at[t] = now;
        if (!hold) core.release(chat_of[t]);
      }
      if (!granted.empty() && !hold) continue;  // completed at once: try again at this instant
      auto next = core.next_wake(now);
      if (!next) break;
      ASSERT_GE(*next, now);
      now = *next == now ? now + 1us : *next;  // a wake-up at `now` means grant() had nothing
    }
  }
  double seconds_since(Instant start, Ticket t) const {
    return std::chrono::duration<double>(granted_at.at(t) - start).count();
  }
};

RateLimitConfig fast_config() {
  RateLimitConfig c;
  c.global_per_second = 300;
  c.global_burst = 10;
  c.chat_per_second = 10;
  c.chat_burst = 3;
  c.group_per_minute = 20;
  c.group_burst = 3;
  return c;
}

TEST(LimiterCore, BurstThenSteadyRateForOneChat) {
  RateLimitConfig c;  // defaults: 1 msg/s per chat, burst 3
  Simulation sim(c);
  Instant start = sim.now;
  std::vector<Ticket> tickets;
  for (int i = 0; i < 6; ++i) tickets.push_back(sim.enqueue(42, 1));
  sim.run_until_idle();
  ASSERT_EQ(sim.granted_at.size(), 6u);
  EXPECT_DOUBLE_EQ(sim.seconds_since(start, tickets[0]), 0);
  EXPECT_DOUBLE_EQ(sim.seconds_since(start, tickets[2]), 0);  // the burst
  EXPECT_NEAR(sim.seconds_since(start, tickets[3]), 1.0, 1e-3);
  EXPECT_NEAR(sim.seconds_since(start, tickets[5]), 3.0, 1e-3);
  // Order within the chat is kept.
  for (std::size_t i = 1; i < tickets.size(); ++i)
    EXPECT_LE(sim.granted_at[tickets[i - 1]], sim.granted_at[tickets[i]]);
}

TEST(LimiterCore, ABusyChatDoesNotHoldBackOthers) {
  Simulation sim(RateLimitConfig{});
  for (int i = 0; i < 10; ++i) sim.enqueue(1, 1);
  Ticket other = sim.enqueue(2, 1);
  sim.run_until_idle();
  EXPECT_EQ(sim.granted_at[other], Instant(std::chrono::seconds(1000)));
}

TEST(LimiterCore, ThousandMessagesToHundredChatsAtTheGlobalRate) {
  auto c = fast_config();
  Simulation sim(c);
  Instant start = sim.now;
  for (int round = 0; round < 10; ++round)
    for (int chat = 1; chat <= 100; ++chat) sim.enqueue(chat, 1);
  sim.run_until_idle();
  ASSERT_EQ(sim.granted_at.size(), 1000u);
  Instant last = start;
  for (auto& [t, at] : sim.granted_at) last = std::max(last, at);
  double elapsed = std::chrono::duration<double>(last - start).count();
  // (1000 - burst) / 300 per second: the global bucket is the bottleneck, and it is fully used.
  EXPECT_NEAR(elapsed, (1000.0 - c.global_burst) / c.global_per_second, 0.02);

  // No window of one second ever holds more than rate + burst grants.
  std::vector<Instant> times;
  for (auto& [t, at] : sim.granted_at) times.push_back(at);
  std::sort(times.begin(), times.end());
  for (std::size_t i = 0, j = 0; i < times.size(); ++i) {
    while (times[i] - times[j] >= 1s) ++j;
    EXPECT_LE(i - j + 1, static_cast<std::size_t>(c.global_per_second + c.global_burst));
  }
}

TEST(LimiterCore, GroupsAreLimitedPerMinute) {
  RateLimitConfig c;
  c.chat_per_second = 100;
  c.chat_burst = 100;
  Simulation sim(c);
  Instant start = sim.now;
  std::vector<Ticket> tickets;
  for (int i = 0; i < 6; ++i) tickets.push_back(sim.enqueue(-100123, 1));
  sim.run_until_idle();
  EXPECT_DOUBLE_EQ(sim.seconds_since(start, tickets[2]), 0);     // burst 3
  EXPECT_NEAR(sim.seconds_since(start, tickets[3]), 3.0, 1e-3);  // then one per 3 s
  EXPECT_NEAR(sim.seconds_since(start, tickets[5]), 9.0, 1e-3);
}

TEST(LimiterCore, RateLimitPausesExactlyTheChatForRetryAfter) {
  Simulation sim(fast_config());
  Instant start = sim.now;
  sim.core.on_rate_limited(7, 5s, sim.now);
  Ticket paused = sim.enqueue(7, 1);
  Ticket other = sim.enqueue(8, 1);
  sim.run_until_idle();
  EXPECT_DOUBLE_EQ(sim.seconds_since(start, other), 0);
  EXPECT_DOUBLE_EQ(sim.seconds_since(start, paused), 5.0);  // not a moment earlier or later
  EXPECT_EQ(sim.core.paused_until(7), start + 5s);
  EXPECT_LT(sim.core.paused_until(std::nullopt), start);
}

TEST(LimiterCore, AfterAPauseTheChatRestartsAtItsRateWithoutBurst) {
  Simulation sim(fast_config());
  Instant start = sim.now;
  sim.core.on_rate_limited(7, 2s, sim.now);
  std::vector<Ticket> tickets;
  for (int i = 0; i < 3; ++i) tickets.push_back(sim.enqueue(7, 1));
  sim.run_until_idle();
  EXPECT_DOUBLE_EQ(sim.seconds_since(start, tickets[0]), 2.0);
  EXPECT_NEAR(sim.seconds_since(start, tickets[1]), 2.1, 1e-3);  // 10/s: no storm
  EXPECT_NEAR(sim.seconds_since(start, tickets[2]), 2.2, 1e-3);
}

TEST(LimiterCore, RetriedCallGoesFirstInItsChat) {
  Simulation sim(fast_config());
  sim.core.on_rate_limited(7, 1s, sim.now);
  Ticket waiting = sim.enqueue(7, 1);
  Ticket retried = sim.enqueue(7, 1, /*front=*/true);
  sim.run_until_idle();
  EXPECT_LT(sim.granted_at[retried], sim.granted_at[waiting]);
}

TEST(LimiterCore, UnscopedRateLimitAndFloodsPauseEverything) {
  Simulation sim(fast_config());
  Instant start = sim.now;
  EXPECT_EQ(sim.core.on_rate_limited(std::nullopt, 3s, sim.now), LimiterCore::Scope::global);
  Ticket t = sim.enqueue(9, 1);
  sim.run_until_idle();
  EXPECT_DOUBLE_EQ(sim.seconds_since(start, t), 3.0);

  Simulation flood(fast_config());
  EXPECT_EQ(flood.core.on_rate_limited(1, 2s, flood.now), LimiterCore::Scope::chat);
  EXPECT_EQ(flood.core.on_rate_limited(2, 2s, flood.now), LimiterCore::Scope::chat);
  EXPECT_EQ(flood.core.on_rate_limited(3, 2s, flood.now), LimiterCore::Scope::global);
  EXPECT_EQ(flood.core.paused_until(std::nullopt), flood.now + 2s);
}

TEST(LimiterCore, AlbumsCostTheirItemsCappedAtTheBurst) {
  Simulation sim(RateLimitConfig{});  // chat burst 3
  Instant start = sim.now;
  Ticket album = sim.enqueue(5, 10);  // more than the bucket holds: capped
  Ticket next = sim.enqueue(5, 1);
  sim.run_until_idle();
  EXPECT_DOUBLE_EQ(sim.seconds_since(start, album), 0);
  EXPECT_NEAR(sim.seconds_since(start, next), 1.0, 1e-3);
}

TEST(LimiterCore, OneCallPerChatInFlightAndABoundOverall) {
  auto c = fast_config();
  c.max_in_flight = 2;
  Simulation sim(c);
  sim.hold = true;
  Ticket a1 = sim.enqueue(1);
  Ticket a2 = sim.enqueue(1);
  Ticket b1 = sim.enqueue(2);
  Ticket c1 = sim.enqueue(3);
  auto granted = sim.core.grant(sim.now);
  // Chat 1's second call waits for its first; chat 3 waits for a free slot.
  EXPECT_EQ(granted, (std::vector<Ticket>{a1, b1}));
  EXPECT_EQ(sim.core.in_flight(), 2);
  EXPECT_FALSE(sim.core.next_wake(sim.now));  // only a release can unblock
  sim.core.release(2);
  EXPECT_EQ(sim.core.grant(sim.now), (std::vector<Ticket>{c1}));
  EXPECT_EQ(sim.core.grant(sim.now), (std::vector<Ticket>{}));  // a1 and c1 fill both slots
  sim.core.release(1);
  EXPECT_EQ(sim.core.grant(sim.now), (std::vector<Ticket>{a2}));
  EXPECT_EQ(sim.core.in_flight(), 2);
}

TEST(LimiterCore, RequeueKeepsTheChatsOrder) {
  Simulation sim(fast_config());
  sim.hold = true;
  Ticket first = sim.enqueue(4);
  Ticket second = sim.enqueue(4);
  EXPECT_EQ(sim.core.grant(sim.now), (std::vector<Ticket>{first}));
  // `first` failed and is sent again: it must still go before `second`.
  sim.core.on_rate_limited(4, 1s, sim.now);
  Ticket again = sim.core.requeue(4, 1, sim.now);
  sim.chat_of[again] = 4;
  sim.hold = false;
  sim.run_until_idle();
  EXPECT_LT(sim.granted_at[again], sim.granted_at[second]);
  EXPECT_EQ(sim.core.in_flight(), 0);
}

TEST(LimiterCore, CancelAndIdleChatsAreForgotten) {
  Simulation sim(fast_config());
  Ticket t = sim.enqueue(1, 1);
  EXPECT_TRUE(sim.core.cancel(t));
  EXPECT_FALSE(sim.core.cancel(t));
  EXPECT_EQ(sim.core.queued(), 0u);
  EXPECT_FALSE(sim.core.next_wake(sim.now));

  // Serve 3000 distinct chats over time; the map must not keep them all.
  for (int chat = 1; chat <= 3000; ++chat) {
    sim.enqueue(chat, 1);
    sim.run_until_idle();
    sim.now += 20ms;
  }
  EXPECT_LT(sim.core.tracked_chats(), 2100u);
}

}  // namespace
}  // namespace kb::telegram
