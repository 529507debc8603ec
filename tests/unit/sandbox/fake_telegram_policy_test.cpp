// Pure rules of the fake Bot API: webhook validation and backoff, update queue semantics, flood
// control, image sizes and file ids.
#include <gtest/gtest.h>

#include "sandbox/fake_telegram/file_store.hpp"
#include "sandbox/fake_telegram/flood_control.hpp"
#include "sandbox/fake_telegram/image_info.hpp"
#include "sandbox/fake_telegram/update_queue.hpp"
#include "sandbox/fake_telegram/webhook_policy.hpp"

namespace kb::sandbox::tg {
namespace {

Json message_in_chat(std::int64_t chat_id) {
  Json m;
  m["message_id"] = 1;
  m["chat"] = {{"id", chat_id}, {"type", "private"}};
  m["date"] = 0;
  return m;
}

TEST(FakeTelegramWebhookPolicy, UrlValidation) {
  EXPECT_FALSE(validate_webhook_url("", true));
  EXPECT_FALSE(validate_webhook_url("https://bot.example.com/tg/webhook", true));
  EXPECT_FALSE(validate_webhook_url("https://bot.example.com:8443/x", true));
  EXPECT_FALSE(validate_webhook_url("http://127.0.0.1:34567/hook", false));
  auto not_url = validate_webhook_url("not a url", false);
  ASSERT_TRUE(not_url);
  EXPECT_EQ(not_url->description, "Bad Request: invalid webhook URL specified");
  EXPECT_EQ(validate_webhook_url("http://bot.example.com/x", true)->description,
            "Bad Request: bad webhook: An HTTPS URL must be provided for webhook");
  EXPECT_EQ(validate_webhook_url("https://bot.example.com:8080/x", true)->description,
            "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443");
  EXPECT_EQ(validate_webhook_url("https://10.1.2.3/x", true)->description,
            "Bad Request: bad webhook: IP address 10.1.2.3 is reserved");
  EXPECT_TRUE(validate_webhook_url("ftp://x", false));
  EXPECT_TRUE(validate_webhook_url("https://host:99999/x", false));
}

TEST(FakeTelegramWebhookPolicy, SecretToken) {
  EXPECT_FALSE(validate_secret_token(""));
  EXPECT_FALSE(validate_secret_token("Abc_123-xyz"));
  EXPECT_EQ(validate_secret_token(std::string(257, 'a'))->description,
            "Bad Request: secret token is too long");
  EXPECT_EQ(validate_secret_token("bad token!")->description,
            "Bad Request: secret token contains unallowed characters");
}

TEST(FakeTelegramWebhookPolicy, RetryDelays) {
  EXPECT_EQ(webhook_retry_delay_ms(1, std::nullopt, 0), 0);
  EXPECT_EQ(webhook_retry_delay_ms(2, std::nullopt, 0), 2000);
  EXPECT_EQ(webhook_retry_delay_ms(3, std::nullopt, 0), 4000);
  EXPECT_EQ(webhook_retry_delay_ms(7, std::nullopt, 0), 64000);
  for (std::uint64_t r : {0ULL, 1ULL, 60ULL, 12345ULL}) {
    auto d = webhook_retry_delay_ms(8, std::nullopt, r);
    EXPECT_GE(d, 60000);
    EXPECT_LE(d, 120000);
  }
  EXPECT_EQ(webhook_retry_delay_ms(1, 7, 0), 7000);
  EXPECT_EQ(webhook_retry_delay_ms(3, 99999, 0), 3600000);
}

TEST(FakeTelegramWebhookPolicy, ExpiryAndQueueKeys) {
  EXPECT_EQ(update_expiry_ms("message", 1000), 1000 + 24LL * 3600 * 1000);
  EXPECT_EQ(update_expiry_ms("callback_query", 1000), 151000);
  EXPECT_EQ(update_expiry_ms("pre_checkout_query", 0), 150000);
  Json u;
  u["update_id"] = 1;
  u["message"] = message_in_chat(42);
  EXPECT_EQ(update_type(u), "message");
  EXPECT_EQ(update_queue_key(u), "chat:42");
  Json cb;
  cb["update_id"] = 2;
  cb["callback_query"] = {{"id", "1"}, {"from", {{"id", 7}}}};
  EXPECT_EQ(update_queue_key(cb), "callback_query:7");
}

TEST(FakeTelegramUpdateQueue, OffsetConfirmsEarlierUpdates) {
  UpdateQueue q(100);
  for (int i = 0; i < 5; ++i) q.push("message", message_in_chat(1), 0);
  auto all = q.fetch(0, 100, 0);
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[0]["update_id"], 100);
  EXPECT_EQ(q.fetch(0, 2, 0).size(), 2u);  // limit
  auto rest = q.fetch(103, 100, 0);        // confirms 100..102
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0]["update_id"], 103);
  EXPECT_EQ(q.size(), 2u);
  EXPECT_TRUE(q.fetch(105, 100, 0).empty());
  EXPECT_EQ(q.size(), 0u);
}

TEST(FakeTelegramUpdateQueue, NegativeOffsetKeepsTheLastN) {
  UpdateQueue q(1);
  for (int i = 0; i < 5; ++i) q.push("message", message_in_chat(1), 0);
  auto last = q.fetch(-2, 100, 0);
  ASSERT_EQ(last.size(), 2u);
  EXPECT_EQ(last[0]["update_id"], 4);
  EXPECT_EQ(q.size(), 2u);
}

TEST(FakeTelegramUpdateQueue, AllowedUpdatesFilterNewUpdates) {
  UpdateQueue q(1);
  EXPECT_EQ(q.push("chat_member", Json::object(), 0), 0);  // not in the default set
  EXPECT_NE(q.push("my_chat_member", Json::object(), 0), 0);
  q.set_allowed({"message"});
  EXPECT_EQ(q.push("callback_query", Json::object(), 0), 0);
  EXPECT_NE(q.push("message", message_in_chat(1), 0), 0);
  q.set_allowed({});
  EXPECT_NE(q.push("callback_query", Json::object(), 0), 0);
}

TEST(FakeTelegramUpdateQueue, ExpiredUpdatesAreDropped) {
  UpdateQueue q(1);
  q.push("callback_query", Json::object(), 0);
  q.push("message", message_in_chat(1), 0);
  EXPECT_EQ(q.fetch(0, 100, 151'000).size(), 1u);
}

TEST(FakeTelegramUpdateQueue, WebhookDeliversOnePerChatInOrder) {
  UpdateQueue q(1);
  q.push("message", message_in_chat(1), 0);  // 1
  q.push("message", message_in_chat(1), 0);  // 2
  q.push("message", message_in_chat(2), 0);  // 3
  auto due = q.take_due(0, 10);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].id, 1);
  EXPECT_EQ(due[1].id, 3);
  EXPECT_TRUE(q.take_due(0, 10).empty());  // both queues busy
  EXPECT_EQ(q.in_flight(), 2u);
  // Chat 1's first update fails: retried at once (first failure), chat 1 stays blocked behind it.
  EXPECT_TRUE(q.failed(1, 0, std::nullopt, 0));
  q.delivered(3);
  due = q.take_due(0, 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].id, 1);
  EXPECT_EQ(q.attempts(1), 2);
  EXPECT_TRUE(q.failed(1, 1000, std::nullopt, 0));  // second failure: +2 s
  EXPECT_TRUE(q.take_due(2999, 10).empty());
  EXPECT_EQ(q.next_due_ms(), 3000);
  due = q.take_due(3000, 10);
  ASSERT_EQ(due.size(), 1u);
  q.delivered(1);
  due = q.take_due(3000, 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].id, 2);
}

TEST(FakeTelegramUpdateQueue, RoomLimitsUpdatesInFlight) {
  UpdateQueue q(1);
  for (int chat = 1; chat <= 5; ++chat) q.push("message", message_in_chat(chat), 0);
  EXPECT_EQ(q.take_due(0, 2).size(), 2u);
  EXPECT_EQ(q.take_due(0, 1).size(), 1u);
}

TEST(FakeTelegramUpdateQueue, RetryAfterExpiryDropsTheUpdate) {
  UpdateQueue q(1);
  q.push("callback_query", Json{{"from", {{"id", 5}}}}, 0);
  ASSERT_EQ(q.take_due(0, 1).size(), 1u);
  EXPECT_FALSE(q.failed(1, 100'000, 3600, 0));  // next attempt after the 150 s expiry
  EXPECT_EQ(q.size(), 0u);
}

TEST(FakeTelegramFloodControl, ChatBurstThenRetryAfter) {
  RateLimits limits;
  limits.chat_per_second = 1;
  limits.chat_burst = 3;
  FloodControl flood(limits);
  EXPECT_EQ(flood.acquire(1, 0), 0);
  EXPECT_EQ(flood.acquire(1, 0), 0);
  EXPECT_EQ(flood.acquire(1, 0), 0);
  EXPECT_EQ(flood.acquire(1, 0), 1);  // empty: one token per second
  EXPECT_EQ(flood.acquire(2, 0), 0);  // other chats are independent
  EXPECT_EQ(flood.acquire(1, 999), 1);
  EXPECT_EQ(flood.acquire(1, 1000), 0);
}

TEST(FakeTelegramFloodControl, GlobalLimitAndGroups) {
  RateLimits limits;
  limits.global_per_second = 2;
  limits.global_burst = 2;
  limits.chat_burst = 10;
  limits.chat_per_second = 10;
  FloodControl flood(limits);
  EXPECT_EQ(flood.acquire(1, 0), 0);
  EXPECT_EQ(flood.acquire(2, 0), 0);
  EXPECT_EQ(flood.acquire(3, 0), 1);
  EXPECT_EQ(flood.acquire(3, 500), 0);

  RateLimits group_limits;
  group_limits.group_per_minute = 2;
  group_limits.chat_burst = 10;
  group_limits.chat_per_second = 10;
  FloodControl groups(group_limits);
  EXPECT_EQ(groups.acquire(-100, 0), 0);
  EXPECT_EQ(groups.acquire(-100, 0), 0);
  EXPECT_EQ(groups.acquire(-100, 0), 30);  // one message per 30 s

  limits.enabled = false;
  flood.set_limits(limits);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(flood.acquire(1, 0), 0);
}

TEST(FakeTelegramImageInfo, HeadersOfCommonFormats) {
  std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + std::string("\0\0\0\x0dIHDR", 8) +
                    std::string("\0\0\x05\0\0\0\x03\xc0", 8);
  EXPECT_EQ(image_dimensions(png), (ImageSize{1280, 960}));
  std::string gif = std::string("GIF89a") + std::string("\x40\x01\xf0\x00", 4);
  EXPECT_EQ(image_dimensions(gif), (ImageSize{320, 240}));
  std::string jpeg = std::string("\xff\xd8\xff\xe0\x00\x04\x00\x00", 8) +
                     std::string("\xff\xc0\x00\x11\x08\x02\x58\x03\x20", 9);
  EXPECT_EQ(image_dimensions(jpeg), (ImageSize{800, 600}));
  EXPECT_FALSE(image_dimensions("not an image"));
}

TEST(FakeTelegramImageInfo, PhotoSizesSmallestFirst) {
  auto sizes = photo_sizes({1280, 960});
  ASSERT_EQ(sizes.size(), 4u);
  EXPECT_EQ(sizes[0], (ImageSize{90, 68}));
  EXPECT_EQ(sizes[1], (ImageSize{320, 240}));
  EXPECT_EQ(sizes[2], (ImageSize{800, 600}));
  EXPECT_EQ(sizes[3], (ImageSize{1280, 960}));
  EXPECT_EQ(photo_sizes({64, 64}).size(), 1u);
  EXPECT_EQ(photo_sizes({5000, 100}).back(), (ImageSize{2560, 51}));
  EXPECT_TRUE(photo_dimensions_valid({1000, 1000}));
  EXPECT_FALSE(photo_dimensions_valid({9000, 2000}));
  EXPECT_FALSE(photo_dimensions_valid({2100, 100}));
}

TEST(FakeTelegramFileStore, IdsAreOpaqueStableAndUnique) {
  FileStore store("token-a");
  auto bytes = std::make_shared<const std::string>("data");
  const auto& a = store.add(FileKind::document, bytes, "application/pdf", "a.pdf");
  const auto& b = store.add(FileKind::document, bytes, "application/pdf", "a.pdf");
  EXPECT_NE(a.file_id, b.file_id);
  EXPECT_NE(a.file_unique_id, b.file_unique_id);
  EXPECT_EQ(a.file_id.rfind("BQAC", 0), 0u);
  EXPECT_EQ(a.file_path, "documents/file_1.pdf");
  EXPECT_EQ(store.find(a.file_id), &a);
  EXPECT_EQ(store.find_by_path("documents/file_2.pdf"), &b);
  FileStore other("token-b");
  EXPECT_NE(other.add(FileKind::document, bytes).file_id, a.file_id);
}

}  // namespace
}  // namespace kb::sandbox::tg
