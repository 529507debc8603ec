// The Telegram webhook of the whole application refuses every request without the exact secret:
// 401, nothing stored, nothing answered; the exact secret is stored and answered.
#include <cctype>

#include <fmt/format.h>

#include "security_rig.hpp"

namespace kb::security_test {
namespace {

std::string text_update(std::int64_t update_id, std::int64_t user_id, std::string_view text) {
  return fmt::format(
      R"({{"update_id":{0},"message":{{"message_id":{0},"from":{{"id":{1},"is_bot":false,)"
      R"("first_name":"Mallory","language_code":"en"}},"chat":{{"id":{1},"type":"private"}},)"
      R"("date":1700000000,"text":"{2}"}}}})",
      update_id, user_id, text);
}

class SecurityWebhook : public SecurityTest {};
KB_SECURITY_BACKENDS(SecurityWebhook);

TEST_P(SecurityWebhook, WrongOrMissingSecretIs401AndNothingIsStoredOrSent) {
  const auto secret = webhook_secret();
  ASSERT_GE(secret.size(), 2u);
  std::vector<std::optional<std::string>> wrong = {std::nullopt, std::string(), std::string(" ")};
  // One character different at the start, the middle and the end.
  for (std::size_t pos : {std::size_t{0}, secret.size() / 2, secret.size() - 1}) {
    auto s = secret;
    s[pos] = s[pos] == 'A' ? 'B' : 'A';
    wrong.emplace_back(s);
  }
  // Case changed (every letter, and one letter).
  auto upper = secret, lower = secret, one_case = secret;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (auto& c : one_case)
    if (std::isalpha(static_cast<unsigned char>(c))) {
      c = std::islower(static_cast<unsigned char>(c))
              ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
              : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      break;
    }
  for (const auto& s : {upper, lower, one_case})
    if (s != secret) wrong.emplace_back(s);
  // Length: a prefix, one character more, doubled, padded with spaces, a NUL appended.
  wrong.emplace_back(secret.substr(0, secret.size() - 1));
  wrong.emplace_back(secret.substr(0, 1));
  wrong.emplace_back(secret + "x");
  wrong.emplace_back(secret + secret);
  wrong.emplace_back(std::string(secret.size(), 'A'));
  wrong.emplace_back(std::string(4096, 'A'));
  // Other secrets of the same instance are not the webhook secret.
  wrong.emplace_back(config().bot_token);
  wrong.emplace_back(config().media_proxy_secret);

  const auto inbox_before = count("inbox");
  const auto users_before = count("users");
  const auto rejects_before = count("inbox_rejects");
  std::int64_t update_id = 900'000'001;
  for (const auto& s : wrong) {
    auto r = post_webhook(text_update(update_id++, 4242, "/start"), s);
    EXPECT_EQ(r.status, 401) << (s ? "secret '" + *s + "'" : std::string("no header"));
    EXPECT_EQ(r.body.find("update"), std::string::npos);
  }
  EXPECT_EQ(count("inbox"), inbox_before);
  EXPECT_EQ(count("inbox_rejects"), rejects_before);
  EXPECT_EQ(count("users"), users_before);
  EXPECT_EQ(count("users", "id = 4242"), 0);
  EXPECT_TRUE(telegram().bot_messages(4242).empty());  // the bot answered nobody

  // The exact secret is stored and handled: the checks above can fail.
  auto ok = post_webhook(text_update(update_id, 4242, "/start"), secret);
  EXPECT_EQ(ok.status, 200);
  settle(update_id);
  EXPECT_EQ(count("inbox"), inbox_before + 1);
  EXPECT_EQ(count("users", "id = 4242"), 1);
  EXPECT_TRUE(telegram().last_bot_message(4242));
}

TEST_P(SecurityWebhook, OtherMethodsAndPathsNeverReachTheInbox) {
  const auto inbox_before = count("inbox");
  const auto body = text_update(900'000'100, 4343, "/start");
  const auto& path = config().webhook_path;
  for (const char* method : {"GET", "PUT", "DELETE", "PATCH"}) {
    auto r = request(method, path, body, {{"X-Telegram-Bot-Api-Secret-Token", webhook_secret()}});
    EXPECT_EQ(r.status, 405) << method;
  }
  for (const auto& other : {path + "x", path + "/x", std::string("/webhook"),
                            "/bot" + config().bot_token, std::string("/telegram")}) {
    auto r = request("POST", other, body, {{"X-Telegram-Bot-Api-Secret-Token", webhook_secret()}});
    EXPECT_EQ(r.status, 404) << other;
  }
  EXPECT_EQ(count("inbox"), inbox_before);
}

}  // namespace
}  // namespace kb::security_test
