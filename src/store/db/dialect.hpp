// SQL dialects and the macro expansion that lets one SQL text serve SQLite and PostgreSQL.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace kb::store::db {

enum class Dialect { sqlite, postgres };

// Expands the portable SQL used by the repositories into one backend's SQL:
//   $1..$n          parameters (SQLite: ?1..?n, bound by number; PostgreSQL: unchanged)
//   @ts(expr)       epoch milliseconds -> stored time (SQLite: expr; PostgreSQL: timestamptz)
//   @ms(expr)       stored time -> epoch milliseconds (SQLite: expr; PostgreSQL: bigint)
//   @for_update     row lock in a SELECT (PostgreSQL: FOR UPDATE; SQLite: nothing, writers are
//                   serialised by BEGIN IMMEDIATE)
//   @skip_locked    PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: nothing
// String literals, quoted identifiers and comments are copied untouched. An unknown macro, a bare
// `?` or an unbalanced macro argument is an error (a bug in the statement, caught by tests).
Result<std::string> expand_sql(std::string_view sql, Dialect dialect);

}  // namespace kb::store::db
