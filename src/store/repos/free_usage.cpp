// Free tier repository.
#include "store/repos/free_usage.hpp"

namespace kb::store {

Result<int> FreeUsage::used(std::int64_t user_id, std::string_view day) {
  auto row = KB_TRY(
      c_.query_one("SELECT used FROM free_usage WHERE user_id = $1 AND day = $2", user_id, day));
  return row ? static_cast<int>(row->i64(0)) : 0;
}

Result<bool> FreeUsage::consume(std::int64_t user_id, std::string_view day, int limit) {
  if (limit <= 0) return false;
  auto row =
      KB_TRY(c_.query_one("INSERT INTO free_usage (user_id, day, used) VALUES ($1, $2, 1) "
                          "ON CONFLICT (user_id, day) DO UPDATE SET used = free_usage.used + 1 "
                          "WHERE free_usage.used < $3 RETURNING used",
                          user_id, day, limit));
  return row.has_value();
}

Result<bool> FreeUsage::give_back(std::int64_t user_id, std::string_view day) {
  auto n = KB_TRY(
      c_.exec("UPDATE free_usage SET used = used - 1 WHERE user_id = $1 AND day = $2 AND used > 0",
              user_id, day));
  return n == 1;
}

Result<void> FreeUsage::add_bonus(std::int64_t user_id, int count, std::int64_t now) {
  if (count <= 0) return fail(Errc::invalid_input, "bonus count must be positive");
  KB_TRY(
      c_.exec("INSERT INTO free_bonus (user_id, remaining, updated_at) VALUES ($1, $2, @ts($3)) "
              "ON CONFLICT (user_id) DO UPDATE SET remaining = free_bonus.remaining + $2, "
              "updated_at = @ts($3)",
              user_id, count, now));
  return {};
}

Result<bool> FreeUsage::consume_bonus(std::int64_t user_id, std::int64_t now) {
  auto n =
      KB_TRY(c_.exec("UPDATE free_bonus SET remaining = remaining - 1, updated_at = @ts($2) "
                     "WHERE user_id = $1 AND remaining > 0",
                     user_id, now));
  return n == 1;
}

Result<int> FreeUsage::bonus(std::int64_t user_id) {
  auto row = KB_TRY(c_.query_one("SELECT remaining FROM free_bonus WHERE user_id = $1", user_id));
  return row ? static_cast<int>(row->i64(0)) : 0;
}

}  // namespace kb::store
