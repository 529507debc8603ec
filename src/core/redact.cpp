// Secret masking for log lines and error texts.
#include "core/redact.hpp"

#include <algorithm>
#include <cctype>

namespace kb {
namespace {

constexpr std::size_t kTokenSecretLength = 35;
constexpr std::size_t kMinTokenIdDigits = 5;
constexpr std::string_view kMask = "***";

bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

void replace_all(std::string& text, std::string_view needle) {
  if (needle.empty()) return;
  std::size_t pos = 0;
  while ((pos = text.find(needle, pos)) != std::string::npos) {
    text.replace(pos, needle.size(), kMask);
    pos += kMask.size();
  }
}

void mask_after_prefix(std::string& text, std::string_view prefix) {
  std::size_t pos = 0;
  while ((pos = text.find(prefix, pos)) != std::string::npos) {
    std::size_t start = pos + prefix.size();
    std::size_t end = start;
    while (end < text.size() && text[end] != '/' && text[end] != '?' && text[end] != ' ' &&
           text[end] != '"' && text[end] != '\'' && text[end] != '#' && text[end] != '&')
      ++end;
    if (end > start && text.compare(start, end - start, kMask) != 0) {
      text.replace(start, end - start, kMask);
    }
    pos = start + kMask.size();
  }
}

}  // namespace

std::string redact_bot_tokens(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ':' && i >= kMinTokenIdDigits) {
      std::size_t digits = 0;
      while (digits < i && std::isdigit(static_cast<unsigned char>(text[i - 1 - digits]))) ++digits;
      std::size_t j = i + 1;
      while (j < text.size() && is_token_char(text[j])) ++j;
      if (digits >= kMinTokenIdDigits && j - (i + 1) >= kTokenSecretLength) {
        out.push_back(':');
        out.append(kMask);
        i = j;
        continue;
      }
    }
    out.push_back(text[i]);
    ++i;
  }
  return out;
}

void Redactor::add_secret(std::string secret) {
  // Very short values would mask ordinary words; such "secrets" are rejected by config validation.
  if (secret.size() < 6) return;
  std::unique_lock lock(mutex_);
  if (std::find(secrets_.begin(), secrets_.end(), secret) == secrets_.end())
    secrets_.push_back(std::move(secret));
  // Longest first so a secret containing another is masked whole.
  std::sort(secrets_.begin(), secrets_.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

void Redactor::add_token_path_prefix(std::string prefix) {
  std::unique_lock lock(mutex_);
  if (std::find(path_prefixes_.begin(), path_prefixes_.end(), prefix) == path_prefixes_.end())
    path_prefixes_.push_back(std::move(prefix));
}

std::string Redactor::redact(std::string_view text) const {
  std::string out = redact_bot_tokens(text);
  std::shared_lock lock(mutex_);
  for (const auto& secret : secrets_) replace_all(out, secret);
  for (const auto& prefix : path_prefixes_) mask_after_prefix(out, prefix);
  return out;
}

}  // namespace kb
