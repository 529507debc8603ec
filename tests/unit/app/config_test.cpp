#include "app/config.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace kb::app {
namespace {

TEST(Config, DefaultsAreUsableWithoutAnyVariable) {
  auto c = parse_config({});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->port, 8080);
  EXPECT_EQ(c->webhook_max_body, 10u * 1024 * 1024);
  EXPECT_EQ(c->bot_mode, BotMode::auto_detect);
  EXPECT_EQ(c->telegram_file_url, "https://api.telegram.org");
  EXPECT_EQ(c->free_daily_limit, 5);
  EXPECT_EQ(c->start_bonus, 0);
  EXPECT_EQ(c->stars_packages.size(), 3u);
}

TEST(Config, ReadsPythonBotNamesAndFallbacks) {
  auto c = parse_config({{"TELEGRAM_BOT_TOKEN", "123456:AAbbccddeeffgghhiijjkkllmmnnoopp_-"},
                         {"RENDER_EXTERNAL_URL", "https://bot.onrender.com/"},
                         {"ADMIN_IDS", "1, 2,3"},
                         {"ADMIN_ID", "3,4"},
                         {"PORT", "10000"},
                         {"START_BONUS_RUB", "49.90"},
                         {"REFERRAL_REWARD", "rub:25"},
                         {"STARS_PACKAGES", "150:100"},
                         {"BOT_MODE", "webhook"}});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->public_base_url, "https://bot.onrender.com");
  EXPECT_EQ(c->admin_ids, (std::vector<std::int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(c->port, 10000);
  EXPECT_EQ(c->start_bonus, 4990);
  EXPECT_EQ(c->referral_reward.kind, ReferralReward::Kind::kopecks);
  EXPECT_EQ(c->referral_reward.amount, 2500);
  ASSERT_EQ(c->stars_packages.size(), 1u);
  EXPECT_EQ(c->stars_packages[0].credit, 15000);
  EXPECT_EQ(c->stars_packages[0].stars, 100);
  // WEBHOOK_BASE_URL wins over RENDER_EXTERNAL_URL.
  auto d = parse_config(
      {{"RENDER_EXTERNAL_URL", "https://a.example"}, {"WEBHOOK_BASE_URL", "https://b.example"}});
  EXPECT_EQ(d->public_base_url, "https://b.example");
}

struct BadValue {
  const char* name;
  const char* value;
};

class ConfigErrors : public testing::TestWithParam<BadValue> {};

TEST_P(ConfigErrors, OneLineNamingTheVariableAndWhatIsExpected) {
  auto [name, value] = GetParam();
  auto c = parse_config({{name, value}});
  ASSERT_FALSE(c) << name << "=" << value << " was accepted";
  const auto& msg = c.error().message;
  EXPECT_TRUE(msg.starts_with(std::string("invalid ") + name)) << msg;
  EXPECT_NE(msg.find("expected"), std::string::npos) << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
}

INSTANTIATE_TEST_SUITE_P(
    AllVariables, ConfigErrors,
    testing::Values(
        BadValue{"TELEGRAM_BOT_TOKEN", "nope"}, BadValue{"TELEGRAM_BOT_TOKEN", "12:short"},
        BadValue{"TELEGRAM_API_URL", "ftp://x"}, BadValue{"TELEGRAM_FILE_URL", "notaurl"},
        BadValue{"TELEGRAM_LOCAL_MODE", "maybe"},
        BadValue{"TELEGRAM_WEBHOOK_SECRET_TOKEN", "bad secret value!!"},
        BadValue{"TELEGRAM_WEBHOOK_SECRET_TOKEN", "short"},
        BadValue{"WEBHOOK_BASE_URL", "example.com"}, BadValue{"RENDER_EXTERNAL_URL", "x"},
        BadValue{"WEBHOOK_PATH", "webhook"}, BadValue{"WEBHOOK_MAX_BODY_SIZE", "10MB"},
        BadValue{"WEBHOOK_MAX_BODY_SIZE", "1"}, BadValue{"WEBHOOK_MAX_CONNECTIONS", "0"},
        BadValue{"BOT_MODE", "push"}, BadValue{"BOT_MODE", "webhook"}, BadValue{"PORT", "70000"},
        BadValue{"PORT", "abc"}, BadValue{"HTTP_HEADER_TIMEOUT_MS", "5"},
        BadValue{"HTTP_BODY_TIMEOUT_MS", "x"}, BadValue{"HTTP_IDLE_TIMEOUT_MS", "-1"},
        BadValue{"HTTP_MAX_CONNECTIONS", "0"}, BadValue{"SHUTDOWN_GRACE_MS", "forever"},
        BadValue{"METRICS_TOKEN", "short"}, BadValue{"KIE_API_KEY", "k"},
        BadValue{"KIE_BASE_URL", "api.kie.ai"}, BadValue{"KIE_UPLOAD_BASE_URL", "//x"},
        BadValue{"KIE_WEBHOOK_HMAC_KEY", "k"}, BadValue{"KIE_CREATE_PER_10S", "0"},
        BadValue{"KIE_BALANCE_ALERT_CREDITS", "-5"}, BadValue{"DATABASE_URL", "mysql://x"},
        BadValue{"DATABASE_URL", "sqlite:"}, BadValue{"SQLITE_SYNCHRONOUS", "off"},
        BadValue{"DB_POOL_SIZE", "0"}, BadValue{"ADMIN_IDS", "12,abc"}, BadValue{"ADMIN_ID", "-4"},
        BadValue{"MEDIA_PROXY_SECRET", "short"}, BadValue{"MEDIA_MODE", "s3"},
        BadValue{"MEDIA_URL_TTL_SECONDS", "10"}, BadValue{"LOG_LEVEL", "loud"},
        BadValue{"LOG_FORMAT", "xml"}, BadValue{"PRICE_FX_RUB_PER_USD", "abc"},
        BadValue{"PRICE_FX_RUB_PER_USD", "0"}, BadValue{"PRICE_MARKUP", "-2"},
        BadValue{"BOT_BRAND_NAME", "Kie Studio"}, BadValue{"FREE_DAILY_LIMIT", "-1"},
        BadValue{"FREE_TIER_TIMEZONE", "Mars/Base"}, BadValue{"START_BONUS_RUB", "1.234"},
        BadValue{"REFERRAL_REWARD", "cash:5"}, BadValue{"REFERRAL_REWARD", "free:0"},
        BadValue{"STARS_PACKAGES", "100"}, BadValue{"STARS_PACKAGES", "100:0"},
        BadValue{"MAX_CONCURRENT_JOBS_PER_USER", "0"}, BadValue{"USER_RATE_PER_MINUTE", "0"},
        BadValue{"USER_RATE_BURST", "x"}, BadValue{"TELEGRAM_GLOBAL_RATE", "fast"},
        BadValue{"TELEGRAM_CHAT_RATE", "0"}, BadValue{"TELEGRAM_GROUP_PER_MINUTE", "1000"},
        BadValue{"PROGRESS_EDIT_INTERVAL_MS", "10"}),
    [](const testing::TestParamInfo<BadValue>& info) {
      return std::string(info.param.name) + "_" + std::to_string(info.index);
    });

TEST(Config, SecretValuesAreMaskedInErrors) {
  auto c = parse_config({{"KIE_API_KEY", "k"}});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("\"***\""), std::string::npos) << c.error().message;
  auto d = parse_config({{"TELEGRAM_WEBHOOK_SECRET_TOKEN", "a-secret-with space!"}});
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().message.find("with space"), std::string::npos) << d.error().message;
}

TEST(Config, DescribeMasksSecrets) {
  auto c = parse_config({{"TELEGRAM_BOT_TOKEN", "123456:AAbbccddeeffgghhiijjkkllmmnnoopp_-"},
                         {"KIE_API_KEY", "kie-very-secret-key"},
                         {"DATABASE_URL", "postgresql://user:pa55word@db/kiebot"}});
  ASSERT_TRUE(c);
  auto text = describe_config(*c);
  EXPECT_EQ(text.find("AAbbccddeeff"), std::string::npos);
  EXPECT_EQ(text.find("very-secret"), std::string::npos);
  EXPECT_EQ(text.find("pa55word"), std::string::npos);
  EXPECT_NE(text.find("KIE_API_KEY"), std::string::npos);
}

TEST(Config, EveryDocumentedVariableIsReadAndEveryReadVariableIsDocumented) {
  std::set<std::string> consumed;
  ASSERT_TRUE(parse_config({}, &consumed));
  std::set<std::string> documented;
  for (const auto& v : config_variables()) documented.insert(v.name);
  EXPECT_EQ(consumed, documented);
}

TEST(Config, ReadmeTableListsEveryVariable) {
  std::ifstream in(std::string(KIEBOT_SOURCE_DIR) + "/README.md");
  ASSERT_TRUE(in) << "README.md missing";
  std::stringstream ss;
  ss << in.rdbuf();
  auto readme = ss.str();
  for (const auto& v : config_variables())
    EXPECT_NE(readme.find(std::string("| `") + v.name + "` |"), std::string::npos)
        << v.name << " is missing from the README configuration table";
}

}  // namespace
}  // namespace kb::app
