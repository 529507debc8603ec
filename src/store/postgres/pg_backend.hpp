// PostgreSQL backend (libpqxx 6.4): one connection per worker, connected lazily, reconnected after
// a failure, prepared statements cached per connection.
#pragma once

#include <memory>
#include <string>

#include "core/result.hpp"
#include "store/db/connection.hpp"

namespace kb::store::postgres {

struct PostgresOptions {
  std::string url;  // postgres://user:password@host:port/db?params
  int connect_timeout_seconds = 5;
};

// Never connects (PostgreSQL may be down at start); sessions connect on first use.
std::unique_ptr<db::Backend> make_postgres_backend(PostgresOptions options);

// The URL with connect_timeout, application_name and TCP keepalives added when absent.
std::string connection_url(const PostgresOptions& options);
// "host:port/database" for logs; never contains the user's password.
std::string describe_url(const std::string& url);

}  // namespace kb::store::postgres
