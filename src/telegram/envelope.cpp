// Bot API envelope parsing.
#include "telegram/envelope.hpp"

#include <charconv>

#include <fmt/format.h>

namespace kb::telegram {
namespace {

std::optional<int> parse_seconds(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

std::string fallback_description(int http_status) {
  switch (http_status) {
    case 401:
      return "Unauthorized";
    case 404:
      return "Not Found";
    case 413:
      return "Request Entity Too Large";
    case 429:
      return "Too Many Requests";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return fmt::format("HTTP {} without a Bot API envelope", http_status);
  }
}

}  // namespace

Error ApiFailure::to_error() const {
  auto info = this->info();
  std::string message = description;
  if (migrate_to_chat_id) message += fmt::format(" [migrate_to_chat_id={}]", *migrate_to_chat_id);
  return Error{errc_for(error_code, info.kind), std::move(message), error_code};
}

Envelope parse_envelope(int http_status, std::string_view body,
                        std::optional<std::string_view> retry_after_header) {
  Envelope env;
  auto& f = env.failure;
  f.http_status = http_status;
  f.error_code = http_status;
  if (retry_after_header) f.retry_after = parse_seconds(*retry_after_header);

  auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  auto ok = json.is_object() ? json.find("ok") : json.end();
  if (json.is_discarded() || !json.is_object() || ok == json.end() || !ok->is_boolean()) {
    // Not a Bot API answer (a proxy's error page, a truncated body).
    if (http_status >= 200 && http_status < 300) {
      f.error_code = 502;
      f.description = "Bad Gateway: the Bot API answered without a valid envelope";
    } else {
      f.description = fallback_description(http_status);
    }
    return env;
  }
  if (ok->get<bool>()) {
    env.ok = true;
    auto result = json.find("result");
    env.result = result == json.end() ? nlohmann::json() : std::move(*result);
    return env;
  }
  if (auto code = json.find("error_code"); code != json.end() && code->is_number_integer()) {
    auto c = code->get<std::int64_t>();
    if (c >= 100 && c <= 599) f.error_code = static_cast<int>(c);
  }
  if (f.error_code < 400) f.error_code = 400;  // ok=false with a 2xx status: still a failure
  if (auto d = json.find("description"); d != json.end() && d->is_string())
    f.description = d->get<std::string>();
  else
    f.description = fallback_description(f.error_code);
  if (auto p = json.find("parameters"); p != json.end() && p->is_object()) {
    if (auto ra = p->find("retry_after"); ra != p->end() && ra->is_number_integer()) {
      auto v = ra->get<std::int64_t>();
      if (v >= 0 && v <= 86400 * 7) f.retry_after = static_cast<int>(v);
    }
    if (auto m = p->find("migrate_to_chat_id"); m != p->end() && m->is_number_integer())
      f.migrate_to_chat_id = m->get<std::int64_t>();
  }
  // "Too Many Requests: retry after N" without parameters: read N from the text.
  if (f.error_code == 429 && !f.retry_after) {
    auto pos = f.description.rfind("retry after ");
    if (pos != std::string::npos) f.retry_after = parse_seconds(f.description.substr(pos + 12));
  }
  return env;
}

}  // namespace kb::telegram
