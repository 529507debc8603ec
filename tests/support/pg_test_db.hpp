// PostgreSQL for tests: the throwaway server from scripts/with_postgres.sh (KIEBOT_TEST_PG_URL) and
// one fresh database per test, dropped afterwards.
#pragma once

#include <optional>
#include <string>

namespace kb::test {

// KIEBOT_TEST_PG_URL: a superuser URL to a throwaway server, or nothing.
std::optional<std::string> pg_admin_url();
// KIEBOT_REQUIRE_PG=1: PostgreSQL tests must fail (not skip) when the server is missing.
bool pg_required();
// The same URL pointing at another database.
std::string pg_url_with_database(const std::string& url, const std::string& database);
// A short random suffix for database and role names.
std::string random_suffix();

class PgTestDatabase {
 public:
  // CREATE DATABASE t_<random> on the server of `admin_url`; throws std::runtime_error on failure.
  explicit PgTestDatabase(std::string admin_url);
  ~PgTestDatabase();
  PgTestDatabase(const PgTestDatabase&) = delete;
  PgTestDatabase& operator=(const PgTestDatabase&) = delete;

  const std::string& name() const { return name_; }
  const std::string& url() const { return url_; }
  // Runs SQL as the superuser inside this database (test setup: roles, grants, drops).
  void exec(const std::string& sql) const;

 private:
  std::string admin_url_;
  std::string name_;
  std::string url_;
};

}  // namespace kb::test

// In a test or SetUp: skip when no PostgreSQL is configured, but fail when it is required.
#define KB_REQUIRE_PG_OR_SKIP()                                                              \
  do {                                                                                       \
    if (!::kb::test::pg_admin_url()) {                                                       \
      if (::kb::test::pg_required()) {                                                       \
        FAIL() << "KIEBOT_REQUIRE_PG=1 but KIEBOT_TEST_PG_URL is not set: PostgreSQL could " \
                  "not be started (run the tests through scripts/with_postgres.sh)";         \
      }                                                                                      \
      GTEST_SKIP() << "PostgreSQL tests skipped: KIEBOT_TEST_PG_URL is not set (run "        \
                      "scripts/with_postgres.sh <command> to include them)";                 \
    }                                                                                        \
  } while (0)
