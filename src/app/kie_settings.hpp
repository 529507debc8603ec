// The KIE module's settings, derived from the application configuration.
#pragma once

#include "app/config.hpp"
#include "kie/callback_verifier.hpp"
#include "kie/kie_client.hpp"

namespace kb::app {

// Key, base URLs and the `kiebot/<version>` User-Agent. The create budget is built separately:
// LocalCreateBudget(config.kie_create_per_10s, 10 s, clock).
kie::KieClientOptions kie_client_options(const Config& config);

// The callback path token (derived from KIE_WEBHOOK_HMAC_KEY, else the bot token, else the KIE
// key) and the optional HMAC key. The callBackUrl is `<public base>/kie/callback/<token>`.
kie::CallbackVerifierOptions kie_callback_options(const Config& config);

}  // namespace kb::app
