// Outbox repository.
#include "store/repos/outbox.hpp"

namespace kb::store {
namespace {

constexpr std::string_view kColumns =
    "id, chat_id, method, payload_json, purpose, purpose_ref, priority, status, attempts, "
    "@ms(next_attempt_at), @ms(deadline_at), last_error, @ms(created_at), @ms(sent_at), "
    "result_message_id, @ms(lease_until)";

OutboxStatus parse_status(std::string_view s) {
  if (s == "sent") return OutboxStatus::sent;
  if (s == "dropped") return OutboxStatus::dropped;
  if (s == "failed") return OutboxStatus::failed;
  return OutboxStatus::pending;
}

struct LeasedRow {
  OutboxRow row;
  std::optional<std::int64_t> lease_until;
};

LeasedRow read_row(const db::Row& r) {
  auto c = r.cursor();
  LeasedRow out;
  auto& row = out.row;
  row.id = c.i64();
  row.chat_id = c.i64();
  row.method = c.text();
  row.params_json = c.text();
  row.purpose = c.text();
  row.purpose_ref = c.text();
  row.priority = static_cast<int>(c.i64());
  row.status = parse_status(c.text());
  row.attempts = static_cast<int>(c.i64());
  row.next_attempt_at = c.i64();
  row.deadline_at = c.opt_i64();
  row.last_error = c.opt_text();
  row.created_at = c.i64();
  row.sent_at = c.opt_i64();
  row.result_message_id = c.opt_i64();
  out.lease_until = c.opt_i64();
  return out;
}

std::string select_sql(std::string_view tail) {
  std::string sql = "SELECT ";
  sql += kColumns;
  sql += " FROM outbox ";
  sql += tail;
  return sql;
}

}  // namespace

std::string_view outbox_status_name(OutboxStatus status) {
  switch (status) {
    case OutboxStatus::pending:
      return "pending";
    case OutboxStatus::sent:
      return "sent";
    case OutboxStatus::dropped:
      return "dropped";
    case OutboxStatus::failed:
      return "failed";
  }
  return "pending";
}

Result<std::int64_t> Outbox::enqueue(const OutboxDraft& d, std::int64_t now) {
  if (d.method.empty()) return fail(Errc::invalid_input, "outbox draft without a method");
  auto row = KB_TRY(c_.query_one(
      "INSERT INTO outbox (chat_id, method, payload_json, purpose, purpose_ref, priority, status, "
      "attempts, next_attempt_at, deadline_at, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, @ts($7), @ts($8), @ts($7)) RETURNING id",
      d.chat_id, d.method, d.params_json, d.purpose, d.purpose_ref,
      static_cast<std::int64_t>(d.priority), now, d.deadline_at));
  return row->i64(0);
}

Result<std::vector<OutboxRow>> Outbox::claim_chat(std::int64_t chat_id, std::string_view owner,
                                                  std::int64_t now, std::int64_t lease_ms,
                                                  int limit) {
  // The chat's pending rows are locked (PostgreSQL: a second instance claiming the same chat
  // waits here, then sees this lease and backs off); the choice is made here, in order.
  static const std::string sql = select_sql(
      "WHERE chat_id = $1 AND status = 'pending' ORDER BY priority DESC, id LIMIT $2 @for_update");
  auto rows = KB_TRY(c_.query(sql, chat_id, static_cast<std::int64_t>(limit)));
  std::vector<LeasedRow> pending;
  pending.reserve(rows.size());
  for (const auto& r : rows) {
    pending.push_back(read_row(r));
    if (pending.back().lease_until && *pending.back().lease_until > now)
      return std::vector<OutboxRow>{};  // another sender is working on this chat
  }
  std::vector<OutboxRow> chosen;
  for (auto& p : pending) {
    if (p.row.next_attempt_at > now) {
      if (p.row.priority > 0) continue;  // urgent rows do not hold each other back
      break;  // an ordinary row waiting for its retry holds back the rest
    }
    // A lapsed lease means its sender died; only the chat's first row was being sent (they go in
    // this order), so only that one counts an attempt — the rest of its batch was never tried.
    const std::int64_t counts_attempt = chosen.empty() ? 1 : 0;
    auto updated = KB_TRY(c_.query_one(
        "UPDATE outbox SET lease_owner = $2, lease_until = @ts($3), "
        "attempts = attempts + CASE WHEN lease_until IS NULL OR $4 = 0 THEN 0 ELSE 1 END "
        "WHERE id = $1 AND status = 'pending' RETURNING attempts",
        p.row.id, owner, now + lease_ms, counts_attempt));
    if (!updated) continue;
    p.row.attempts = static_cast<int>(updated->i64(0));
    chosen.push_back(std::move(p.row));
  }
  return chosen;
}

Result<std::vector<std::int64_t>> Outbox::chats_due(std::int64_t now, int limit) {
  auto rows = KB_TRY(
      c_.query("SELECT chat_id, min(id) AS first_id FROM outbox WHERE status = 'pending' "
               "AND next_attempt_at <= @ts($1) AND (lease_until IS NULL OR lease_until <= @ts($1)) "
               "GROUP BY chat_id ORDER BY first_id LIMIT $2",
               now, static_cast<std::int64_t>(limit)));
  std::vector<std::int64_t> chats;
  chats.reserve(rows.size());
  for (const auto& r : rows) chats.push_back(r.i64(0));
  return chats;
}

Result<bool> Outbox::mark_sent(std::int64_t id, std::optional<std::int64_t> message_id,
                               std::int64_t now) {
  auto n = KB_TRY(
      c_.exec("UPDATE outbox SET status = 'sent', sent_at = @ts($2), result_message_id = $3, "
              "attempts = attempts + 1, lease_owner = NULL, lease_until = NULL "
              "WHERE id = $1 AND status = 'pending'",
              id, now, message_id));
  return n == 1;
}

Result<bool> Outbox::mark_dropped(std::int64_t id, std::string_view reason, std::int64_t now) {
  auto n =
      KB_TRY(c_.exec("UPDATE outbox SET status = 'dropped', last_error = $2, sent_at = @ts($3), "
                     "lease_owner = NULL, lease_until = NULL WHERE id = $1 AND status = 'pending'",
                     id, reason, now));
  return n == 1;
}

Result<bool> Outbox::mark_failed(std::int64_t id, std::string_view reason, std::int64_t now) {
  auto n =
      KB_TRY(c_.exec("UPDATE outbox SET status = 'failed', last_error = $2, sent_at = @ts($3), "
                     "attempts = attempts + 1, lease_owner = NULL, lease_until = NULL "
                     "WHERE id = $1 AND status = 'pending'",
                     id, reason, now));
  return n == 1;
}

Result<OutboxRetry> Outbox::retry_later(std::int64_t id, std::string_view reason, std::int64_t at,
                                        int max_attempts) {
  auto row = KB_TRY(c_.query_one(
      "UPDATE outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = @ts($3), "
      "lease_owner = NULL, lease_until = NULL, "
      "status = CASE WHEN attempts + 1 >= $4 THEN 'failed' ELSE 'pending' END "
      "WHERE id = $1 AND status = 'pending' RETURNING status",
      id, reason, at, static_cast<std::int64_t>(max_attempts)));
  if (!row) return fail(Errc::not_found, "no pending outbox row with that id");
  return row->text(0) == "failed" ? OutboxRetry::failed : OutboxRetry::scheduled;
}

Result<bool> Outbox::release(std::int64_t id) {
  auto n = KB_TRY(
      c_.exec("UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND status = "
              "'pending'",
              id));
  return n == 1;
}

Result<std::int64_t> Outbox::drop_pending_for_chat(std::int64_t chat_id, std::string_view reason,
                                                   std::int64_t now) {
  return c_.exec(
      "UPDATE outbox SET status = 'dropped', last_error = $2, sent_at = @ts($3), "
      "lease_owner = NULL, lease_until = NULL WHERE chat_id = $1 AND status = 'pending'",
      chat_id, reason, now);
}

Result<std::optional<OutboxRow>> Outbox::get(std::int64_t id) {
  static const std::string sql = select_sql("WHERE id = $1");
  auto row = KB_TRY(c_.query_one(sql, id));
  if (!row) return std::optional<OutboxRow>();
  return std::optional<OutboxRow>(read_row(*row).row);
}

Result<std::vector<OutboxRow>> Outbox::list_for_chat(std::int64_t chat_id) {
  static const std::string sql = select_sql("WHERE chat_id = $1 ORDER BY id");
  auto rows = KB_TRY(c_.query(sql, chat_id));
  std::vector<OutboxRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(read_row(r).row);
  return out;
}

Result<std::int64_t> Outbox::purge_finished_before(std::int64_t before_ms) {
  return c_.exec("DELETE FROM outbox WHERE status <> 'pending' AND created_at < @ts($1)",
                 before_ms);
}

Result<std::int64_t> Outbox::pending_count() {
  auto rows = KB_TRY(c_.query("SELECT count(*) FROM outbox WHERE status = 'pending'"));
  return rows.front().i64(0);
}

Result<std::int64_t> Outbox::release_all_leases() {
  // Per chat only the first leased row (in sending order) can have been in flight: it alone
  // counts an attempt, so a crash never uses up the attempts of rows that were never tried. Two
  // statements: the first must see every lease still in place.
  KB_TRY(c_.exec(
      "UPDATE outbox SET attempts = attempts + 1 WHERE id = (SELECT o.id FROM outbox o "
      "WHERE o.chat_id = outbox.chat_id AND o.status = 'pending' AND o.lease_owner IS NOT NULL "
      "ORDER BY o.priority DESC, o.id LIMIT 1)"));
  return c_.exec(
      "UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE lease_owner IS NOT NULL");
}

}  // namespace kb::store
