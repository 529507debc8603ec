// Settings and model overrides repository.
#include "store/repos/settings.hpp"

namespace kb::store {
namespace {

ModelOverride read_override(const db::Row& row) {
  auto c = row.cursor();
  ModelOverride o;
  o.model_id = c.text();
  o.enabled = c.opt_bool();
  o.free = c.opt_bool();
  o.updated_by = c.opt_i64();
  o.updated_at = c.i64();
  return o;
}

}  // namespace

Result<std::optional<std::string>> Settings::get(std::string_view key) {
  auto row = KB_TRY(c_.query_one("SELECT value FROM settings WHERE key = $1", key));
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(row->text(0));
}

Result<void> Settings::set(std::string_view key, std::string_view value, std::int64_t now) {
  KB_TRY(
      c_.exec("INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, @ts($3)) "
              "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
              "updated_at = excluded.updated_at",
              key, value, now));
  return {};
}

Result<bool> Settings::erase(std::string_view key) {
  auto n = KB_TRY(c_.exec("DELETE FROM settings WHERE key = $1", key));
  return n == 1;
}

Result<std::optional<ModelOverride>> Settings::model_override(std::string_view model_id) {
  auto row =
      KB_TRY(c_.query_one("SELECT model_id, enabled, free, updated_by, @ms(updated_at) "
                          "FROM model_overrides WHERE model_id = $1",
                          model_id));
  if (!row) return std::optional<ModelOverride>();
  return std::optional<ModelOverride>(read_override(*row));
}

Result<void> Settings::set_model_override(const ModelOverride& o, std::int64_t now) {
  KB_TRY(
      c_.exec("INSERT INTO model_overrides (model_id, enabled, free, updated_by, updated_at) "
              "VALUES ($1, $2, $3, $4, @ts($5)) ON CONFLICT (model_id) DO UPDATE SET "
              "enabled = excluded.enabled, free = excluded.free, "
              "updated_by = excluded.updated_by, updated_at = excluded.updated_at",
              o.model_id, o.enabled, o.free, o.updated_by, now));
  return {};
}

Result<std::vector<ModelOverride>> Settings::model_overrides() {
  auto rows =
      KB_TRY(c_.query("SELECT model_id, enabled, free, updated_by, @ms(updated_at) FROM "
                      "model_overrides ORDER BY model_id"));
  std::vector<ModelOverride> out;
  for (const auto& r : rows) out.push_back(read_override(r));
  return out;
}

}  // namespace kb::store
