// Settings counters and compare-and-set.
#include "store/repos/settings_atomic.hpp"

namespace kb::store {

Result<std::int64_t> increment_setting(db::Connection& c, std::string_view key, std::int64_t now) {
  auto row =
      KB_TRY(c.query_one("INSERT INTO settings (key, value, updated_at) VALUES ($1, '1', @ts($2)) "
                         "ON CONFLICT (key) DO UPDATE SET "
                         "value = CAST(CAST(settings.value AS BIGINT) + 1 AS TEXT), "
                         "updated_at = excluded.updated_at RETURNING CAST(value AS BIGINT)",
                         key, now));
  if (!row) return fail(Errc::internal, "settings increment returned no row");
  return row->i64(0);
}

Result<bool> compare_and_set_setting(db::Connection& c, std::string_view key,
                                     const std::optional<std::string>& expected,
                                     std::string_view value, std::int64_t now) {
  if (!expected) {
    auto row =
        KB_TRY(c.query_one("INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, @ts($3)) "
                           "ON CONFLICT (key) DO NOTHING RETURNING key",
                           key, value, now));
    return row.has_value();
  }
  auto n = KB_TRY(
      c.exec("UPDATE settings SET value = $3, updated_at = @ts($4) WHERE key = $1 AND value = $2",
             key, *expected, value, now));
  return n == 1;
}

}  // namespace kb::store
