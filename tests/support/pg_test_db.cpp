// Per-test PostgreSQL databases.
#include "support/pg_test_db.hpp"

#include <pqxx/pqxx>

#include <cstdlib>
#include <random>
#include <stdexcept>

#include <fmt/format.h>

namespace kb::test {

std::optional<std::string> pg_admin_url() {
  const char* v = std::getenv("KIEBOT_TEST_PG_URL");
  if (!v || !*v) return std::nullopt;
  return std::string(v);
}

bool pg_required() {
  const char* v = std::getenv("KIEBOT_REQUIRE_PG");
  return v && std::string(v) == "1";
}

std::string pg_url_with_database(const std::string& url, const std::string& database) {
  auto scheme = url.find("://");
  auto start = scheme == std::string::npos ? 0 : scheme + 3;
  auto query = url.find('?', start);
  auto slash = url.find('/', start);
  std::string tail = query == std::string::npos ? "" : url.substr(query);
  std::string head = url.substr(0, std::min(slash, query));
  return head + "/" + database + tail;
}

std::string random_suffix() {
  static thread_local std::mt19937_64 rng(std::random_device{}());
  return fmt::format("{:012x}", rng() & 0xffffffffffffULL);
}

PgTestDatabase::PgTestDatabase(std::string admin_url)
    : admin_url_(std::move(admin_url)), name_("t_" + random_suffix()) {
  pqxx::connection c(admin_url_);
  pqxx::nontransaction tx(c);
  tx.exec("CREATE DATABASE " + name_);
  url_ = pg_url_with_database(admin_url_, name_);
}

PgTestDatabase::~PgTestDatabase() {
  try {
    pqxx::connection c(admin_url_);
    pqxx::nontransaction tx(c);
    tx.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception&) {
    // The server may be gone (a test stopped it); the data directory is thrown away anyway.
  }
}

void PgTestDatabase::exec(const std::string& sql) const {
  pqxx::connection c(url_);
  pqxx::nontransaction tx(c);
  tx.exec(sql);
}

}  // namespace kb::test
