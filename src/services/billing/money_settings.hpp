// Money rules the operator configures (free tier, referral reward), resolved from the Config once.
#pragma once

#include <cstdint>

#include "core/money.hpp"

namespace kb::services {

struct FreeTierSettings {
  int daily_limit = 5;
  int utc_offset_minutes = 0;  // the free-tier "day" starts at midnight of this offset
};

struct ReferralSettings {
  enum class Kind { none, free_generations, kopecks } kind = Kind::free_generations;
  std::int64_t amount = 3;
};

}  // namespace kb::services
