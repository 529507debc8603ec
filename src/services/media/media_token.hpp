// Signed media tokens: the URL-safe capability in /media/<token> (a user's stored file) and
// /media/r/<token> (a provider result file), an HMAC-SHA256 over what the proxy needs. Pure.
//
// Wire format: `<payload>.<mac>[.<ext>]`
//   payload = base64url("m\n<expires_at>\n<media_ref_id>")                 user media
//           | base64url("r\n<expires_at>\n<file_name>\n<http(s) url>")      result file
//   mac     = base64url(HMAC-SHA256(key, "kiebot-media-token/v1\n" + payload + "\n" + ext))
//   ext     = optional cosmetic file extension ([a-z0-9]{1,8}); signed, because some fetchers
//             judge a file by the end of its URL.
// The MAC covers the *encoded* text, so every change of any character of the token fails the
// comparison (done in constant time) before anything is decoded.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace kb::services {

enum class MediaTokenKind { user_media, result_file };

struct MediaTokenClaims {
  MediaTokenKind kind = MediaTokenKind::user_media;
  std::int64_t expires_at = 0;    // unix seconds; valid up to and including this second
  std::int64_t media_ref_id = 0;  // user_media: store::MediaRef id
  std::string url;                // result_file: the provider's http(s) URL
  std::string file_name;          // result_file: the name browsers offer (sanitized)
  std::string extension;          // the token's signed suffix (may be empty)
};

enum class TokenStatus { valid, tampered, expired };
std::string_view token_status_name(TokenStatus status);

struct TokenCheck {
  TokenStatus status = TokenStatus::tampered;
  MediaTokenClaims claims;  // meaningful unless tampered
};

// Longest token accepted; longer ones are refused unread.
inline constexpr std::size_t kMaxMediaTokenLength = 6144;

// The HMAC key: MEDIA_PROXY_SECRET when set, otherwise the documented one-way derivation
// crypto::derive_key(bot_token, "media-proxy") = HMAC-SHA256(bot_token, "kiebot/media-proxy").
// Changing either invalidates every URL signed before. Errc::invalid_input when both are empty.
Result<std::string> media_signing_key(std::string_view configured_secret,
                                      std::string_view bot_token);

// Letters, digits, '.', '-' and '_' kept, anything else '_', at most 100 bytes, never empty.
std::string sanitize_file_name(std::string_view name);
// The extension of a file name ("a.MP4" → "mp4"), empty unless it is 1-8 ASCII letters/digits.
std::string extension_of(std::string_view file_name);

class MediaTokenSigner {
 public:
  // `key` must not be empty (a broken invariant aborts).
  explicit MediaTokenSigner(std::string key);

  // Result file names are sanitized and URLs must be valid http(s) URLs (callers check with
  // telegram::is_valid_http_url); an invalid extension is dropped.
  std::string sign(const MediaTokenClaims& claims) const;
  // Tampered (any malformation, wrong key, unknown format) is decided before expiry.
  TokenCheck verify(std::string_view token, std::int64_t now_seconds) const;

 private:
  std::string mac(std::string_view payload, std::string_view extension) const;

  std::string key_;
};

}  // namespace kb::services
