// The outbound limiter against the fake's flood control: many messages to many chats complete with
// no 429 at close to the allowed rate; after a 429 the client waits retry_after and no more, for
// the chat that was hit only.
#include <atomic>

#include "client_fixture.hpp"
#include "core/with_timeout.hpp"

namespace kb::telegram::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Sends `count` messages concurrently (one coroutine each) and waits for all of them.
struct Burst {
  std::atomic<int> done{0};
  std::atomic<int> failed{0};
};

Task<void> send_all(BotClient& client, std::vector<std::int64_t> chats, Burst& burst) {
  auto executor = co_await asio::this_coro::executor;
  for (std::size_t i = 0; i < chats.size(); ++i) {
    auto chat = chats[i];
    BotClient* c = &client;
    Burst* b = &burst;
    asio::co_spawn(
        executor,
        [c, b, chat, i]() -> Task<void> {
          // Arguments are built outside the co_await expression (GCC 12 destroys them twice).
          auto sending = c->send_message({chat, "message " + std::to_string(i), ParseMode::none});
          auto sent = co_await std::move(sending);
          if (!sent) ++b->failed;
          ++b->done;
        },
        asio::detached);
  }
  while (burst.done.load() < static_cast<int>(chats.size())) co_await sleep_for(10ms);
}

sandbox::FakeTelegramOptions fast_limits() {
  sandbox::FakeTelegramOptions options;
  options.limits.enabled = true;
  options.limits.global_per_second = 300;
  options.limits.global_burst = 30;
  options.limits.chat_per_second = 10;
  options.limits.chat_burst = 3;
  return options;
}

TEST_F(ClientTest, ThousandMessagesToHundredChatsWithoutA429) {
  ClientConfig config;
  // The same rates as the fake enforces; smaller bursts leave room for network jitter.
  config.limits.global_per_second = 300;
  config.limits.global_burst = 10;
  config.limits.chat_per_second = 10;
  config.limits.chat_burst = 2;
  // Few requests on the wire: a stall of the (loaded) test machine then cannot release a pile of
  // them at once, which the fake would count as a burst.
  config.limits.max_in_flight = 4;
  start(fast_limits(), config);

  std::vector<std::int64_t> chats;
  for (int round = 0; round < 10; ++round)
    for (int chat = 0; chat < 100; ++chat) chats.push_back(6000000000 + chat);
  Burst burst;
  auto started = Clock::now();
  run<void>([&] { return send_all(*client, chats, burst); });
  double elapsed = std::chrono::duration<double>(Clock::now() - started).count();

  EXPECT_EQ(burst.failed.load(), 0);
  auto calls = fake->calls("sendMessage");
  ASSERT_EQ(calls.size(), 1000u);  // no retries were needed
  int rate_limited = 0;
  for (const auto& c : calls) rate_limited += c.status == 429;
  EXPECT_EQ(rate_limited, 0);
  // Close to the allowed rate: (1000 - burst) / 300 = 3.3 s at best.
  double best = (1000.0 - config.limits.global_burst) / config.limits.global_per_second;
  EXPECT_GE(elapsed, best * 0.95);
  EXPECT_LE(elapsed, best * 1.4) << "the limiter is far below the allowed rate";
  for (int chat = 0; chat < 100; ++chat)
    EXPECT_EQ(fake->bot_messages(6000000000 + chat).size(), 10u);
}

TEST_F(ClientTest, After429TheChatWaitsRetryAfterAndNoMoreWhileOthersProceed) {
  ClientConfig config;
  config.limits.global_per_second = 300;
  config.limits.chat_per_second = 10;
  start(unlimited(), config);
  const std::int64_t hit = alice.id, other = 6000000999;
  fake->inject_error("sendMessage", sandbox::tg::InjectedError::too_many_requests(1), 1);

  std::atomic<bool> hit_done{false};
  run<void>([&]() -> Task<void> {
    auto executor = co_await asio::this_coro::executor;
    BotClient* c = client.get();
    std::atomic<bool>* flag = &hit_done;
    asio::co_spawn(
        executor,
        [c, flag, hit]() -> Task<void> {
          auto sending = c->send_message({hit, "first", ParseMode::none});
          auto sent = co_await std::move(sending);
          EXPECT_TRUE(sent) << (sent ? "" : sent.error().describe());
          *flag = true;
        },
        asio::detached);
    // Let the first call get its 429, then send to another chat: it must not wait.
    while (fake->call_count("sendMessage") < 1) co_await sleep_for(5ms);
    co_await sleep_for(50ms);
    auto sending = c->send_message({other, "unaffected", ParseMode::none});
    auto sent = co_await std::move(sending);
    EXPECT_TRUE(sent);
    while (!hit_done) co_await sleep_for(10ms);
  });

  auto calls = fake->calls("sendMessage");
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].status, 429);
  EXPECT_EQ(calls[0].param("chat_id"), std::to_string(hit));
  EXPECT_EQ(calls[1].param("chat_id"), std::to_string(other));  // went during the pause
  EXPECT_EQ(calls[2].param("chat_id"), std::to_string(hit));
  EXPECT_EQ(calls[2].status, 200);
  auto waited = calls[2].at_ms - calls[0].at_ms;
  EXPECT_GE(waited, 1000);
  EXPECT_LE(waited, 1300) << "waited longer than retry_after";
  EXPECT_LT(calls[1].at_ms - calls[0].at_ms, 500);
  EXPECT_EQ(fake->last_bot_message(hit)->text, "first");
}

TEST_F(ClientTest, QueuedCallsOfAPausedChatResumeInOrderWithoutAStorm) {
  ClientConfig config;
  config.limits.chat_per_second = 10;
  config.limits.chat_burst = 3;
  start(unlimited(), config);
  fake->inject_error("sendMessage", sandbox::tg::InjectedError::too_many_requests(1), 1);
  std::vector<std::int64_t> chats(5, alice.id);
  Burst burst;
  run<void>([&] { return send_all(*client, chats, burst); });
  EXPECT_EQ(burst.failed.load(), 0);
  auto calls = fake->calls("sendMessage");
  ASSERT_EQ(calls.size(), 6u);  // five messages, one of them twice
  int rate_limited = 0;
  for (const auto& c : calls) rate_limited += c.status == 429;
  EXPECT_EQ(rate_limited, 1);
  // After the pause, the chat restarts at its rate (10/s), not all at once.
  std::vector<std::int64_t> after;
  for (const auto& c : calls)
    if (c.status == 200 && c.at_ms >= calls[0].at_ms + 1000) after.push_back(c.at_ms);
  ASSERT_GE(after.size(), 3u);
  EXPECT_GE(after.back() - after.front(), 150);
}

TEST_F(ClientTest, UnthrottledMethodsWaitOutTheir429Themselves) {
  start();
  fake->inject_error("getMe", sandbox::tg::InjectedError::too_many_requests(1), 1);
  auto me = run<Result<BotInfo>>([&] { return client->get_me(); });
  ASSERT_TRUE(me) << me.error().describe();
  auto calls = fake->calls("getMe");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_GE(calls[1].at_ms - calls[0].at_ms, 1000);
  EXPECT_LE(calls[1].at_ms - calls[0].at_ms, 1300);
}

TEST_F(ClientTest, RateLimitBeyondTheWaitBudgetFailsVisibly) {
  ClientConfig config;
  config.retry.max_rate_limit_wait = 5s;
  start(unlimited(), config);
  fake->inject_error("sendMessage", sandbox::tg::InjectedError::too_many_requests(600), 1);
  auto started = Clock::now();
  auto sent = run<Result<Message>>([&] {
    return client->send_message({alice.id, "x", ParseMode::none});
  });
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, Errc::rate_limited);
  EXPECT_LT(Clock::now() - started, 2s);  // gave up at once instead of sleeping 10 minutes
  EXPECT_EQ(fake->call_count("sendMessage"), 1u);
}

TEST(OutboundLimiterTest, ShutdownFailsWaitingCallsInsteadOfHanging) {
  kb::test::IoThread io(2);
  OutboundLimiter limiter(io.io().get_executor(), RateLimitConfig{});
  limiter.on_rate_limited(1, 60s);  // chat 1 is paused for a minute
  std::atomic<int> outcome{0};      // 0 waiting, 1 granted, 2 failed
  OutboundLimiter* l = &limiter;
  std::atomic<int>* o = &outcome;
  asio::co_spawn(
      io.io(),
      [l, o]() -> Task<void> {
        auto turn = co_await l->acquire(1);
        *o = turn ? 1 : 2;
      },
      asio::detached);
  auto granted_elsewhere = io.run<Result<void>>([&] { return limiter.acquire(2); });
  EXPECT_TRUE(granted_elsewhere);  // another chat is not affected
  limiter.release(2);
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(outcome.load(), 0);
  EXPECT_EQ(limiter.queued(), 1u);
  limiter.shutdown();
  for (int i = 0; i < 100 && outcome.load() == 0; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(outcome.load(), 2);
  auto after = io.run<Result<void>>([&] { return limiter.acquire(3); });
  EXPECT_FALSE(after);
}

}  // namespace
}  // namespace kb::telegram::test
