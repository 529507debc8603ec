// Typed configuration parsed from environment variables, validated once at start.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/log.hpp"
#include "core/money.hpp"
#include "core/result.hpp"

namespace kb::app {

enum class BotMode { auto_detect, webhook, polling };
enum class MediaMode { proxy, kie_upload };
enum class SqliteSync { normal, full };

struct StarsPackage {
  Kopecks credit = 0;      // what the user's balance receives
  std::int64_t stars = 0;  // price in XTR
};

struct ReferralReward {
  enum class Kind { none, free_generations, kopecks } kind = Kind::none;
  std::int64_t amount = 0;
};

struct Config {
  // Telegram
  std::string bot_token;
  std::string telegram_api_url = "https://api.telegram.org";
  std::string telegram_file_url;  // default: telegram_api_url
  bool telegram_local_mode = false;
  std::string webhook_secret;   // default: derived from the bot token
  std::string public_base_url;  // WEBHOOK_BASE_URL or RENDER_EXTERNAL_URL
  std::string webhook_path = "/telegram/webhook";
  std::size_t webhook_max_body = 10 * 1024 * 1024;
  int webhook_max_connections = 40;
  BotMode bot_mode = BotMode::auto_detect;

  // HTTP server
  std::string bind_address = "0.0.0.0";
  std::uint16_t port = 8080;
  std::chrono::milliseconds http_header_timeout{10'000};
  std::chrono::milliseconds http_body_timeout{30'000};
  std::chrono::milliseconds http_idle_timeout{60'000};
  std::size_t http_max_connections = 1024;
  std::chrono::milliseconds shutdown_grace{25'000};
  std::string metrics_token;

  // KIE
  std::string kie_api_key;
  std::string kie_base_url = "https://api.kie.ai";
  std::string kie_upload_base_url = "https://kieai.redpandaai.co";
  std::string kie_webhook_hmac_key;
  int kie_create_per_10s = 18;
  std::int64_t kie_balance_alert_credits = 500;

  // Storage
  std::string database_url;  // empty: SQLite in data_dir
  std::string data_dir = "./data";
  SqliteSync sqlite_synchronous = SqliteSync::full;
  int db_pool_size = 4;

  // People
  std::vector<std::int64_t> admin_ids;
  // How often an instance checks whether another one changed the admin's model overrides.
  std::chrono::milliseconds admin_overrides_reload{5'000};

  // Media
  std::string media_proxy_secret;  // default: derived from the bot token
  MediaMode media_mode = MediaMode::proxy;
  std::chrono::seconds media_url_ttl{7200};

  // Logging
  log::Level log_level = log::Level::info;
  log::Format log_format = log::Format::text;

  // Catalog, texts, branding
  std::string catalog_path;  // empty: the shipped data/catalog.yaml
  std::string locales_dir;   // empty: the shipped data/locales
  std::optional<std::string> price_fx_rub_per_usd;
  std::optional<std::string> price_markup;
  std::string brand_name = "AI Studio";
  std::string support_contact;

  // Money and limits
  int free_daily_limit = 5;
  std::string free_tier_timezone = "UTC";
  Kopecks start_bonus = 0;
  ReferralReward referral_reward{ReferralReward::Kind::free_generations, 3};
  std::vector<StarsPackage> stars_packages;
  std::string manual_topup_details;  // empty: manual transfers disabled
  int max_concurrent_jobs_per_user = 2;
  int user_rate_per_minute = 20;
  int user_rate_burst = 30;
  double telegram_global_rate = 30.0;
  double telegram_chat_rate = 1.0;
  int telegram_group_per_minute = 20;
  std::chrono::milliseconds progress_edit_interval{5'000};
  // How long a job whose create call had an unknown outcome waits for a callback naming it.
  std::chrono::milliseconds unconfirmed_create_window{15 * 60'000};
  // How long Telegram trouble may delay a finished result before the job is refunded.
  std::chrono::milliseconds delivery_retry_window{24 * 3'600'000LL};
};

// Documentation of one variable; the README table is generated from this list.
struct VarSpec {
  const char* name;
  const char* default_text;
  const char* meaning;
  bool secret;
};
const std::vector<VarSpec>& config_variables();

using Environment = std::map<std::string, std::string>;
Environment environment_from_process();

// Parses and validates; the error message is one line naming the variable, the problem and what
// is expected. `consumed`, when given, receives every variable name the parser looked at.
Result<Config> parse_config(const Environment& env, std::set<std::string>* consumed = nullptr);

// `kiebot config`: the effective configuration, secrets masked.
std::string describe_config(const Config& config);
// `kiebot config --markdown`: the README table.
std::string config_markdown_table();

std::string mask_secret(const std::string& value);

}  // namespace kb::app
