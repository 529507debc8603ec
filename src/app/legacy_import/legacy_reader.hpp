// Reading the Python bot's PostgreSQL database (users joined with wallets) through libpqxx.
#pragma once

#include <string>
#include <vector>

#include "app/legacy_import/legacy_plan.hpp"
#include "core/result.hpp"

namespace kb::app::legacy_import {

struct LegacySnapshot {
  std::string source;  // "host:port/dbname", safe to print
  std::vector<LegacyUserRow> users;
};

// Reads every user in one read-only snapshot. A connection or schema problem is
// Errc::unavailable / Errc::invalid_input with the server's message.
Result<LegacySnapshot> read_legacy_database(const std::string& url);

}  // namespace kb::app::legacy_import
