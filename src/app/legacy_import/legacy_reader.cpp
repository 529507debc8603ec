// The old schema through libpqxx 6.4, tolerant of the columns the Python bot added later.
#include "app/legacy_import/legacy_reader.hpp"

#include <pqxx/pqxx>

#include <fmt/format.h>

namespace kb::app::legacy_import {
namespace {

// to_jsonb(u) reads optional columns (tg_* and metadata were added by later releases) without
// failing when an older database lacks them. Timestamps are naive UTC in the old schema.
constexpr const char* kUsersSql = R"SQL(
SELECT u.user_id,
       COALESCE(to_jsonb(u) ->> 'role', 'user'),
       to_jsonb(u) ->> 'locale',
       to_jsonb(u) ->> 'tg_username',
       to_jsonb(u) ->> 'tg_first_name',
       to_jsonb(u) ->> 'tg_last_name',
       CASE WHEN jsonb_typeof(to_jsonb(u) -> 'metadata') = 'object'
            THEN to_jsonb(u) -> 'metadata' ->> 'referrer_id' END,
       w.balance_rub::text,
       w.hold_rub::text,
       (extract(epoch FROM u.created_at) * 1000)::bigint,
       EXISTS (SELECT 1 FROM ledger l
                WHERE l.user_id = u.user_id AND l.status = 'done'
                  AND l.kind IN ('topup', 'charge'))
  FROM users u LEFT JOIN wallets w ON w.user_id = u.user_id
 ORDER BY u.user_id
)SQL";

std::optional<std::string> opt_text(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return std::string(f.c_str());
}

}  // namespace

Result<LegacySnapshot> read_legacy_database(const std::string& url) {
  try {
    pqxx::connection conn{url};
    LegacySnapshot snapshot;
    snapshot.source = fmt::format("{}:{}/{}", conn.hostname() ? conn.hostname() : "local",
                                  conn.port() ? conn.port() : "", conn.dbname());
    pqxx::read_transaction tx{conn};
    auto result = tx.exec(kUsersSql);
    snapshot.users.reserve(result.size());
    for (const auto& row : result) {
      LegacyUserRow u;
      u.user_id = row[0].as<std::int64_t>();
      u.role = row[1].c_str();
      u.locale = opt_text(row[2]);
      u.username = opt_text(row[3]);
      u.first_name = opt_text(row[4]);
      u.last_name = opt_text(row[5]);
      u.referrer_id = opt_text(row[6]);
      u.balance_rub = opt_text(row[7]);
      u.hold_rub = opt_text(row[8]);
      if (!row[9].is_null()) u.created_at_ms = row[9].as<std::int64_t>();
      u.has_paid = row[10].as<bool>();
      snapshot.users.push_back(std::move(u));
    }
    tx.commit();
    return snapshot;
  } catch (const pqxx::broken_connection& e) {
    return fail(Errc::unavailable, fmt::format("cannot connect to the old database: {}", e.what()));
  } catch (const pqxx::sql_error& e) {
    return fail(
        Errc::invalid_input,
        fmt::format("the old database does not look like the Python bot's schema: {}", e.what()));
  } catch (const std::exception& e) {
    return fail(Errc::internal, fmt::format("reading the old database failed: {}", e.what()));
  }
}

}  // namespace kb::app::legacy_import
