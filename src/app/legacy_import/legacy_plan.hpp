// Importing the Python bot's data: its rows as read, and the pure mapping into what kiebot stores
// (a plan), kept apart from both databases so the rules can be tested without one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.hpp"
#include "core/result.hpp"

namespace kb::app::legacy_import {

// One row of the old `users` table joined with its `wallets` row (python-bot.md §6). Loose columns
// (NUMERIC, JSONB fields) stay text here; the mapping decides what they mean.
struct LegacyUserRow {
  std::int64_t user_id = 0;
  std::string role = "user";  // user | admin | banned
  std::optional<std::string> locale;
  std::optional<std::string> username;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> referrer_id;  // users.metadata ->> 'referrer_id'
  std::optional<std::string> balance_rub;  // wallets.balance_rub; nothing: no wallet row
  std::optional<std::string> hold_rub;     // wallets.hold_rub
  std::optional<std::int64_t> created_at_ms;
  bool has_paid = false;  // a done `topup` or `charge` in the old ledger
};

struct PlannedUser {
  std::int64_t id = 0;
  std::optional<std::string> username;
  std::string first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> language;  // "ru" / "en"; nothing: let the user choose
  bool admin = false;
  bool banned = false;
  std::optional<std::int64_t> created_at_ms;
  Kopecks opening = 0;       // 0: no ledger entry
  std::string opening_key;   // idempotency key of the opening entry
  std::string opening_note;  // the source reference stored with the entry
};

struct PlannedReferral {
  std::int64_t invited_id = 0;
  std::int64_t referrer_id = 0;
  // The invited user already paid in the old bot, so the moment a reward is due has passed there:
  // the link is stored as rewarded and kiebot does not pay it again.
  bool rewarded = false;
};

struct ImportPlan {
  std::string source;  // "host/dbname" of the old database (never the password)
  std::vector<PlannedUser> users;
  std::vector<PlannedReferral> referrals;
  std::vector<std::string> warnings;  // rows or fields skipped, and why
  Kopecks total_opening = 0;
};

// The idempotency key of a user's opening balance: one per user, so a second run credits nothing.
std::string opening_balance_key(std::int64_t user_id);

// Maps the old rows. A balance that is not a valid ruble amount stops the import (money is never
// guessed); a referrer that is not a known other user is skipped with a warning.
Result<ImportPlan> plan_import(const std::vector<LegacyUserRow>& rows, std::string source);

// What `--dry-run` prints: one line per user with money or a role, referrals, warnings, totals.
std::string format_plan(const ImportPlan& plan);

}  // namespace kb::app::legacy_import
