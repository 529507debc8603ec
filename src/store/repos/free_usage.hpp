// The free tier: generations used per user per day (never above the limit, even under races)
// and bonus free generations (referral rewards).
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.hpp"
#include "store/db/connection.hpp"

namespace kb::store {

class FreeUsage {
 public:
  explicit FreeUsage(db::Connection& c) : c_(c) {}

  // `day` is 'YYYY-MM-DD' in the free-tier time zone (computed by the caller).
  Result<int> used(std::int64_t user_id, std::string_view day);
  // Takes one if fewer than `limit` were used that day; false otherwise. One statement, so two
  // concurrent calls with one left cannot both succeed.
  Result<bool> consume(std::int64_t user_id, std::string_view day, int limit);
  // Returns one (a failed free job); false when none was used.
  Result<bool> give_back(std::int64_t user_id, std::string_view day);

  Result<void> add_bonus(std::int64_t user_id, int count, std::int64_t now);
  Result<bool> consume_bonus(std::int64_t user_id, std::int64_t now);
  Result<int> bonus(std::int64_t user_id);

 private:
  db::Connection& c_;
};

}  // namespace kb::store
