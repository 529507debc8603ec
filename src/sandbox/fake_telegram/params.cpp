// Request parameter parsing.
#include "sandbox/fake_telegram/params.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "net/http_types.hpp"

namespace kb::sandbox::tg {
namespace {

std::string_view media_type(std::string_view content_type) {
  return trim(content_type.substr(0, content_type.find(';')));
}

// First occurrence wins, as in the real server (query arguments come before body arguments).
void add_value(ApiParams& params, std::string name, std::string value) {
  params.values.emplace(std::move(name), std::move(value));
}

Result<void> add_json_object(ApiParams& params, std::string_view body) {
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded()) return fail(Errc::invalid_input, "can't parse JSON object");
  if (!parsed.is_object()) return fail(Errc::invalid_input, "expected a JSON object");
  for (auto& [key, value] : parsed.items()) {
    if (value.is_string()) {
      add_value(params, key, value.get<std::string>());
    } else if (!value.is_null()) {
      add_value(params, key, value.dump());
    }
  }
  return {};
}

}  // namespace

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool to_bool(std::string_view text) {
  auto lower = ascii_lower(trim(text));
  return lower == "true" || lower == "yes" || lower == "1";
}

std::int64_t to_integer(std::string_view text) {
  auto t = trim(text);
  bool negative = false;
  std::size_t i = 0;
  if (i < t.size() && (t[i] == '-' || t[i] == '+')) {
    negative = t[i] == '-';
    ++i;
  }
  std::uint64_t value = 0;
  for (; i < t.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(t[i]))) return 0;
    value = value * 10 + static_cast<std::uint64_t>(t[i] - '0');
    if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return 0;
  }
  auto v = static_cast<std::int64_t>(value);
  return negative ? -v : v;
}

bool ApiParams::has(std::string_view name) const {
  return get(name).has_value();
}

std::optional<std::string> ApiParams::get(std::string_view name) const {
  auto it = values.find(name);
  if (it == values.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

std::string ApiParams::get_or(std::string_view name, std::string_view fallback) const {
  auto v = get(name);
  return v ? *v : std::string(fallback);
}

bool ApiParams::get_bool(std::string_view name) const {
  auto v = get(name);
  return v && to_bool(*v);
}

std::int64_t ApiParams::get_int(std::string_view name, std::int64_t fallback, std::int64_t min,
                                std::int64_t max) const {
  auto v = get(name);
  if (!v) return fallback;
  return std::clamp(to_integer(*v), min, max);
}

const net::FormPart* ApiParams::file(std::string_view name) const {
  auto it = files.find(name);
  return it == files.end() ? nullptr : &it->second;
}

Result<ApiParams> parse_api_params(std::string_view content_type, std::string_view query,
                                   std::string_view body) {
  ApiParams params;
  for (auto& [k, v] : net::parse_urlencoded(query)) add_value(params, k, v);
  auto type = media_type(content_type);
  if (body.empty() && !net::iequals(type, "multipart/form-data")) return params;
  if (net::iequals(type, "application/x-www-form-urlencoded")) {
    params.encoding = "form";
    for (auto& [k, v] : net::parse_urlencoded(body)) add_value(params, k, v);
  } else if (net::iequals(type, "application/json")) {
    params.encoding = "json";
    KB_TRY(add_json_object(params, body));
  } else if (net::iequals(type, "multipart/form-data")) {
    params.encoding = "multipart";
    auto boundary = net::multipart_boundary(content_type);
    if (!boundary) return fail(Errc::invalid_input, "can't find boundary in multipart body");
    auto parts = net::parse_multipart(body, *boundary);
    if (!parts) return fail(Errc::invalid_input, "can't parse multipart body");
    for (auto& part : *parts) {
      if (part.filename) {
        params.files.emplace(part.name, part);
      } else {
        add_value(params, part.name, part.data);
      }
    }
  }
  return params;
}

}  // namespace kb::sandbox::tg
