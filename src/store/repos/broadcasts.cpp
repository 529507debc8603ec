// Broadcasts repository.
#include "store/repos/broadcasts.hpp"

namespace kb::store {
namespace {

Broadcast read_broadcast(const db::Row& row) {
  auto c = row.cursor();
  Broadcast b;
  b.id = c.i64();
  b.admin_id = c.i64();
  b.content_json = c.text();
  b.status = c.text();
  b.created_at = c.i64();
  b.finished_at = c.opt_i64();
  return b;
}

std::string_view recipient_status_name(RecipientStatus s) {
  switch (s) {
    case RecipientStatus::sent:
      return "sent";
    case RecipientStatus::blocked:
      return "blocked";
    default:
      return "failed";
  }
}

}  // namespace

Result<std::int64_t> Broadcasts::create(std::int64_t admin_id, std::string_view content_json,
                                        std::int64_t now) {
  auto row =
      KB_TRY(c_.query_one("INSERT INTO broadcasts (admin_id, content_json, status, "
                          "created_at) VALUES ($1, $2, 'queued', @ts($3)) RETURNING id",
                          admin_id, content_json, now));
  return row->i64(0);
}

Result<std::optional<Broadcast>> Broadcasts::get(std::int64_t id) {
  auto row =
      KB_TRY(c_.query_one("SELECT id, admin_id, content_json, status, @ms(created_at), "
                          "@ms(finished_at) FROM broadcasts WHERE id = $1",
                          id));
  if (!row) return std::optional<Broadcast>();
  return std::optional<Broadcast>(read_broadcast(*row));
}

Result<std::int64_t> Broadcasts::enqueue_all(std::int64_t broadcast_id) {
  // The SELECT needs its WHERE clause: without one SQLite would parse ON CONFLICT as a join
  // constraint. The CAST tells PostgreSQL the parameter's type.
  return c_.exec(
      "INSERT INTO broadcast_recipients (broadcast_id, user_id, status) "
      "SELECT CAST($1 AS BIGINT), id, 'pending' FROM users WHERE blocked_bot = FALSE AND banned = "
      "FALSE "
      "ON CONFLICT (broadcast_id, user_id) DO NOTHING",
      broadcast_id);
}

Result<std::vector<std::int64_t>> Broadcasts::next_batch(std::int64_t broadcast_id, int limit) {
  auto rows =
      KB_TRY(c_.query("SELECT user_id FROM broadcast_recipients WHERE broadcast_id = $1 "
                      "AND status = 'pending' ORDER BY user_id LIMIT $2",
                      broadcast_id, limit));
  std::vector<std::int64_t> out;
  for (const auto& r : rows) out.push_back(r.i64(0));
  return out;
}

Result<bool> Broadcasts::mark(std::int64_t broadcast_id, std::int64_t user_id,
                              RecipientStatus status, std::int64_t now) {
  auto n =
      KB_TRY(c_.exec("UPDATE broadcast_recipients SET status = $3, sent_at = @ts($4) "
                     "WHERE broadcast_id = $1 AND user_id = $2 AND status = 'pending'",
                     broadcast_id, user_id, recipient_status_name(status), now));
  return n == 1;
}

Result<bool> Broadcasts::settle(std::int64_t broadcast_id, std::int64_t user_id,
                                RecipientStatus status, std::int64_t now) {
  auto n =
      KB_TRY(c_.exec("UPDATE broadcast_recipients SET status = $3, sent_at = @ts($4) "
                     "WHERE broadcast_id = $1 AND user_id = $2 AND status = 'failed'",
                     broadcast_id, user_id, recipient_status_name(status), now));
  return n == 1;
}

Result<BroadcastCounts> Broadcasts::counts(std::int64_t broadcast_id) {
  auto rows =
      KB_TRY(c_.query("SELECT status, count(*) FROM broadcast_recipients WHERE "
                      "broadcast_id = $1 GROUP BY status",
                      broadcast_id));
  BroadcastCounts out;
  for (const auto& r : rows) {
    auto status = r.text(0);
    auto n = r.i64(1);
    if (status == "pending")
      out.pending = n;
    else if (status == "sent")
      out.sent = n;
    else if (status == "blocked")
      out.blocked = n;
    else
      out.failed = n;
  }
  return out;
}

Result<bool> Broadcasts::set_status(std::int64_t id, std::string_view status, std::int64_t now) {
  bool terminal = status == "done" || status == "cancelled";
  auto n = KB_TRY(c_.exec(
      "UPDATE broadcasts SET status = $2, finished_at = CASE WHEN $3 THEN @ts($4) ELSE NULL END "
      "WHERE id = $1 AND status <> $2 AND status NOT IN ('done', 'cancelled')",
      id, status, terminal, now));
  return n == 1;
}

Result<std::vector<Broadcast>> Broadcasts::list_active() {
  auto rows =
      KB_TRY(c_.query("SELECT id, admin_id, content_json, status, @ms(created_at), "
                      "@ms(finished_at) FROM broadcasts WHERE status IN ('queued', "
                      "'running', 'paused') ORDER BY id"));
  std::vector<Broadcast> out;
  for (const auto& r : rows) out.push_back(read_broadcast(r));
  return out;
}

}  // namespace kb::store
