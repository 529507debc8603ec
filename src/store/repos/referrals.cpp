// Referrals repository.
#include "store/repos/referrals.hpp"

namespace kb::store {

Result<bool> Referrals::attach(std::int64_t invited_id, std::int64_t referrer_id,
                               std::int64_t now) {
  if (invited_id == referrer_id) return false;
  // Checked first: a foreign-key error would abort the whole transaction on PostgreSQL.
  auto known =
      KB_TRY(c_.query("SELECT count(*) FROM users WHERE id IN ($1, $2)", invited_id, referrer_id));
  if (known.front().i64(0) != 2) return false;
  auto n =
      KB_TRY(c_.exec("INSERT INTO referrals (invited_id, referrer_id, created_at) "
                     "VALUES ($1, $2, @ts($3)) ON CONFLICT (invited_id) DO NOTHING",
                     invited_id, referrer_id, now));
  return n == 1;
}

Result<std::optional<Referral>> Referrals::get(std::int64_t invited_id) {
  auto row =
      KB_TRY(c_.query_one("SELECT invited_id, referrer_id, @ms(created_at), "
                          "@ms(rewarded_at) FROM referrals WHERE invited_id = $1",
                          invited_id));
  if (!row) return std::optional<Referral>();
  return std::optional<Referral>(Referral{row->i64(0), row->i64(1), row->i64(2), row->opt_i64(3)});
}

Result<bool> Referrals::mark_rewarded(std::int64_t invited_id, std::int64_t now) {
  auto n =
      KB_TRY(c_.exec("UPDATE referrals SET rewarded_at = @ts($2) WHERE invited_id = $1 AND "
                     "rewarded_at IS NULL",
                     invited_id, now));
  return n == 1;
}

Result<ReferralCounts> Referrals::counts(std::int64_t referrer_id) {
  auto rows =
      KB_TRY(c_.query("SELECT count(*), count(rewarded_at) FROM referrals WHERE "
                      "referrer_id = $1",
                      referrer_id));
  return ReferralCounts{rows.front().i64(0), rows.front().i64(1)};
}

}  // namespace kb::store
