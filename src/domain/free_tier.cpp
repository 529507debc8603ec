// Day arithmetic (civil-from-days) and funding decisions.
#include "domain/free_tier.hpp"

#include <charconv>

#include <fmt/format.h>

namespace kb::domain {

std::optional<int> parse_utc_offset(std::string_view t) {
  if (t == "UTC" || t == "Z") return 0;
  if (t.size() != 6 || (t[0] != '+' && t[0] != '-') || t[3] != ':') return std::nullopt;
  int hh = 0, mm = 0;
  if (std::from_chars(t.data() + 1, t.data() + 3, hh).ec != std::errc() ||
      std::from_chars(t.data() + 4, t.data() + 6, mm).ec != std::errc() || hh > 14 || mm > 59)
    return std::nullopt;
  int minutes = hh * 60 + mm;
  return t[0] == '-' ? -minutes : minutes;
}

std::string day_key(std::int64_t unix_ms, int offset_minutes) {
  std::int64_t local_ms = unix_ms + static_cast<std::int64_t>(offset_minutes) * 60'000;
  std::int64_t days = local_ms >= 0 ? local_ms / 86'400'000 : (local_ms - 86'399'999) / 86'400'000;
  // Howard Hinnant's civil_from_days.
  days += 719468;
  std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  std::int64_t doe = days - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = yoe + era * 400;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  return fmt::format("{:04d}-{:02d}-{:02d}", y, m, d);
}

FundingDecision decide_funding(const FundingInput& in) {
  FundingDecision d;
  if (in.model_is_free) {
    if (in.used_today < in.daily_limit) {
      d.funding = Funding::daily_free;
      d.free_left_after = in.daily_limit - in.used_today - 1;
      return d;
    }
    if (in.bonus_free > 0) {
      d.funding = Funding::bonus_free;
      return d;
    }
  }
  d.funding = Funding::balance;
  d.charge = in.price;
  d.insufficient = in.available < in.price;
  return d;
}

}  // namespace kb::domain
