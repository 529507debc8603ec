// Callback data encoding and validation.
#include "bot/callback_data.hpp"

#include <algorithm>
#include <charconv>

namespace kb::bot {
namespace {

constexpr std::size_t kMaxBytes = 64;

bool valid_action(std::string_view a) {
  return !a.empty() && a.size() <= 4 && std::all_of(a.begin(), a.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

bool valid_arg(std::string_view a) {
  return a.size() <= 40 && std::all_of(a.begin(), a.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                  c == '.' || c == '-';
         });
}

}  // namespace

std::optional<std::int64_t> CallbackData::int_arg(std::size_t i) const {
  if (i >= args.size() || args[i].empty()) return std::nullopt;
  std::int64_t v = 0;
  const auto& s = args[i];
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<std::string> encode_callback(std::string_view action, const std::vector<std::string>& args) {
  if (!valid_action(action)) return std::nullopt;
  std::string out(kCallbackVersion);
  out += '|';
  out += action;
  for (const auto& a : args) {
    if (!valid_arg(a)) return std::nullopt;
    out += '|';
    out += a;
  }
  if (out.size() > kMaxBytes) return std::nullopt;
  return out;
}

std::optional<CallbackData> decode_callback(std::string_view data) {
  if (data.empty() || data.size() > kMaxBytes) return std::nullopt;
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    auto bar = data.find('|', start);
    parts.push_back(data.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start));
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  if (parts.size() < 2 || parts[0] != kCallbackVersion || !valid_action(parts[1])) return std::nullopt;
  CallbackData out;
  out.action = std::string(parts[1]);
  for (std::size_t i = 2; i < parts.size(); ++i) {
    if (!valid_arg(parts[i])) return std::nullopt;
    out.args.emplace_back(parts[i]);
  }
  return out;
}

}  // namespace kb::bot
