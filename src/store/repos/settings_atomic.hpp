// Settings written by several instances at once: a counter that never loses an increment and a
// compare-and-set. Free functions over the transaction's connection (kept out of tx.hpp's
// Settings so adding them did not touch every file that includes the transaction).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "store/db/connection.hpp"

namespace kb::store {

// Adds one to the integer kept under `key` (absent: 0) in one statement; returns the new value.
Result<std::int64_t> increment_setting(db::Connection& c, std::string_view key, std::int64_t now);

// Sets `key` to `value` only when it still holds `expected` (nothing: absent). False when another
// writer got there first: on PostgreSQL the losing statement waits for the winner's commit and
// then finds the value changed, so two instances never both succeed.
Result<bool> compare_and_set_setting(db::Connection& c, std::string_view key,
                                     const std::optional<std::string>& expected,
                                     std::string_view value, std::int64_t now);

}  // namespace kb::store
