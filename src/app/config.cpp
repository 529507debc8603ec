// Environment → Config, with one precise error line per invalid value.
#include "app/config.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>

#include <fmt/format.h>

extern char** environ;

namespace kb::app {
namespace {

class Reader {
 public:
  Reader(const Environment& env, std::set<std::string>* consumed)
      : env_(env), consumed_(consumed) {}

  std::optional<std::string> get(const std::string& name) {
    if (consumed_) consumed_->insert(name);
    auto it = env_.find(name);
    if (it == env_.end() || it->second.empty()) return std::nullopt;
    return it->second;
  }

  bool secret(const std::string& name) const {
    for (const auto& v : config_variables())
      if (name == v.name) return v.secret;
    return false;
  }

  Unexpected bad(const std::string& name, const std::string& value, std::string_view problem,
                 std::string_view expected) {
    std::string shown = secret(name) ? mask_secret(value) : value;
    return fail(Errc::invalid_input,
                fmt::format("invalid {}=\"{}\": {}; expected {}", name, shown, problem, expected));
  }

 private:
  const Environment& env_;
  std::set<std::string>* consumed_;
};

template <class Int>
std::optional<Int> to_int(std::string_view s) {
  Int v{};
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string strip_trailing_slash(std::string s) {
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

bool is_http_url(std::string_view s, bool https_only) {
  auto ok_prefix = s.starts_with("https://") || (!https_only && s.starts_with("http://"));
  if (!ok_prefix) return false;
  auto host = s.substr(s.find("://") + 3);
  return !host.empty() && host.front() != '/' && host.find(' ') == std::string_view::npos;
}

bool valid_bot_token(std::string_view t) {
  auto colon = t.find(':');
  if (colon == std::string_view::npos || colon == 0 || t.size() > 100) return false;
  for (std::size_t i = 0; i < colon; ++i)
    if (!std::isdigit(static_cast<unsigned char>(t[i]))) return false;
  if (t.size() - colon - 1 < 20) return false;
  for (std::size_t i = colon + 1; i < t.size(); ++i) {
    char c = t[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

bool valid_secret_token(std::string_view s) {
  if (s.empty() || s.size() > 256) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

bool valid_timezone(std::string_view tz) {
  if (tz == "UTC") return true;
  // ±HH:MM
  if (tz.size() != 6 || (tz[0] != '+' && tz[0] != '-') || tz[3] != ':') return false;
  auto hh = to_int<int>(tz.substr(1, 2)), mm = to_int<int>(tz.substr(4, 2));
  return hh && mm && *hh <= 14 && *mm < 60;
}

}  // namespace

std::string mask_secret(const std::string& value) {
  if (value.empty()) return "";
  if (value.size() <= 8) return "***";
  return value.substr(0, 2) + "***" + value.substr(value.size() - 2);
}

Environment environment_from_process() {
  Environment env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return env;
}

Result<Config> parse_config(const Environment& env, std::set<std::string>* consumed) {
  Reader r(env, consumed);
  Config c;

  auto int_var = [&](const char* name, auto& target, long long lo, long long hi,
                     std::string_view expected) -> Result<void> {
    auto v = r.get(name);
    if (!v) return {};
    auto parsed = to_int<long long>(*v);
    if (!parsed) return r.bad(name, *v, "not an integer", expected);
    if (*parsed < lo || *parsed > hi) return r.bad(name, *v, "out of range", expected);
    target = static_cast<std::remove_reference_t<decltype(target)>>(*parsed);
    return {};
  };
  auto ms_var = [&](const char* name, std::chrono::milliseconds& target, long long lo,
                    long long hi) -> Result<void> {
    long long ms = target.count();
    KB_TRY(int_var(name, ms, lo, hi, fmt::format("milliseconds between {} and {}", lo, hi)));
    target = std::chrono::milliseconds(ms);
    return {};
  };
  auto bool_var = [&](const char* name, bool& target) -> Result<void> {
    auto v = r.get(name);
    if (!v) return {};
    auto l = lower(*v);
    if (l == "1" || l == "true" || l == "yes" || l == "on")
      target = true;
    else if (l == "0" || l == "false" || l == "no" || l == "off")
      target = false;
    else
      return r.bad(name, *v, "not a boolean", "true or false");
    return {};
  };
  auto url_var = [&](const char* name, std::string& target, bool https_only) -> Result<void> {
    auto v = r.get(name);
    if (!v) return {};
    if (!is_http_url(*v, https_only))
      return r.bad(name, *v, "not a valid URL",
                   https_only ? "an https:// URL" : "an http:// or https:// URL");
    target = strip_trailing_slash(*v);
    return {};
  };
  auto secret_var = [&](const char* name, std::string& target,
                        std::size_t min_len) -> Result<void> {
    auto v = r.get(name);
    if (!v) return {};
    if (v->size() < min_len)
      return r.bad(name, *v, "too short", fmt::format("at least {} characters", min_len));
    target = *v;
    return {};
  };

  // Telegram
  if (auto v = r.get("TELEGRAM_BOT_TOKEN")) {
    if (!valid_bot_token(*v))
      return r.bad("TELEGRAM_BOT_TOKEN", *v, "not a bot token",
                   "<digits>:<secret> as issued by @BotFather");
    c.bot_token = *v;
  }
  KB_TRY(url_var("TELEGRAM_API_URL", c.telegram_api_url, false));
  c.telegram_file_url = c.telegram_api_url;
  KB_TRY(url_var("TELEGRAM_FILE_URL", c.telegram_file_url, false));
  KB_TRY(bool_var("TELEGRAM_LOCAL_MODE", c.telegram_local_mode));
  if (auto v = r.get("TELEGRAM_WEBHOOK_SECRET_TOKEN")) {
    if (!valid_secret_token(*v))
      return r.bad("TELEGRAM_WEBHOOK_SECRET_TOKEN", *v, "invalid characters or length",
                   "1-256 characters of A-Z a-z 0-9 _ -");
    if (v->size() < 16)
      return r.bad("TELEGRAM_WEBHOOK_SECRET_TOKEN", *v, "too short to be secret",
                   "at least 16 characters");
    c.webhook_secret = *v;
  }
  KB_TRY(url_var("RENDER_EXTERNAL_URL", c.public_base_url, false));
  KB_TRY(url_var("WEBHOOK_BASE_URL", c.public_base_url, false));
  if (auto v = r.get("WEBHOOK_PATH")) {
    if (v->front() != '/' || v->find_first_of(" ?#") != std::string::npos)
      return r.bad("WEBHOOK_PATH", *v, "not an absolute path", "a path starting with / (no query)");
    c.webhook_path = strip_trailing_slash(*v);
  }
  KB_TRY(int_var("WEBHOOK_MAX_BODY_SIZE", c.webhook_max_body, 1024, 1LL << 30,
                 "bytes between 1024 and 1073741824"));
  KB_TRY(int_var("WEBHOOK_MAX_CONNECTIONS", c.webhook_max_connections, 1, 100, "an integer 1-100"));
  if (auto v = r.get("BOT_MODE")) {
    auto l = lower(*v);
    if (l == "auto")
      c.bot_mode = BotMode::auto_detect;
    else if (l == "webhook")
      c.bot_mode = BotMode::webhook;
    else if (l == "polling")
      c.bot_mode = BotMode::polling;
    else
      return r.bad("BOT_MODE", *v, "unknown mode", "webhook, polling or auto");
  }
  if (c.bot_mode == BotMode::webhook && c.public_base_url.empty())
    return fail(Errc::invalid_input,
                "invalid BOT_MODE=\"webhook\": no public URL; expected WEBHOOK_BASE_URL (or "
                "RENDER_EXTERNAL_URL) to be set");

  // HTTP server
  if (auto v = r.get("BIND_ADDRESS")) c.bind_address = *v;
  KB_TRY(int_var("PORT", c.port, 1, 65535, "a TCP port 1-65535"));
  KB_TRY(ms_var("HTTP_HEADER_TIMEOUT_MS", c.http_header_timeout, 100, 600'000));
  KB_TRY(ms_var("HTTP_BODY_TIMEOUT_MS", c.http_body_timeout, 100, 3'600'000));
  KB_TRY(ms_var("HTTP_IDLE_TIMEOUT_MS", c.http_idle_timeout, 100, 3'600'000));
  KB_TRY(int_var("HTTP_MAX_CONNECTIONS", c.http_max_connections, 1, 1'000'000,
                 "an integer 1-1000000"));
  KB_TRY(ms_var("SHUTDOWN_GRACE_MS", c.shutdown_grace, 0, 600'000));
  KB_TRY(secret_var("METRICS_TOKEN", c.metrics_token, 16));

  // KIE
  KB_TRY(secret_var("KIE_API_KEY", c.kie_api_key, 8));
  KB_TRY(url_var("KIE_BASE_URL", c.kie_base_url, false));
  KB_TRY(url_var("KIE_UPLOAD_BASE_URL", c.kie_upload_base_url, false));
  KB_TRY(secret_var("KIE_WEBHOOK_HMAC_KEY", c.kie_webhook_hmac_key, 8));
  KB_TRY(int_var("KIE_CREATE_PER_10S", c.kie_create_per_10s, 1, 1000, "an integer 1-1000"));
  KB_TRY(int_var("KIE_BALANCE_ALERT_CREDITS", c.kie_balance_alert_credits, 0, 1'000'000'000,
                 "a non-negative integer"));

  // Storage
  if (auto v = r.get("DATABASE_URL")) {
    bool ok = v->starts_with("postgres://") || v->starts_with("postgresql://") ||
              v->starts_with("sqlite:");
    if (!ok)
      return fail(
          Errc::invalid_input,
          "invalid DATABASE_URL: unsupported scheme; expected postgres://…, postgresql://…, "
          "sqlite:///absolute/path or sqlite:relative/path");
    if (v->starts_with("sqlite:") && v->size() == 7)
      return fail(Errc::invalid_input,
                  "invalid DATABASE_URL=\"sqlite:\": no file path; expected "
                  "sqlite:///absolute/path or sqlite:relative/path");
    c.database_url = *v;
  }
  if (auto v = r.get("DATA_DIR")) c.data_dir = *v;
  if (auto v = r.get("SQLITE_SYNCHRONOUS")) {
    auto l = lower(*v);
    if (l == "full")
      c.sqlite_synchronous = SqliteSync::full;
    else if (l == "normal")
      c.sqlite_synchronous = SqliteSync::normal;
    else
      return r.bad("SQLITE_SYNCHRONOUS", *v, "unknown value", "full or normal");
  }
  KB_TRY(int_var("DB_POOL_SIZE", c.db_pool_size, 1, 64, "an integer 1-64"));

  // Admins
  for (const char* name : {"ADMIN_IDS", "ADMIN_ID"}) {
    auto v = r.get(name);
    if (!v) continue;
    std::string_view rest = *v;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      std::string item(rest.substr(0, comma));
      item.erase(std::remove_if(item.begin(), item.end(),
                                [](unsigned char ch) { return std::isspace(ch); }),
                 item.end());
      if (!item.empty()) {
        auto id = to_int<std::int64_t>(item);
        if (!id || *id <= 0)
          return r.bad(name, *v, fmt::format("'{}' is not a user id", item),
                       "comma-separated positive integers");
        if (std::find(c.admin_ids.begin(), c.admin_ids.end(), *id) == c.admin_ids.end())
          c.admin_ids.push_back(*id);
      }
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }

  KB_TRY(ms_var("ADMIN_OVERRIDES_RELOAD_MS", c.admin_overrides_reload, 100, 3'600'000));

  // Media
  KB_TRY(secret_var("MEDIA_PROXY_SECRET", c.media_proxy_secret, 16));
  if (auto v = r.get("MEDIA_MODE")) {
    auto l = lower(*v);
    if (l == "proxy")
      c.media_mode = MediaMode::proxy;
    else if (l == "kie_upload")
      c.media_mode = MediaMode::kie_upload;
    else
      return r.bad("MEDIA_MODE", *v, "unknown mode", "proxy or kie_upload");
  }
  {
    long long ttl = c.media_url_ttl.count();
    KB_TRY(
        int_var("MEDIA_URL_TTL_SECONDS", ttl, 60, 7 * 24 * 3600, "seconds between 60 and 604800"));
    c.media_url_ttl = std::chrono::seconds(ttl);
  }

  // Logging
  if (auto v = r.get("LOG_LEVEL")) {
    auto l = log::parse_level(*v);
    if (!l) return r.bad("LOG_LEVEL", *v, "unknown level", "debug, info, warn or error");
    c.log_level = *l;
  }
  if (auto v = r.get("LOG_FORMAT")) {
    auto l = lower(*v);
    if (l == "text")
      c.log_format = log::Format::text;
    else if (l == "json")
      c.log_format = log::Format::json;
    else
      return r.bad("LOG_FORMAT", *v, "unknown format", "text or json");
  }

  // Catalog, texts, branding
  if (auto v = r.get("CATALOG_PATH")) c.catalog_path = *v;
  if (auto v = r.get("LOCALES_DIR")) c.locales_dir = *v;
  for (auto [name, target] : {std::pair{"PRICE_FX_RUB_PER_USD", &c.price_fx_rub_per_usd},
                              std::pair{"PRICE_MARKUP", &c.price_markup}}) {
    auto v = r.get(name);
    if (!v) continue;
    auto d = parse_decimal(*v);
    if (!d || d->units == 0) return r.bad(name, *v, "not a positive decimal number", "e.g. 95.5");
    *target = *v;
  }
  if (auto v = r.get("BOT_BRAND_NAME")) {
    if (lower(*v).find("kie") != std::string::npos)
      return r.bad("BOT_BRAND_NAME", *v, "mentions the provider's brand", "your own brand name");
    c.brand_name = *v;
  }
  if (auto v = r.get("SUPPORT_CONTACT")) c.support_contact = *v;

  // Money and limits
  KB_TRY(int_var("FREE_DAILY_LIMIT", c.free_daily_limit, 0, 1000, "an integer 0-1000"));
  if (auto v = r.get("FREE_TIER_TIMEZONE")) {
    if (!valid_timezone(*v))
      return r.bad("FREE_TIER_TIMEZONE", *v, "unknown time zone", "UTC or an offset like +03:00");
    c.free_tier_timezone = *v;
  }
  if (auto v = r.get("START_BONUS_RUB")) {
    auto k = parse_rubles(*v);
    if (!k)
      return r.bad("START_BONUS_RUB", *v, k.error().message,
                   "an amount in rubles like 50 or 49.90");
    c.start_bonus = *k;
  }
  if (auto v = r.get("REFERRAL_REWARD")) {
    auto l = lower(*v);
    if (l == "none") {
      c.referral_reward = {ReferralReward::Kind::none, 0};
    } else if (l.starts_with("free:")) {
      auto n = to_int<std::int64_t>(l.substr(5));
      if (!n || *n <= 0 || *n > 1000)
        return r.bad("REFERRAL_REWARD", *v, "bad count", "free:<1-1000>");
      c.referral_reward = {ReferralReward::Kind::free_generations, *n};
    } else if (l.starts_with("rub:")) {
      auto k = parse_rubles(l.substr(4));
      if (!k || *k <= 0)
        return r.bad("REFERRAL_REWARD", *v, "bad amount", "rub:<amount>, e.g. rub:25");
      c.referral_reward = {ReferralReward::Kind::kopecks, *k};
    } else {
      return r.bad("REFERRAL_REWARD", *v, "unknown reward", "free:<n>, rub:<amount> or none");
    }
  }
  {
    std::string packages = r.get("STARS_PACKAGES").value_or("100:70,300:200,1000:650");
    std::string_view rest = packages;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      auto item = rest.substr(0, comma);
      auto colon = item.find(':');
      std::optional<Kopecks> rub;
      std::optional<std::int64_t> stars;
      if (colon != std::string_view::npos) {
        auto k = parse_rubles(item.substr(0, colon));
        if (k && *k > 0) rub = *k;
        stars = to_int<std::int64_t>(item.substr(colon + 1));
      }
      if (!rub || !stars || *stars < 1 || *stars > 100000)
        return r.bad("STARS_PACKAGES", packages, fmt::format("bad package '{}'", item),
                     "<rubles>:<stars> pairs, e.g. 100:70,300:200 (1-100000 stars)");
      c.stars_packages.push_back({*rub, *stars});
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  if (auto v = r.get("MANUAL_TOPUP_DETAILS")) c.manual_topup_details = *v;
  KB_TRY(int_var("MAX_CONCURRENT_JOBS_PER_USER", c.max_concurrent_jobs_per_user, 1, 100,
                 "an integer 1-100"));
  KB_TRY(int_var("USER_RATE_PER_MINUTE", c.user_rate_per_minute, 1, 10000, "an integer 1-10000"));
  KB_TRY(int_var("USER_RATE_BURST", c.user_rate_burst, 1, 10000, "an integer 1-10000"));
  for (auto [name, target] : {std::pair{"TELEGRAM_GLOBAL_RATE", &c.telegram_global_rate},
                              std::pair{"TELEGRAM_CHAT_RATE", &c.telegram_chat_rate}}) {
    auto v = r.get(name);
    if (!v) continue;
    auto d = parse_decimal(*v, 3);
    if (!d || d->units == 0)
      return r.bad(name, *v, "not a positive number", "messages per second, e.g. 30 or 0.5");
    double value = static_cast<double>(d->units);
    for (int i = 0; i < d->scale; ++i) value /= 10.0;
    *target = value;
  }
  KB_TRY(int_var("TELEGRAM_GROUP_PER_MINUTE", c.telegram_group_per_minute, 1, 600,
                 "an integer 1-600"));
  KB_TRY(ms_var("PROGRESS_EDIT_INTERVAL_MS", c.progress_edit_interval, 1000, 600'000));
  KB_TRY(ms_var("UNCONFIRMED_CREATE_WINDOW_MS", c.unconfirmed_create_window, 5'000, 86'400'000));
  // Up to the provider's longest file retention (14 days, reference kie-api.md §7.3).
  KB_TRY(ms_var("DELIVERY_RETRY_WINDOW_MS", c.delivery_retry_window, 600'000, 1'209'600'000));
  return c;
}

std::string describe_config(const Config& c) {
  auto secret = [](const std::string& v) {
    return v.empty() ? std::string("(unset)") : mask_secret(v);
  };
  auto plain = [](const std::string& v) { return v.empty() ? std::string("(unset)") : v; };
  auto db = c.database_url.empty() ? "sqlite (" + c.data_dir + "/kiebot.db)"
            : c.database_url.starts_with("sqlite:")
                ? c.database_url
                : "postgres (" + mask_secret(c.database_url) + ")";
  std::string admins;
  for (auto id : c.admin_ids) admins += (admins.empty() ? "" : ",") + std::to_string(id);
  std::string packages;
  for (auto& p : c.stars_packages)
    packages +=
        (packages.empty() ? "" : ",") + format_rubles(p.credit) + ":" + std::to_string(p.stars);
  std::string out;
  auto line = [&](std::string_view k, const std::string& v) {
    out += fmt::format("{:<30} {}\n", k, v);
  };
  line("TELEGRAM_BOT_TOKEN", secret(c.bot_token));
  line("TELEGRAM_API_URL", c.telegram_api_url);
  line("TELEGRAM_FILE_URL", c.telegram_file_url);
  line("TELEGRAM_LOCAL_MODE", c.telegram_local_mode ? "true" : "false");
  line("TELEGRAM_WEBHOOK_SECRET_TOKEN",
       c.webhook_secret.empty() ? "(derived from the bot token)" : secret(c.webhook_secret));
  line("WEBHOOK_BASE_URL", plain(c.public_base_url));
  line("WEBHOOK_PATH", c.webhook_path);
  line("WEBHOOK_MAX_BODY_SIZE", std::to_string(c.webhook_max_body));
  line("WEBHOOK_MAX_CONNECTIONS", std::to_string(c.webhook_max_connections));
  line("BOT_MODE", c.bot_mode == BotMode::auto_detect ? "auto"
                   : c.bot_mode == BotMode::webhook   ? "webhook"
                                                      : "polling");
  line("BIND_ADDRESS", c.bind_address);
  line("PORT", std::to_string(c.port));
  line("HTTP_HEADER_TIMEOUT_MS", std::to_string(c.http_header_timeout.count()));
  line("HTTP_BODY_TIMEOUT_MS", std::to_string(c.http_body_timeout.count()));
  line("HTTP_IDLE_TIMEOUT_MS", std::to_string(c.http_idle_timeout.count()));
  line("HTTP_MAX_CONNECTIONS", std::to_string(c.http_max_connections));
  line("SHUTDOWN_GRACE_MS", std::to_string(c.shutdown_grace.count()));
  line("METRICS_TOKEN", secret(c.metrics_token));
  line("KIE_API_KEY", secret(c.kie_api_key));
  line("KIE_BASE_URL", c.kie_base_url);
  line("KIE_UPLOAD_BASE_URL", c.kie_upload_base_url);
  line("KIE_WEBHOOK_HMAC_KEY", secret(c.kie_webhook_hmac_key));
  line("KIE_CREATE_PER_10S", std::to_string(c.kie_create_per_10s));
  line("KIE_BALANCE_ALERT_CREDITS", std::to_string(c.kie_balance_alert_credits));
  line("DATABASE_URL", db);
  line("DATA_DIR", c.data_dir);
  line("SQLITE_SYNCHRONOUS", c.sqlite_synchronous == SqliteSync::full ? "full" : "normal");
  line("DB_POOL_SIZE", std::to_string(c.db_pool_size));
  line("ADMIN_IDS", plain(admins));
  line("ADMIN_OVERRIDES_RELOAD_MS", std::to_string(c.admin_overrides_reload.count()));
  line("MEDIA_PROXY_SECRET", c.media_proxy_secret.empty() ? "(derived from the bot token)"
                                                          : secret(c.media_proxy_secret));
  line("MEDIA_MODE", c.media_mode == MediaMode::proxy ? "proxy" : "kie_upload");
  line("MEDIA_URL_TTL_SECONDS", std::to_string(c.media_url_ttl.count()));
  line("LOG_LEVEL", std::string(log::level_name(c.log_level)));
  line("LOG_FORMAT", c.log_format == log::Format::json ? "json" : "text");
  line("CATALOG_PATH", c.catalog_path.empty() ? "(shipped data/catalog.yaml)" : c.catalog_path);
  line("LOCALES_DIR", c.locales_dir.empty() ? "(shipped data/locales)" : c.locales_dir);
  line("PRICE_FX_RUB_PER_USD", c.price_fx_rub_per_usd.value_or("(from the catalog)"));
  line("PRICE_MARKUP", c.price_markup.value_or("(from the catalog)"));
  line("BOT_BRAND_NAME", c.brand_name);
  line("SUPPORT_CONTACT", plain(c.support_contact));
  line("FREE_DAILY_LIMIT", std::to_string(c.free_daily_limit));
  line("FREE_TIER_TIMEZONE", c.free_tier_timezone);
  line("START_BONUS_RUB", format_rubles(c.start_bonus));
  line("REFERRAL_REWARD", c.referral_reward.kind == ReferralReward::Kind::none ? "none"
                          : c.referral_reward.kind == ReferralReward::Kind::free_generations
                              ? "free:" + std::to_string(c.referral_reward.amount)
                              : "rub:" + format_rubles(c.referral_reward.amount));
  line("STARS_PACKAGES", packages);
  line("MANUAL_TOPUP_DETAILS",
       c.manual_topup_details.empty() ? "(disabled)" : c.manual_topup_details);
  line("MAX_CONCURRENT_JOBS_PER_USER", std::to_string(c.max_concurrent_jobs_per_user));
  line("USER_RATE_PER_MINUTE", std::to_string(c.user_rate_per_minute));
  line("USER_RATE_BURST", std::to_string(c.user_rate_burst));
  line("TELEGRAM_GLOBAL_RATE", fmt::format("{}", c.telegram_global_rate));
  line("TELEGRAM_CHAT_RATE", fmt::format("{}", c.telegram_chat_rate));
  line("TELEGRAM_GROUP_PER_MINUTE", std::to_string(c.telegram_group_per_minute));
  line("PROGRESS_EDIT_INTERVAL_MS", std::to_string(c.progress_edit_interval.count()));
  line("UNCONFIRMED_CREATE_WINDOW_MS", std::to_string(c.unconfirmed_create_window.count()));
  line("DELIVERY_RETRY_WINDOW_MS", std::to_string(c.delivery_retry_window.count()));
  return out;
}

std::string config_markdown_table() {
  std::string out = "| Variable | Default | Meaning |\n|---|---|---|\n";
  for (const auto& v : config_variables())
    out += fmt::format("| `{}` | {} | {}{} |\n", v.name, v.default_text, v.meaning,
                       v.secret ? " (secret)" : "");
  return out;
}

}  // namespace kb::app
