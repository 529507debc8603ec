// Verification of provider callbacks to POST /kie/callback/{token} (pure: no I/O; fuzzed).
//
// The path token is unguessable: base64url(derive_key(root, "kie-callback")), where root is
// KIE_WEBHOOK_HMAC_KEY when set, else the bot token, else the KIE API key (the first non-empty).
// Changing the root changes the URL, so tasks created before the change call back to a dead URL
// and are picked up by polling instead.
//
// When an HMAC key is configured, every callback must carry (kie-api.md §4.2)
//   X-Webhook-Timestamp: unix seconds, within ±max_skew of our clock
//   X-Webhook-Signature: base64(HMAC_SHA256(key, taskId + "." + timestamp))
// with taskId read from data.taskId, then data.task_id, then the top-level taskId. Only the task id
// and the timestamp are signed, not the body: a callback is therefore only a hint that the task
// changed; the job runner confirms with recordInfo before acting.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/result.hpp"

namespace kb::kie {

std::string derive_callback_token(std::string_view root_secret);
// The first non-empty of the three, in this order.
std::string_view callback_token_root(std::string_view hmac_key, std::string_view bot_token,
                                     std::string_view kie_api_key);

// The task id a callback is about (data.taskId, data.task_id, top-level taskId); an error for
// bodies that are not JSON objects or carry no valid id.
Result<std::string> extract_callback_task_id(std::string_view body);

enum class SignatureCheck { ok, missing, bad_timestamp, stale, mismatch };
std::string_view signature_check_name(SignatureCheck check);

SignatureCheck verify_callback_signature(std::string_view hmac_key, std::string_view task_id,
                                         std::optional<std::string_view> timestamp,
                                         std::optional<std::string_view> signature,
                                         std::int64_t now_seconds, std::int64_t max_skew_seconds);

// The signature a sender computes (the fake KIE server and tests use it too).
std::string sign_callback(std::string_view hmac_key, std::string_view task_id,
                          std::string_view timestamp);

struct CallbackVerifierOptions {
  std::string token;     // the path segment; see derive_callback_token
  std::string hmac_key;  // empty: signatures are not required
  std::chrono::seconds max_skew{300};
  std::size_t max_body_bytes = 1 << 20;
};

struct CallbackDecision {
  int status =
      200;  // 200 accepted, 400 no task id, 401 bad signature, 404 wrong token, 413 too big
  std::string task_id;      // set when accepted
  std::string_view reason;  // for logs: "accepted", "unknown_token", "too_large", …
};

class CallbackVerifier {
 public:
  CallbackVerifier(CallbackVerifierOptions options, const Clock& clock);

  CallbackDecision check(std::string_view path_token, std::string_view body,
                         std::optional<std::string_view> timestamp,
                         std::optional<std::string_view> signature) const;

  const std::string& token() const { return options_.token; }
  bool signatures_required() const { return !options_.hmac_key.empty(); }
  std::size_t max_body_bytes() const { return options_.max_body_bytes; }
  // `<base>/kie/callback/<token>`; the URL to pass as callBackUrl.
  std::string callback_url(std::string_view public_base_url) const;

 private:
  CallbackVerifierOptions options_;
  const Clock& clock_;
};

}  // namespace kb::kie
