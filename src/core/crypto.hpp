// HMAC-SHA256, constant-time comparison, encodings and random tokens (OpenSSL underneath).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kb::crypto {

std::string hmac_sha256(std::string_view key, std::string_view message);  // 32 raw bytes
std::string sha256(std::string_view data);                                // 32 raw bytes
bool constant_time_equals(std::string_view a, std::string_view b);

std::string hex(std::string_view bytes);
std::string base64(std::string_view bytes);
std::string base64url(std::string_view bytes);  // no padding
std::optional<std::string> base64url_decode(std::string_view text);
std::optional<std::string> base64_decode(std::string_view text);

std::string random_bytes(std::size_t n);
std::string random_token(std::size_t bytes = 24);  // base64url

// One-way derivation of a purpose-specific key from a root secret (e.g. the bot token), so one
// leaked derived key reveals neither the root nor its siblings.
std::string derive_key(std::string_view root_secret, std::string_view purpose);

}  // namespace kb::crypto
