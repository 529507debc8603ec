// Inbox repository.
#include "store/repos/inbox.hpp"

#include <algorithm>

namespace kb::store {

Result<bool> Inbox::insert(std::int64_t update_id, std::string_view chat_key, std::string_view kind,
                           std::string_view payload_json, std::int64_t now) {
  auto n = KB_TRY(c_.exec(
      "INSERT INTO inbox (update_id, chat_key, kind, payload_json, status, attempts, available_at, "
      "received_at) VALUES ($1, $2, $3, $4, 'pending', 0, @ts($5), @ts($5)) "
      "ON CONFLICT (update_id) DO NOTHING",
      update_id, chat_key, kind, payload_json, now));
  return n == 1;
}

Result<std::int64_t> Inbox::insert_bad(std::string_view raw, std::string_view reason,
                                       std::int64_t now) {
  auto row = KB_TRY(c_.query_one(
      "INSERT INTO inbox_rejects (raw, reason, received_at) VALUES ($1, $2, @ts($3)) RETURNING id",
      raw, reason, now));
  return row->i64(0);
}

Result<std::vector<InboxItem>> Inbox::claim_next(std::string_view owner, std::int64_t now,
                                                 std::int64_t lease_ms, int limit) {
  // The candidates are chosen once (a materialised CTE: as a subquery PostgreSQL may re-run it per
  // row, and with SKIP LOCKED it would then skip the rows this very statement just leased and
  // pick more than `limit`). Per chat only the oldest pending item qualifies. The lease check is
  // repeated in the UPDATE for rows another instance leased meanwhile.
  auto rows = KB_TRY(
      c_.query("WITH candidates AS MATERIALIZED ("
               "  SELECT i.update_id FROM inbox i WHERE i.status = 'pending' "
               "  AND i.update_id = (SELECT min(j.update_id) FROM inbox j "
               "                     WHERE j.chat_key = i.chat_key AND j.status = 'pending') "
               "  AND i.available_at <= @ts($2) "
               "  AND (i.lease_until IS NULL OR i.lease_until <= @ts($2)) "
               "  ORDER BY i.update_id LIMIT $4 @skip_locked) "
               "UPDATE inbox SET lease_owner = $1, lease_until = @ts($3), "
               "attempts = attempts + CASE WHEN lease_until IS NULL THEN 0 ELSE 1 END "
               "FROM candidates WHERE inbox.update_id = candidates.update_id "
               "AND inbox.status = 'pending' "
               "AND (inbox.lease_until IS NULL OR inbox.lease_until <= @ts($2)) "
               "RETURNING inbox.update_id, inbox.chat_key, inbox.kind, inbox.payload_json, "
               "inbox.attempts, @ms(inbox.received_at)",
               owner, now, now + lease_ms, limit));
  std::vector<InboxItem> items;
  items.reserve(rows.size());
  for (const auto& r : rows) {
    auto c = r.cursor();
    InboxItem item;
    item.update_id = c.i64();
    item.chat_key = c.text();
    item.kind = c.text();
    item.payload_json = c.text();
    item.attempts = static_cast<int>(c.i64());
    item.received_at = c.i64();
    items.push_back(std::move(item));
  }
  std::sort(items.begin(), items.end(),
            [](const auto& a, const auto& b) { return a.update_id < b.update_id; });
  return items;
}

Result<bool> Inbox::complete(std::int64_t update_id, std::int64_t now) {
  auto n =
      KB_TRY(c_.exec("UPDATE inbox SET status = 'done', processed_at = @ts($2), "
                     "lease_owner = NULL, lease_until = NULL "
                     "WHERE update_id = $1 AND status = 'pending'",
                     update_id, now));
  return n == 1;
}

Result<InboxRetry> Inbox::retry_later(std::int64_t update_id, std::string_view reason,
                                      std::int64_t at, int max_attempts) {
  auto row = KB_TRY(c_.query_one(
      "UPDATE inbox SET attempts = attempts + 1, last_error = $2, available_at = @ts($3), "
      "lease_owner = NULL, lease_until = NULL, "
      "status = CASE WHEN attempts + 1 >= $4 THEN 'dead' ELSE 'pending' END "
      "WHERE update_id = $1 AND status = 'pending' RETURNING status",
      update_id, reason, at, max_attempts));
  if (!row) return fail(Errc::not_found, "no pending inbox item with that update_id");
  return row->text(0) == "dead" ? InboxRetry::dead : InboxRetry::scheduled;
}

Result<std::int64_t> Inbox::purge_processed_before(std::int64_t before_ms) {
  return c_.exec("DELETE FROM inbox WHERE status = 'done' AND processed_at < @ts($1)", before_ms);
}

Result<std::int64_t> Inbox::pending_count() {
  auto rows = KB_TRY(c_.query("SELECT count(*) FROM inbox WHERE status = 'pending'"));
  return rows.front().i64(0);
}

Result<std::int64_t> Inbox::dead_count() {
  auto rows = KB_TRY(c_.query("SELECT count(*) FROM inbox WHERE status = 'dead'"));
  return rows.front().i64(0);
}

Result<std::int64_t> Inbox::release_all_leases() {
  return c_.exec("UPDATE inbox SET lease_owner = NULL, lease_until = NULL, attempts = attempts + 1 "
                 "WHERE lease_owner IS NOT NULL");
}

}  // namespace kb::store
