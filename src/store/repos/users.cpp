// Users repository.
#include "store/repos/users.hpp"

#include <fmt/format.h>

#include "store/db/fault.hpp"

namespace kb::store {
namespace {

constexpr std::string_view kColumns =
    "id, username, first_name, last_name, language_code, language, role, blocked_bot, banned, "
    "@ms(created_at), @ms(last_seen_at)";

User read_user(const db::Row& row) {
  auto c = row.cursor();
  User u;
  u.id = c.i64();
  u.username = c.opt_text();
  u.first_name = c.text();
  u.last_name = c.opt_text();
  u.language_code = c.opt_text();
  u.language = c.opt_text();
  u.role = c.text() == "admin" ? Role::admin : Role::user;
  u.blocked_bot = c.boolean();
  u.banned = c.boolean();
  u.created_at = c.i64();
  u.last_seen_at = c.i64();
  return u;
}

}  // namespace

std::string_view role_name(Role role) {
  return role == Role::admin ? "admin" : "user";
}

Result<UpsertedUser> Users::upsert_seen(const TelegramProfile& p, std::int64_t now) {
  auto inserted = KB_TRY(
      c_.exec("INSERT INTO users (id, username, first_name, last_name, language_code, created_at, "
              "last_seen_at, updated_at) VALUES ($1, $2, $3, $4, $5, @ts($6), @ts($6), @ts($6)) "
              "ON CONFLICT (id) DO NOTHING",
              p.id, p.username, p.first_name, p.last_name, p.language_code, now));
  if (inserted == 1) {
    KB_TRY(
        c_.exec("INSERT INTO wallets (user_id, available, held, updated_at) VALUES ($1, 0, 0, "
                "@ts($2)) ON CONFLICT (user_id) DO NOTHING",
                p.id, now));
  } else {
    KB_TRY(
        c_.exec("UPDATE users SET username = $2, first_name = $3, last_name = $4, "
                "language_code = $5, blocked_bot = FALSE, last_seen_at = @ts($6), "
                "updated_at = @ts($6) WHERE id = $1",
                p.id, p.username, p.first_name, p.last_name, p.language_code, now));
  }
  auto user = KB_TRY(get(p.id));
  if (!user) return fail(Errc::internal, fmt::format("user {} vanished after upsert", p.id));
  return UpsertedUser{std::move(*user), inserted == 1};
}

Result<std::optional<User>> Users::get(std::int64_t id) {
  static const std::string sql = fmt::format("SELECT {} FROM users WHERE id = $1", kColumns);
  auto row = KB_TRY(c_.query_one(sql, id));
  if (!row) return std::optional<User>();
  return std::optional<User>(read_user(*row));
}

Result<std::optional<User>> Users::find_by_username(std::string_view username) {
  if (username.starts_with('@')) username.remove_prefix(1);
  static const std::string sql = fmt::format(
      "SELECT {} FROM users WHERE lower(username) = lower($1) ORDER BY last_seen_at DESC LIMIT 1",
      kColumns);
  auto row = KB_TRY(c_.query_one(sql, username));
  if (!row) return std::optional<User>();
  return std::optional<User>(read_user(*row));
}

Result<bool> Users::set_language(std::int64_t id, std::string_view language, std::int64_t now) {
  auto n = KB_TRY(c_.exec("UPDATE users SET language = $2, updated_at = @ts($3) WHERE id = $1", id,
                          language, now));
  return n == 1;
}

Result<bool> Users::set_role(std::int64_t id, Role role, std::int64_t now) {
  auto n = KB_TRY(c_.exec("UPDATE users SET role = $2, updated_at = @ts($3) WHERE id = $1", id,
                          role_name(role), now));
  return n == 1;
}

Result<bool> Users::set_blocked(std::int64_t id, bool blocked, std::int64_t now) {
  auto n = KB_TRY(c_.exec("UPDATE users SET blocked_bot = $2, updated_at = @ts($3) WHERE id = $1",
                          id, blocked, now));
  return n == 1;
}

Result<bool> Users::set_banned(std::int64_t id, bool banned, std::int64_t now) {
  auto n = KB_TRY(
      c_.exec("UPDATE users SET banned = $2, updated_at = @ts($3) WHERE id = $1", id, banned, now));
  return n == 1;
}

Result<std::int64_t> Users::count_all() {
  auto rows = KB_TRY(c_.query("SELECT count(*) FROM users"));
  return rows.front().i64(0);
}

Result<std::int64_t> Users::count_active_since(std::int64_t since_ms) {
  auto rows =
      KB_TRY(c_.query("SELECT count(*) FROM users WHERE last_seen_at >= @ts($1)", since_ms));
  return rows.front().i64(0);
}

Result<std::vector<std::int64_t>> Users::list_ids_after(std::int64_t after_id, int limit) {
  auto rows =
      KB_TRY(c_.query("SELECT id FROM users WHERE id > $1 AND blocked_bot = FALSE AND "
                      "banned = FALSE ORDER BY id LIMIT $2",
                      after_id, limit));
  std::vector<std::int64_t> ids;
  ids.reserve(rows.size());
  for (const auto& r : rows) ids.push_back(r.i64(0));
  return ids;
}

Result<std::vector<std::int64_t>> Users::admin_ids() {
  auto rows = KB_TRY(c_.query("SELECT id FROM users WHERE role = 'admin' ORDER BY id"));
  std::vector<std::int64_t> ids;
  for (const auto& r : rows) ids.push_back(r.i64(0));
  return ids;
}

}  // namespace kb::store
