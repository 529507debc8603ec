// Conversation state repository.
#include "store/repos/conversation.hpp"

#include <fmt/format.h>

namespace kb::store {

Result<std::optional<ConversationState>> Conversations::load(std::int64_t user_id) {
  auto row =
      KB_TRY(c_.query_one("SELECT state_json, version, @ms(updated_at), @ms(expires_at) "
                          "FROM conversations WHERE user_id = $1",
                          user_id));
  if (!row) return std::optional<ConversationState>();
  auto c = row->cursor();
  ConversationState s;
  s.state_json = c.text();
  s.version = c.i64();
  s.updated_at = c.i64();
  s.expires_at = c.opt_i64();
  return std::optional<ConversationState>(std::move(s));
}

Result<std::int64_t> Conversations::save(std::int64_t user_id, std::string_view state_json,
                                         std::int64_t expected_version,
                                         std::optional<std::int64_t> expires_at, std::int64_t now) {
  std::optional<db::Row> row;
  if (expected_version == 0) {
    row = KB_TRY(c_.query_one(
        "INSERT INTO conversations (user_id, state_json, version, updated_at, expires_at) "
        "VALUES ($1, $2, 1, @ts($3), @ts($4)) ON CONFLICT (user_id) DO NOTHING RETURNING version",
        user_id, state_json, now, expires_at));
  } else {
    row = KB_TRY(c_.query_one(
        "UPDATE conversations SET state_json = $2, version = version + 1, updated_at = @ts($4), "
        "expires_at = @ts($5) WHERE user_id = $1 AND version = $3 RETURNING version",
        user_id, state_json, expected_version, now, expires_at));
  }
  if (!row)
    return fail(Errc::conflict, fmt::format("conversation of user {} changed since version {}",
                                            user_id, expected_version));
  return row->i64(0);
}

Result<std::int64_t> Conversations::clear(std::int64_t user_id, std::int64_t now) {
  auto row = KB_TRY(c_.query_one(
      "UPDATE conversations SET state_json = '', version = version + 1, updated_at = @ts($2), "
      "expires_at = NULL WHERE user_id = $1 RETURNING version",
      user_id, now));
  return row ? row->i64(0) : 0;
}

Result<std::int64_t> Conversations::purge_expired_before(std::int64_t before_ms) {
  return c_.exec("DELETE FROM conversations WHERE expires_at IS NOT NULL AND expires_at < @ts($1)",
                 before_ms);
}

}  // namespace kb::store
