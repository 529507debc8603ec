// Callback token, task-id extraction and HMAC verification (see callback_verifier.hpp).
#include "kie/callback_verifier.hpp"

#include <cctype>
#include <charconv>

#include "core/crypto.hpp"
#include "core/text.hpp"
#include "kie/response_normalizer.hpp"

namespace kb::kie {
namespace {

std::optional<std::string> id_at(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return std::nullopt;
  auto it = object.find(key);
  if (it == object.end()) return std::nullopt;
  std::string id;
  if (it->is_string())
    id = std::string(trim(it->get_ref<const std::string&>()));
  else if (it->is_number_integer())
    id = it->dump();
  else
    return std::nullopt;
  if (!is_valid_task_id(id)) return std::nullopt;
  return id;
}

}  // namespace

std::string derive_callback_token(std::string_view root_secret) {
  return crypto::base64url(crypto::derive_key(root_secret, "kie-callback"));
}

std::string_view callback_token_root(std::string_view hmac_key, std::string_view bot_token,
                                     std::string_view kie_api_key) {
  if (!hmac_key.empty()) return hmac_key;
  if (!bot_token.empty()) return bot_token;
  return kie_api_key;
}

Result<std::string> extract_callback_task_id(std::string_view body) {
  auto root = parse_json_limited(body);
  if (!root) return fail(Errc::invalid_input, "callback body is not JSON");
  if (!root->is_object()) return fail(Errc::invalid_input, "callback body is not a JSON object");
  auto data = root->find("data");
  if (data != root->end()) {
    if (auto id = id_at(*data, "taskId")) return *id;
    if (auto id = id_at(*data, "task_id")) return *id;
  }
  if (auto id = id_at(*root, "taskId")) return *id;
  if (auto id = id_at(*root, "task_id")) return *id;
  return fail(Errc::invalid_input, "callback body carries no task id");
}

std::string_view signature_check_name(SignatureCheck check) {
  switch (check) {
    case SignatureCheck::ok:
      return "ok";
    case SignatureCheck::missing:
      return "missing_signature";
    case SignatureCheck::bad_timestamp:
      return "bad_timestamp";
    case SignatureCheck::stale:
      return "stale_timestamp";
    case SignatureCheck::mismatch:
      return "bad_signature";
  }
  return "unknown";
}

std::string sign_callback(std::string_view hmac_key, std::string_view task_id,
                          std::string_view timestamp) {
  std::string message;
  message.reserve(task_id.size() + 1 + timestamp.size());
  message.append(task_id).append(".").append(timestamp);
  return crypto::base64(crypto::hmac_sha256(hmac_key, message));
}

SignatureCheck verify_callback_signature(std::string_view hmac_key, std::string_view task_id,
                                         std::optional<std::string_view> timestamp,
                                         std::optional<std::string_view> signature,
                                         std::int64_t now_seconds, std::int64_t max_skew_seconds) {
  if (!timestamp || !signature) return SignatureCheck::missing;
  auto ts_text = trim(*timestamp);
  auto sig_text = trim(*signature);
  if (sig_text.empty()) return SignatureCheck::missing;
  // Seconds as an unsigned integer of sane length (a millisecond value is simply stale).
  if (ts_text.empty() || ts_text.size() > 12) return SignatureCheck::bad_timestamp;
  std::int64_t ts = 0;
  auto [ptr, ec] = std::from_chars(ts_text.data(), ts_text.data() + ts_text.size(), ts);
  if (ec != std::errc() || ptr != ts_text.data() + ts_text.size() || ts_text.front() == '-')
    return SignatureCheck::bad_timestamp;
  std::int64_t skew = now_seconds - ts;
  if (skew < 0) skew = -skew;
  if (skew > max_skew_seconds) return SignatureCheck::stale;
  std::string expected = sign_callback(hmac_key, task_id, ts_text);
  if (!crypto::constant_time_equals(expected, sig_text)) return SignatureCheck::mismatch;
  return SignatureCheck::ok;
}

CallbackVerifier::CallbackVerifier(CallbackVerifierOptions options, const Clock& clock)
    : options_(std::move(options)), clock_(clock) {}

CallbackDecision CallbackVerifier::check(std::string_view path_token, std::string_view body,
                                         std::optional<std::string_view> timestamp,
                                         std::optional<std::string_view> signature) const {
  CallbackDecision d;
  // An empty configured token would make "/kie/callback/" valid: refuse everything instead.
  if (options_.token.empty() || !crypto::constant_time_equals(path_token, options_.token)) {
    d.status = 404;
    d.reason = "unknown_token";
    return d;
  }
  if (body.size() > options_.max_body_bytes) {
    d.status = 413;
    d.reason = "too_large";
    return d;
  }
  if (signatures_required() && (!timestamp || !signature)) {
    d.status = 401;
    d.reason = signature_check_name(SignatureCheck::missing);
    return d;
  }
  auto task_id = extract_callback_task_id(body);
  if (!task_id) {
    d.status = 400;
    d.reason = "no_task_id";
    return d;
  }
  if (signatures_required()) {
    auto check = verify_callback_signature(options_.hmac_key, *task_id, timestamp, signature,
                                           clock_.now_seconds(), options_.max_skew.count());
    if (check != SignatureCheck::ok) {
      d.status = 401;
      d.reason = signature_check_name(check);
      return d;
    }
  }
  d.task_id = std::move(*task_id);
  d.reason = "accepted";
  return d;
}

std::string CallbackVerifier::callback_url(std::string_view public_base_url) const {
  std::string base(public_base_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/kie/callback/" + options_.token;
}

}  // namespace kb::kie
