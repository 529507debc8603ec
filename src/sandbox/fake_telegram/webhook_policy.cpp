// Webhook rules.
#include "sandbox/fake_telegram/webhook_policy.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace kb::sandbox::tg {
namespace {

struct ParsedUrl {
  std::string scheme;
  std::string host;
  int port = 0;
};

std::optional<ParsedUrl> parse_url(std::string_view url) {
  auto sep = url.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  ParsedUrl out;
  out.scheme = std::string(url.substr(0, sep));
  std::transform(out.scheme.begin(), out.scheme.end(), out.scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (out.scheme != "http" && out.scheme != "https") return std::nullopt;
  auto rest = url.substr(sep + 3);
  auto authority = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = authority.rfind('@'); at != std::string_view::npos)
    authority = authority.substr(at + 1);
  if (authority.empty()) return std::nullopt;
  auto colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
    auto port_text = authority.substr(colon + 1);
    if (port_text.empty() || port_text.size() > 5) return std::nullopt;
    int port = 0;
    for (char c : port_text) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
      port = port * 10 + (c - '0');
    }
    if (port == 0 || port > 65535) return std::nullopt;
    out.port = port;
    authority = authority.substr(0, colon);
  } else {
    out.port = out.scheme == "https" ? 443 : 80;
  }
  if (authority.empty()) return std::nullopt;
  for (char c : authority) {
    if (std::isspace(static_cast<unsigned char>(c))) return std::nullopt;
  }
  out.host = std::string(authority);
  return out;
}

bool is_reserved_ipv4(std::string_view host) {
  int parts[4];
  int n = 0;
  std::size_t i = 0;
  while (n < 4) {
    int v = 0;
    std::size_t start = i;
    while (i < host.size() && std::isdigit(static_cast<unsigned char>(host[i]))) {
      v = v * 10 + (host[i] - '0');
      ++i;
    }
    if (i == start || v > 255) return false;
    parts[n++] = v;
    if (n < 4) {
      if (i >= host.size() || host[i] != '.') return false;
      ++i;
    }
  }
  if (i != host.size()) return false;
  return parts[0] == 0 || parts[0] == 10 || parts[0] == 127 ||
         (parts[0] == 169 && parts[1] == 254) || (parts[0] == 172 && (parts[1] & 0xF0) == 16) ||
         (parts[0] == 192 && parts[1] == 168) || parts[0] >= 224;
}

}  // namespace

std::optional<ApiError> validate_webhook_url(std::string_view url, bool strict) {
  if (url.empty()) return std::nullopt;
  auto parsed = parse_url(url);
  if (!parsed) return bad_request("invalid webhook URL specified");
  if (!strict) return std::nullopt;
  if (parsed->scheme != "https")
    return bad_request("bad webhook: An HTTPS URL must be provided for webhook");
  if (parsed->port != 443 && parsed->port != 80 && parsed->port != 88 && parsed->port != 8443)
    return bad_request("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443");
  if (parsed->host.front() == '[')
    return bad_request("bad webhook: IPv6-only addresses are not allowed");
  if (is_reserved_ipv4(parsed->host))
    return bad_request(fmt::format("bad webhook: IP address {} is reserved", parsed->host));
  if (parsed->host == "localhost")
    return bad_request("bad webhook: IP address 127.0.0.1 is reserved");
  return std::nullopt;
}

std::optional<ApiError> validate_secret_token(std::string_view secret) {
  if (secret.size() > 256) return bad_request("secret token is too long");
  for (char c : secret) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-')
      return bad_request("secret token contains unallowed characters");
  }
  return std::nullopt;
}

std::int64_t webhook_retry_delay_ms(int failures, std::optional<int> retry_after_header,
                                    std::uint64_t random) {
  if (retry_after_header && *retry_after_header > 0)
    return static_cast<std::int64_t>(std::min(*retry_after_header, 3600)) * 1000;
  if (failures <= 1) return 0;
  if (failures <= 7) return (std::int64_t{1} << (failures - 1)) * 1000;  // 2, 4, … 64 s
  return (60 + static_cast<std::int64_t>(random % 61)) * 1000;
}

std::int64_t update_expiry_ms(std::string_view type, std::int64_t event_ms) {
  constexpr std::int64_t kDay = 24LL * 3600 * 1000;
  if (type == "callback_query" || type == "shipping_query" || type == "pre_checkout_query")
    return event_ms + 150'000;
  if (type == "inline_query") return event_ms + 30'000;
  if (type == "chosen_inline_result") return event_ms + 600'000;
  return event_ms + kDay;
}

std::string update_type(const Json& update) {
  for (auto it = update.begin(); it != update.end(); ++it) {
    if (it.key() != "update_id") return it.key();
  }
  return "";
}

std::string update_queue_key(const Json& update) {
  auto type = update_type(update);
  if (type.empty()) return "none";
  const auto& payload = update[type];
  if (payload.contains("chat") && payload["chat"].contains("id"))
    return fmt::format("chat:{}", payload["chat"]["id"].get<std::int64_t>());
  if (payload.contains("from") && payload["from"].contains("id"))
    return fmt::format("{}:{}", type, payload["from"]["id"].get<std::int64_t>());
  return type;
}

}  // namespace kb::sandbox::tg
