// KIE settings derived from the application configuration.
#include <gtest/gtest.h>

#include "app/build_info.hpp"
#include "app/kie_settings.hpp"

namespace kb::app {
namespace {

TEST(KieSettings, ClientOptionsFromConfig) {
  Config c;
  c.kie_api_key = "kie-key-12345678";
  c.kie_base_url = "http://127.0.0.1:9000";
  c.kie_upload_base_url = "http://127.0.0.1:9001";
  auto o = kie_client_options(c);
  EXPECT_EQ(o.api_key, "kie-key-12345678");
  EXPECT_EQ(o.base_url, "http://127.0.0.1:9000");
  EXPECT_EQ(o.upload_base_url, "http://127.0.0.1:9001");
  EXPECT_EQ(o.user_agent, std::string("kiebot/") + build_info::version());
}

TEST(KieSettings, CallbackTokenRootOrder) {
  Config c;
  c.kie_api_key = "kie-key-12345678";
  EXPECT_EQ(kie_callback_options(c).token, kie::derive_callback_token("kie-key-12345678"));
  c.bot_token = "123456:bot-token";
  EXPECT_EQ(kie_callback_options(c).token, kie::derive_callback_token("123456:bot-token"));
  c.kie_webhook_hmac_key = "hmac-key-123456";
  auto o = kie_callback_options(c);
  EXPECT_EQ(o.token, kie::derive_callback_token("hmac-key-123456"));
  EXPECT_EQ(o.hmac_key, "hmac-key-123456");
}

TEST(KieSettings, NoSecretsMeansNoValidCallbackToken) {
  EXPECT_EQ(kie_callback_options(Config{}).token, "");
}

}  // namespace
}  // namespace kb::app
