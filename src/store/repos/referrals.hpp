// Referrals: who invited whom (first referrer only, never oneself) and whether the reward was paid.
#pragma once

#include <cstdint>
#include <optional>

#include "core/result.hpp"
#include "store/db/connection.hpp"

namespace kb::store {

struct Referral {
  std::int64_t invited_id = 0;
  std::int64_t referrer_id = 0;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> rewarded_at;
};

struct ReferralCounts {
  std::int64_t invited = 0;
  std::int64_t rewarded = 0;
};

class Referrals {
 public:
  explicit Referrals(db::Connection& c) : c_(c) {}

  // False when the invited user already has a referrer, invites themselves, or either user is
  // unknown.
  Result<bool> attach(std::int64_t invited_id, std::int64_t referrer_id, std::int64_t now);
  Result<std::optional<Referral>> get(std::int64_t invited_id);
  // True only the first time (the reward is paid once).
  Result<bool> mark_rewarded(std::int64_t invited_id, std::int64_t now);
  Result<ReferralCounts> counts(std::int64_t referrer_id);

 private:
  db::Connection& c_;
};

}  // namespace kb::store
