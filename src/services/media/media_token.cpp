// Signing and verification of media tokens.
#include "services/media/media_token.hpp"

#include <charconv>
#include <cstdlib>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "core/crypto.hpp"

namespace kb::services {
namespace {

constexpr std::string_view kMacDomain = "kiebot-media-token/v1\n";
constexpr std::size_t kMaxExtension = 8;
constexpr std::size_t kMaxFileName = 100;

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool valid_extension(std::string_view ext) {
  if (ext.empty() || ext.size() > kMaxExtension) return false;
  for (char c : ext)
    if (!is_lower_alnum(c)) return false;
  return true;
}

std::optional<std::int64_t> parse_positive(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  // from_chars accepts no sign or spaces, but a leading zero would give two spellings of one
  // value; only the canonical one is ever signed.
  if (text.front() == '0') return std::nullopt;
  return value;
}

// Splits at the first `n` newlines; the last field keeps the rest.
std::vector<std::string_view> split_fields(std::string_view text, std::size_t n) {
  std::vector<std::string_view> out;
  while (out.size() < n) {
    auto nl = text.find('\n');
    if (nl == std::string_view::npos) break;
    out.push_back(text.substr(0, nl));
    text.remove_prefix(nl + 1);
  }
  out.push_back(text);
  return out;
}

std::optional<MediaTokenClaims> parse_payload(std::string_view payload) {
  MediaTokenClaims c;
  if (payload.starts_with("m\n")) {
    auto f = split_fields(payload.substr(2), 1);
    if (f.size() != 2) return std::nullopt;
    auto exp = parse_positive(f[0]);
    auto id = parse_positive(f[1]);
    if (!exp || !id) return std::nullopt;
    c.kind = MediaTokenKind::user_media;
    c.expires_at = *exp;
    c.media_ref_id = *id;
    return c;
  }
  if (payload.starts_with("r\n")) {
    auto f = split_fields(payload.substr(2), 2);
    if (f.size() != 3) return std::nullopt;
    auto exp = parse_positive(f[0]);
    if (!exp || f[1].empty() || f[2].empty()) return std::nullopt;
    c.kind = MediaTokenKind::result_file;
    c.expires_at = *exp;
    c.file_name = std::string(f[1]);
    c.url = std::string(f[2]);
    return c;
  }
  return std::nullopt;
}

}  // namespace

std::string_view token_status_name(TokenStatus status) {
  switch (status) {
    case TokenStatus::valid:
      return "valid";
    case TokenStatus::tampered:
      return "tampered";
    case TokenStatus::expired:
      return "expired";
  }
  return "unknown";
}

Result<std::string> media_signing_key(std::string_view configured_secret,
                                      std::string_view bot_token) {
  if (!configured_secret.empty()) return std::string(configured_secret);
  if (bot_token.empty())
    return fail(Errc::invalid_input,
                "media URLs need MEDIA_PROXY_SECRET or TELEGRAM_BOT_TOKEN to derive a key from");
  return crypto::derive_key(bot_token, "media-proxy");
}

std::string sanitize_file_name(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (out.size() == kMaxFileName) break;
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '-' || c == '_';
    out.push_back(keep ? c : '_');
  }
  // Names made only of dots would look like path parts to some clients.
  if (out.find_first_not_of('.') == std::string::npos) out = "file";
  return out;
}

std::string extension_of(std::string_view file_name) {
  auto dot = file_name.rfind('.');
  if (dot == std::string_view::npos) return "";
  std::string ext(file_name.substr(dot + 1));
  for (auto& c : ext)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return valid_extension(ext) ? ext : "";
}

MediaTokenSigner::MediaTokenSigner(std::string key) : key_(std::move(key)) {
  if (key_.empty()) {
    fmt::print(stderr, "MediaTokenSigner: empty key\n");
    std::abort();
  }
}

std::string MediaTokenSigner::mac(std::string_view payload, std::string_view extension) const {
  std::string message;
  message.reserve(kMacDomain.size() + payload.size() + 1 + extension.size());
  message.append(kMacDomain).append(payload).append("\n").append(extension);
  return crypto::base64url(crypto::hmac_sha256(key_, message));
}

std::string MediaTokenSigner::sign(const MediaTokenClaims& claims) const {
  std::string payload;
  if (claims.kind == MediaTokenKind::user_media) {
    payload = fmt::format("m\n{}\n{}", claims.expires_at, claims.media_ref_id);
  } else {
    payload = fmt::format("r\n{}\n{}\n{}", claims.expires_at, sanitize_file_name(claims.file_name),
                          claims.url);
  }
  auto encoded = crypto::base64url(payload);
  std::string ext = valid_extension(claims.extension) ? claims.extension : "";
  std::string token = encoded + "." + mac(encoded, ext);
  if (!ext.empty()) token += "." + ext;
  return token;
}

TokenCheck MediaTokenSigner::verify(std::string_view token, std::int64_t now_seconds) const {
  TokenCheck tampered;
  if (token.empty() || token.size() > kMaxMediaTokenLength) return tampered;
  // base64url has no '.', so the separators are unambiguous.
  auto first_dot = token.find('.');
  if (first_dot == std::string_view::npos) return tampered;
  auto payload = token.substr(0, first_dot);
  auto rest = token.substr(first_dot + 1);
  std::string_view given_mac = rest;
  std::string_view ext;
  if (auto second_dot = rest.find('.'); second_dot != std::string_view::npos) {
    given_mac = rest.substr(0, second_dot);
    ext = rest.substr(second_dot + 1);
    if (!valid_extension(ext)) return tampered;
  }
  if (payload.empty() || !crypto::constant_time_equals(mac(payload, ext), given_mac))
    return tampered;

  auto decoded = crypto::base64url_decode(payload);
  if (!decoded) return tampered;
  auto claims = parse_payload(*decoded);
  if (!claims) return tampered;
  claims->extension = std::string(ext);
  TokenCheck check;
  check.claims = std::move(*claims);
  check.status = now_seconds > check.claims.expires_at ? TokenStatus::expired : TokenStatus::valid;
  return check;
}

}  // namespace kb::services
