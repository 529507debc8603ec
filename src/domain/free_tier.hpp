// Free-tier rules: which day a generation counts against, and how a confirm is paid for. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/money.hpp"

namespace kb::domain {

// Parses "UTC" or "+03:00"/"-05:30" into an offset in minutes.
std::optional<int> parse_utc_offset(std::string_view text);

// "YYYY-MM-DD" of the instant in the given fixed offset (the free tier's "day").
std::string day_key(std::int64_t unix_ms, int offset_minutes);

// How a confirmed generation is paid for.
enum class Funding {
  daily_free,  // one of today's free generations on a free model
  bonus_free,  // a bonus free generation (e.g. a referral reward) on a free model
  balance,     // a hold on the ruble balance
};

struct FundingInput {
  bool model_is_free = false;
  int used_today = 0;
  int daily_limit = 5;
  std::int64_t bonus_free = 0;
  Kopecks price = 0;
  Kopecks available = 0;
};

struct FundingDecision {
  Funding funding = Funding::balance;
  Kopecks charge = 0;          // what will be held (0 when free)
  bool insufficient = false;   // balance funding but not enough money: offer a top-up
  int free_left_after = 0;     // daily free generations left after this one (free models)
};

// Free models use today's free generations first, then bonus ones, then the balance at full price.
FundingDecision decide_funding(const FundingInput& in);

}  // namespace kb::domain
