// Admin aggregates.
#include "store/repos/admin_stats.hpp"

namespace kb::store {

Result<std::int64_t> AdminStats::new_users_since(std::int64_t since_ms) {
  auto rows = KB_TRY(c_.query("SELECT count(*) FROM users WHERE created_at >= @ts($1)", since_ms));
  return rows.front().i64(0);
}

Result<std::int64_t> AdminStats::reachable_users() {
  auto rows =
      KB_TRY(c_.query("SELECT count(*) FROM users WHERE blocked_bot = FALSE AND banned = FALSE"));
  return rows.front().i64(0);
}

Result<Conversion> AdminStats::free_to_paid_since(std::int64_t since_ms) {
  auto rows = KB_TRY(c_.query(
      "SELECT count(*), count(CASE WHEN EXISTS (SELECT 1 FROM jobs p WHERE p.user_id = f.user_id "
      "AND p.is_free = FALSE AND p.created_at >= @ts($1)) OR EXISTS (SELECT 1 FROM ledger_entries "
      "l WHERE l.user_id = f.user_id AND l.kind = 'topup' AND l.created_at >= @ts($1)) THEN 1 END) "
      "FROM (SELECT DISTINCT user_id FROM jobs WHERE is_free = TRUE AND created_at >= @ts($1)) f",
      since_ms));
  return Conversion{rows.front().i64(0), rows.front().i64(1)};
}

Result<std::vector<UnfinishedJob>> AdminStats::unfinished_created_before(
    std::int64_t created_before, int limit) {
  auto rows = KB_TRY(
      c_.query("SELECT id, user_id, model_id, state, @ms(created_at) FROM jobs WHERE finished_at "
               "IS NULL AND state NOT IN ('delivered', 'failed', 'expired', 'cancelled') AND "
               "created_at < @ts($1) ORDER BY created_at LIMIT $2",
               created_before, limit));
  std::vector<UnfinishedJob> out;
  for (const auto& r : rows) {
    auto c = r.cursor();
    UnfinishedJob j;
    j.id = c.i64();
    j.user_id = c.i64();
    j.model_id = c.text();
    j.state = c.text();
    j.created_at = c.i64();
    out.push_back(std::move(j));
  }
  return out;
}

Result<AdminStats::Finished> AdminStats::finished_since(std::int64_t since_ms) {
  auto rows = KB_TRY(c_.query(
      "SELECT count(*), count(CASE WHEN state IN ('failed', 'expired') THEN 1 END) FROM jobs "
      "WHERE finished_at IS NOT NULL AND finished_at >= @ts($1)",
      since_ms));
  return Finished{rows.front().i64(0), rows.front().i64(1)};
}

}  // namespace kb::store
