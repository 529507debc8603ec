// The admin statistics of one period (today, 7 days, 30 days), read inside one transaction.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/money.hpp"
#include "core/result.hpp"
#include "store/tx.hpp"

namespace kb::services::admin {

enum class StatsPeriod { today, week, month };
std::string_view period_code(StatsPeriod period);  // "d", "w", "m" (callback arguments)
std::optional<StatsPeriod> parse_period(std::string_view code);
// The start of the period in ms: midnight UTC of `now`, or now minus 7 / 30 days.
std::int64_t period_start(StatsPeriod period, std::int64_t now_ms);

struct ModelJobs {
  std::int64_t succeeded = 0;  // delivered
  std::int64_t failed = 0;     // failed or expired
  std::int64_t other = 0;      // still running or cancelled
};

struct StatsReport {
  StatsPeriod period = StatsPeriod::today;
  std::int64_t new_users = 0;
  std::int64_t active_users = 0;
  std::int64_t total_users = 0;
  std::map<std::string, ModelJobs> jobs;  // by model id
  Kopecks revenue = 0;                    // captured holds
  Kopecks topups = 0;
  Kopecks refunds = 0;  // Stars refunds (top-up reversals) and refunds to balances
  std::int64_t free_users = 0;
  std::int64_t converted_users = 0;
  // Whole percent of free users who paid (0 when nobody used the free tier).
  int conversion_percent() const {
    return free_users > 0 ? static_cast<int>(converted_users * 100 / free_users) : 0;
  }
};

Result<StatsReport> collect_stats(store::Tx& tx, StatsPeriod period, std::int64_t now_ms);

}  // namespace kb::services::admin
