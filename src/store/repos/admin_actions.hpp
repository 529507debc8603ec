// The admin audit log: every admin action, who, on whom, with what.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "store/db/connection.hpp"

namespace kb::store {

struct AdminAction {
  std::int64_t id = 0;
  std::int64_t admin_id = 0;
  std::string action;
  std::optional<std::int64_t> target_user_id;
  std::string payload_json;
  std::int64_t created_at = 0;
};

class AdminActions {
 public:
  explicit AdminActions(db::Connection& c) : c_(c) {}

  Result<std::int64_t> record(std::int64_t admin_id, std::string_view action,
                              std::optional<std::int64_t> target_user_id,
                              std::string_view payload_json, std::int64_t now);
  // Newest first.
  Result<std::vector<AdminAction>> list(int limit);
  Result<std::vector<AdminAction>> list_for_user(std::int64_t target_user_id, int limit);

 private:
  db::Connection& c_;
};

}  // namespace kb::store
