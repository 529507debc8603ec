// Jobs repository.
#include "store/repos/jobs.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

namespace kb::store {
namespace {

constexpr std::string_view kColumns =
    "id, user_id, chat_id, model_id, inputs_json, price_kopecks, is_free, free_day, state, "
    "kie_task_id, idempotency_key, progress_message_id, attempts, @ms(next_check_at), "
    "lease_owner, @ms(lease_until), result_json, failure_code, failure_reason, notified_delayed, "
    "@ms(created_at), @ms(updated_at), @ms(submitted_at), @ms(finished_at), @ms(succeeded_at)";

Job read_job(const db::Row& row) {
  auto c = row.cursor();
  Job j;
  j.id = c.i64();
  j.user_id = c.i64();
  j.chat_id = c.i64();
  j.model_id = c.text();
  j.inputs_json = c.text();
  j.price_kopecks = c.i64();
  j.is_free = c.boolean();
  j.free_day = c.opt_text();
  j.state = c.text();
  j.kie_task_id = c.opt_text();
  j.idempotency_key = c.text();
  j.progress_message_id = c.opt_i64();
  j.attempts = static_cast<int>(c.i64());
  j.next_check_at = c.opt_i64();
  j.lease_owner = c.opt_text();
  j.lease_until = c.opt_i64();
  j.result_json = c.opt_text();
  j.failure_code = c.opt_text();
  j.failure_reason = c.opt_text();
  j.notified_delayed = c.boolean();
  j.created_at = c.i64();
  j.updated_at = c.i64();
  j.submitted_at = c.opt_i64();
  j.finished_at = c.opt_i64();
  j.succeeded_at = c.opt_i64();
  return j;
}

Result<std::vector<Job>> read_jobs(Result<db::Rows> rows) {
  if (!rows) return Unexpected(std::move(rows).error());
  std::vector<Job> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(read_job(r));
  return out;
}

Result<std::optional<Job>> one_job(Result<std::optional<db::Row>> row) {
  if (!row) return Unexpected(std::move(row).error());
  if (!*row) return std::optional<Job>();
  return std::optional<Job>(read_job(**row));
}

}  // namespace

Result<CreatedJob> Jobs::create(const JobDraft& d, std::int64_t now) {
  if (d.idempotency_key.empty()) return fail(Errc::invalid_input, "job without idempotency key");
  static const std::string sql = fmt::format(
      "INSERT INTO jobs (user_id, chat_id, model_id, inputs_json, price_kopecks, is_free, "
      "free_day, state, idempotency_key, next_check_at, progress_message_id, attempts, "
      "notified_delayed, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
      "@ts($10), $11, 0, FALSE, @ts($12), @ts($12)) ON CONFLICT (idempotency_key) DO NOTHING "
      "RETURNING {}",
      kColumns);
  auto row = KB_TRY(c_.query_one(sql, d.user_id, d.chat_id, d.model_id, d.inputs_json,
                                 d.price_kopecks, d.is_free, d.free_day, d.state, d.idempotency_key,
                                 d.next_check_at, d.progress_message_id, now));
  if (row) return CreatedJob{read_job(*row), true};
  auto existing = KB_TRY(get_by_key(d.idempotency_key));
  if (!existing) return fail(Errc::internal, "job key conflict without a job");
  if (existing->user_id != d.user_id)
    return fail(Errc::conflict,
                fmt::format("job key {} belongs to another user", d.idempotency_key));
  return CreatedJob{std::move(*existing), false};
}

Result<std::optional<Job>> Jobs::get(std::int64_t id) {
  static const std::string sql = fmt::format("SELECT {} FROM jobs WHERE id = $1", kColumns);
  return one_job(c_.query_one(sql, id));
}

Result<std::optional<Job>> Jobs::get_by_key(std::string_view key) {
  static const std::string sql =
      fmt::format("SELECT {} FROM jobs WHERE idempotency_key = $1", kColumns);
  return one_job(c_.query_one(sql, key));
}

Result<std::optional<Job>> Jobs::get_by_task_id(std::string_view task_id) {
  static const std::string sql =
      fmt::format("SELECT {} FROM jobs WHERE kie_task_id = $1", kColumns);
  return one_job(c_.query_one(sql, task_id));
}

Result<Job> Jobs::transition(std::int64_t id, const std::vector<std::string_view>& allowed_from,
                             std::string_view to_state, const JobPatch& patch, std::int64_t now) {
  if (allowed_from.empty()) return fail(Errc::invalid_input, "transition without source states");
  return apply_patch(id, &allowed_from, to_state, patch, now);
}

Result<Job> Jobs::update(std::int64_t id, const JobPatch& patch, std::int64_t now) {
  return apply_patch(id, nullptr, std::nullopt, patch, now);
}

Result<Job> Jobs::apply_patch(std::int64_t id, const std::vector<std::string_view>* allowed_from,
                              std::optional<std::string_view> to_state, const JobPatch& p,
                              std::int64_t now) {
  // The SET list depends on which fields the patch carries; each shape is one cached statement.
  db::Params params = db::params(id, now);
  std::string set = "updated_at = @ts($2)";
  auto add = [&](std::string_view column, db::SqlValue v) {
    params.push_back(std::move(v));
    set += fmt::format(", {} = ${}", column, params.size());
  };
  auto add_time = [&](std::string_view column, db::SqlValue v) {
    params.push_back(std::move(v));
    set += fmt::format(", {} = @ts(${})", column, params.size());
  };
  if (to_state) add("state", db::to_sql(*to_state));
  if (p.kie_task_id) add("kie_task_id", db::to_sql(*p.kie_task_id));
  if (p.progress_message_id) add("progress_message_id", db::to_sql(*p.progress_message_id));
  if (p.attempts) add("attempts", db::to_sql(*p.attempts));
  if (p.increment_attempts) set += ", attempts = attempts + 1";
  if (p.finish) {
    set += ", finished_at = @ts($2), next_check_at = NULL";
  } else if (p.next_check_at) {
    add_time("next_check_at", db::to_sql(*p.next_check_at));
  }
  if (p.result_json) add("result_json", db::to_sql(*p.result_json));
  if (p.failure_code) add("failure_code", db::to_sql(*p.failure_code));
  if (p.failure_reason) add("failure_reason", db::to_sql(*p.failure_reason));
  if (p.notified_delayed) add("notified_delayed", db::to_sql(*p.notified_delayed));
  if (p.mark_submitted) set += ", submitted_at = @ts($2)";
  if (p.mark_succeeded) set += ", succeeded_at = @ts($2)";
  if (p.finish || p.release_lease) set += ", lease_owner = NULL, lease_until = NULL";
  std::string where = "id = $1";
  if (allowed_from) {
    where += " AND state IN (";
    for (std::size_t i = 0; i < allowed_from->size(); ++i) {
      params.push_back(db::to_sql((*allowed_from)[i]));
      where += fmt::format("{}${}", i ? ", " : "", params.size());
    }
    where += ")";
  }
  auto sql = fmt::format("UPDATE jobs SET {} WHERE {} RETURNING {}", set, where, kColumns);
  auto rows = KB_TRY(c_.query_params(sql, params));
  if (!rows.empty()) return read_job(rows.front());
  auto current = KB_TRY(get(id));
  if (!current) return fail(Errc::not_found, fmt::format("no job {}", id));
  std::string allowed;
  if (allowed_from)
    for (auto s : *allowed_from) allowed += (allowed.empty() ? "" : "|") + std::string(s);
  return fail(Errc::conflict, fmt::format("job {} is {}, not {}", id, current->state, allowed));
}

Result<std::vector<Job>> Jobs::claim_due(std::string_view owner, std::int64_t now,
                                         std::int64_t lease_ms, int limit) {
  // Candidates chosen once in a materialised CTE (see Inbox::claim_next for why).
  static const std::string sql = [] {
    std::string columns;
    for (std::string_view rest = kColumns; !rest.empty();) {
      auto comma = rest.find(", ");
      auto col = rest.substr(0, comma);
      // Qualify plain and @ms(...) columns with the table name: "FROM candidates" adds an "id".
      if (col.starts_with("@ms("))
        columns += fmt::format("@ms(jobs.{}", col.substr(4));
      else
        columns += fmt::format("jobs.{}", col);
      if (comma == std::string_view::npos) break;
      columns += ", ";
      rest.remove_prefix(comma + 2);
    }
    return fmt::format(
        "WITH candidates AS MATERIALIZED (SELECT id FROM jobs WHERE finished_at IS NULL "
        "AND next_check_at IS NOT NULL AND next_check_at <= @ts($2) "
        "AND (lease_until IS NULL OR lease_until <= @ts($2)) "
        "ORDER BY next_check_at, id LIMIT $4 @skip_locked) "
        "UPDATE jobs SET lease_owner = $1, lease_until = @ts($3), updated_at = @ts($2) "
        "FROM candidates WHERE jobs.id = candidates.id AND jobs.finished_at IS NULL "
        "AND (jobs.lease_until IS NULL OR jobs.lease_until <= @ts($2)) RETURNING {}",
        columns);
  }();
  auto jobs = KB_TRY(read_jobs(c_.query(sql, owner, now, now + lease_ms, limit)));
  std::sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) {
    return std::tie(a.next_check_at, a.id) < std::tie(b.next_check_at, b.id);
  });
  return jobs;
}

Result<bool> Jobs::renew_lease(std::int64_t id, std::string_view owner, std::int64_t until) {
  auto n =
      KB_TRY(c_.exec("UPDATE jobs SET lease_until = @ts($3) WHERE id = $1 AND lease_owner = $2", id,
                     owner, until));
  return n == 1;
}

Result<bool> Jobs::release_lease(std::int64_t id, std::string_view owner) {
  auto n = KB_TRY(c_.exec(
      "UPDATE jobs SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2",
      id, owner));
  return n == 1;
}

Result<std::int64_t> Jobs::count_active_for_user(std::int64_t user_id) {
  auto rows = KB_TRY(
      c_.query("SELECT count(*) FROM jobs WHERE user_id = $1 AND finished_at IS NULL", user_id));
  return rows.front().i64(0);
}

Result<std::vector<Job>> Jobs::list_for_user(std::int64_t user_id, int limit, int offset) {
  static const std::string sql = fmt::format(
      "SELECT {} FROM jobs WHERE user_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3", kColumns);
  return read_jobs(c_.query(sql, user_id, limit, offset));
}

Result<bool> Jobs::record_delivery(std::int64_t job_id, int file_index,
                                   std::optional<std::int64_t> message_id, std::string_view method,
                                   std::int64_t now) {
  auto n =
      KB_TRY(c_.exec("INSERT INTO job_deliveries (job_id, file_index, message_id, method, sent_at) "
                     "VALUES ($1, $2, $3, $4, @ts($5)) ON CONFLICT (job_id, file_index) DO NOTHING",
                     job_id, file_index, message_id, method, now));
  return n == 1;
}

Result<bool> Jobs::complete_delivery(std::int64_t job_id, int file_index,
                                     std::optional<std::int64_t> message_id,
                                     std::string_view method, std::int64_t now) {
  auto n =
      KB_TRY(c_.exec("UPDATE job_deliveries SET message_id = $3, method = $4, sent_at = "
                     "@ts($5) WHERE job_id = $1 AND file_index = $2",
                     job_id, file_index, message_id, method, now));
  return n == 1;
}

Result<bool> Jobs::forget_delivery(std::int64_t job_id, int file_index) {
  auto n =
      KB_TRY(c_.exec("DELETE FROM job_deliveries WHERE job_id = $1 AND file_index = $2 AND "
                     "message_id IS NULL",
                     job_id, file_index));
  return n == 1;
}

Result<std::vector<Delivery>> Jobs::deliveries(std::int64_t job_id) {
  auto rows =
      KB_TRY(c_.query("SELECT job_id, file_index, message_id, method, @ms(sent_at) FROM "
                      "job_deliveries WHERE job_id = $1 ORDER BY file_index",
                      job_id));
  std::vector<Delivery> out;
  for (const auto& r : rows) {
    auto c = r.cursor();
    Delivery d;
    d.job_id = c.i64();
    d.file_index = static_cast<int>(c.i64());
    d.message_id = c.opt_i64();
    d.method = c.text();
    d.sent_at = c.i64();
    out.push_back(std::move(d));
  }
  return out;
}

Result<std::vector<ModelStateCount>> Jobs::count_by_model_and_state_since(std::int64_t since_ms) {
  auto rows =
      KB_TRY(c_.query("SELECT model_id, state, count(*) FROM jobs WHERE created_at >= "
                      "@ts($1) GROUP BY model_id, state ORDER BY model_id, state",
                      since_ms));
  std::vector<ModelStateCount> out;
  for (const auto& r : rows) out.push_back({r.text(0), r.text(1), r.i64(2)});
  return out;
}

Result<std::int64_t> Jobs::release_all_leases() {
  return c_.exec("UPDATE jobs SET lease_owner = NULL, lease_until = NULL WHERE lease_owner IS NOT NULL");
}

Result<std::int64_t> Jobs::count_due(std::int64_t now) {
  auto rows = KB_TRY(c_.query(
      "SELECT count(*) FROM jobs WHERE finished_at IS NULL AND next_check_at IS NOT NULL AND "
      "next_check_at <= @ts($1)",
      now));
  return rows.front().i64(0);
}

}  // namespace kb::store
