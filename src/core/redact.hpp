// Masks secrets in any text before it leaves the process (logs, error texts).
#pragma once

#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace kb {

// Replaces, anywhere in a line:
//  - Telegram bot tokens (`<digits>:<35 url-safe chars>`) with `<digits>:***`;
//  - every registered secret (KIE key, webhook secret, HMAC keys…) with `***`;
//  - the path segment after each registered path prefix (signed media tokens, callback tokens).
class Redactor {
 public:
  void add_secret(std::string secret);
  void add_token_path_prefix(std::string prefix);  // e.g. "/media/"
  std::string redact(std::string_view text) const;

 private:
  mutable std::shared_mutex mutex_;
  std::vector<std::string> secrets_;
  std::vector<std::string> path_prefixes_;
};

// Stateless part, usable without a Redactor instance.
std::string redact_bot_tokens(std::string_view text);

}  // namespace kb
