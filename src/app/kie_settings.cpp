// KIE settings from Config (see kie_settings.hpp).
#include "app/kie_settings.hpp"

#include "app/build_info.hpp"

namespace kb::app {

kie::KieClientOptions kie_client_options(const Config& config) {
  kie::KieClientOptions o;
  o.api_key = config.kie_api_key;
  o.base_url = config.kie_base_url;
  o.upload_base_url = config.kie_upload_base_url;
  o.user_agent = std::string("kiebot/") + build_info::version();
  return o;
}

kie::CallbackVerifierOptions kie_callback_options(const Config& config) {
  kie::CallbackVerifierOptions o;
  auto root =
      kie::callback_token_root(config.kie_webhook_hmac_key, config.bot_token, config.kie_api_key);
  // No secret at all (a bare sandbox): an empty token makes every callback a 404.
  if (!root.empty()) o.token = kie::derive_callback_token(root);
  o.hmac_key = config.kie_webhook_hmac_key;
  return o;
}

}  // namespace kb::app
