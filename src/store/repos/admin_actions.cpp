// Admin audit log repository.
#include "store/repos/admin_actions.hpp"

namespace kb::store {
namespace {

std::vector<AdminAction> read_actions(const db::Rows& rows) {
  std::vector<AdminAction> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    auto c = r.cursor();
    AdminAction a;
    a.id = c.i64();
    a.admin_id = c.i64();
    a.action = c.text();
    a.target_user_id = c.opt_i64();
    a.payload_json = c.text();
    a.created_at = c.i64();
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace

Result<std::int64_t> AdminActions::record(std::int64_t admin_id, std::string_view action,
                                          std::optional<std::int64_t> target_user_id,
                                          std::string_view payload_json, std::int64_t now) {
  auto row = KB_TRY(c_.query_one(
      "INSERT INTO admin_actions (admin_id, action, target_user_id, payload_json, created_at) "
      "VALUES ($1, $2, $3, $4, @ts($5)) RETURNING id",
      admin_id, action, target_user_id, payload_json.empty() ? "{}" : payload_json, now));
  return row->i64(0);
}

Result<std::vector<AdminAction>> AdminActions::list(int limit) {
  auto rows =
      KB_TRY(c_.query("SELECT id, admin_id, action, target_user_id, payload_json, "
                      "@ms(created_at) FROM admin_actions ORDER BY id DESC LIMIT $1",
                      limit));
  return read_actions(rows);
}

Result<std::vector<AdminAction>> AdminActions::list_for_user(std::int64_t target_user_id,
                                                             int limit) {
  auto rows = KB_TRY(
      c_.query("SELECT id, admin_id, action, target_user_id, payload_json, @ms(created_at) FROM "
               "admin_actions WHERE target_user_id = $1 ORDER BY id DESC LIMIT $2",
               target_user_id, limit));
  return read_actions(rows);
}

}  // namespace kb::store
