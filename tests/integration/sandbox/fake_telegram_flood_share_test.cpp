// The fake Bot API's random flood knob (a share of message sends answered 429 with retry_after)
// and its record of sends that came before an answered retry_after had passed.
#include <gtest/gtest.h>

#include "fake_telegram_fixture.hpp"

namespace kb::sandbox::tg::test_support {
namespace {

constexpr std::int64_t kChat = 5550001001;
constexpr std::int64_t kOther = 5550001002;

TEST_F(FakeTelegramTest, RandomFloodShareAnswers429WithRetryAfter) {
  start(unlimited());
  tg->set_random_flood(1.0, 3);
  auto refused = call("sendMessage", {{"chat_id", kChat}, {"text", "x"}});
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(refused.description(), "Too Many Requests: retry after 3");
  EXPECT_EQ(refused.body["parameters"]["retry_after"], 3);
  EXPECT_EQ(refused.headers.get_or("Retry-After"), "3");
  // Only message sends: other methods pass.
  EXPECT_TRUE(call("getMe").ok());
  EXPECT_EQ(tg->random_floods(), 1u);

  tg->set_random_flood(0);
  for (int i = 0; i < 5; ++i)
    EXPECT_TRUE(call("sendMessage", {{"chat_id", kOther}, {"text", "x"}}).ok());
  EXPECT_EQ(tg->random_floods(), 1u);
}

TEST_F(FakeTelegramTest, RandomFloodShareIsAShare) {
  start(unlimited());
  tg->set_random_flood(0.25, 1);
  int refused = 0;
  for (int i = 0; i < 400; ++i) {
    auto r = call("sendMessage", {{"chat_id", kChat + i}, {"text", "x"}});
    refused += r.status == 429;
  }
  EXPECT_EQ(static_cast<std::size_t>(refused), tg->random_floods());
  EXPECT_GT(refused, 60);
  EXPECT_LT(refused, 140);
}

TEST_F(FakeTelegramTest, SendsBeforeRetryAfterPassedAreCountedPerChat) {
  start(unlimited());
  tg->inject_error("sendMessage", InjectedError::too_many_requests(2));
  EXPECT_EQ(call("sendMessage", {{"chat_id", kChat}, {"text", "x"}}).status, 429);
  EXPECT_EQ(tg->early_retries(), 0u);
  // Another chat is not affected; an edit is not a send.
  EXPECT_TRUE(call("sendMessage", {{"chat_id", kOther}, {"text", "x"}}).ok());
  call("editMessageText", {{"chat_id", kChat}, {"message_id", 1}, {"text", "y"}});
  EXPECT_EQ(tg->early_retries(), 0u);
  clock.advance(std::chrono::milliseconds(1999));
  EXPECT_TRUE(call("sendMessage", {{"chat_id", kChat}, {"text", "too early"}}).ok());
  EXPECT_EQ(tg->early_retries(), 1u);
  clock.advance(std::chrono::milliseconds(1));
  EXPECT_TRUE(call("sendMessage", {{"chat_id", kChat}, {"text", "in time"}}).ok());
  EXPECT_EQ(tg->early_retries(), 1u);
}

}  // namespace
}  // namespace kb::sandbox::tg::test_support
