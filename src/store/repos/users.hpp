// Users: Telegram profiles, chosen language, role, blocked/banned flags. Creating a user creates
// their wallet in the same transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "store/db/connection.hpp"

namespace kb::store {

enum class Role { user, admin };
std::string_view role_name(Role role);

// What an incoming update tells us about its sender.
struct TelegramProfile {
  std::int64_t id = 0;
  std::optional<std::string> username;
  std::string first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> language_code;
};

struct User {
  std::int64_t id = 0;
  std::optional<std::string> username;
  std::string first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> language_code;  // from Telegram
  std::optional<std::string> language;       // chosen in the bot; empty: not chosen yet
  Role role = Role::user;
  bool blocked_bot = false;  // the user blocked the bot (Telegram 403)
  bool banned = false;       // an admin banned the user
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
};

struct UpsertedUser {
  User user;
  bool created = false;
};

class Users {
 public:
  explicit Users(db::Connection& c) : c_(c) {}

  // Inserts or refreshes the profile and last_seen_at. Hearing from a user also clears
  // blocked_bot: a user who blocked the bot cannot write to it.
  Result<UpsertedUser> upsert_seen(const TelegramProfile& profile, std::int64_t now);
  Result<std::optional<User>> get(std::int64_t id);
  // Case-insensitive; a leading '@' is ignored.
  Result<std::optional<User>> find_by_username(std::string_view username);
  // The set_* methods return false when there is no such user.
  Result<bool> set_language(std::int64_t id, std::string_view language, std::int64_t now);
  Result<bool> set_role(std::int64_t id, Role role, std::int64_t now);
  Result<bool> set_blocked(std::int64_t id, bool blocked, std::int64_t now);
  Result<bool> set_banned(std::int64_t id, bool banned, std::int64_t now);
  Result<std::int64_t> count_all();
  Result<std::int64_t> count_active_since(std::int64_t since_ms);
  // Users a message can go to (not blocked, not banned) with id > after_id, ascending.
  Result<std::vector<std::int64_t>> list_ids_after(std::int64_t after_id, int limit);
  Result<std::vector<std::int64_t>> admin_ids();

 private:
  db::Connection& c_;
};

}  // namespace kb::store
