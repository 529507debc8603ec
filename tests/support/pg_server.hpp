// A private PostgreSQL server for tests that stop and start it (restart recovery), so that the
// shared throwaway server of scripts/with_postgres.sh is never disturbed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace kb::test {

class PgTestServer {
 public:
  // The server binaries: KIEBOT_TEST_PG_BIN, else the newest /usr/lib/postgresql/*/bin.
  static std::optional<std::string> bin_dir();

  // initdb into a fresh directory under /tmp and start on a free port (as the postgres user when
  // running as root: initdb refuses root). Throws std::runtime_error with the server log on
  // failure.
  PgTestServer();
  ~PgTestServer();
  PgTestServer(const PgTestServer&) = delete;
  PgTestServer& operator=(const PgTestServer&) = delete;

  void stop();   // pg_ctl stop -m fast: connected clients are disconnected
  void start();  // again, on the same port
  std::uint16_t port() const { return port_; }
  std::string url(const std::string& database = "postgres") const;

 private:
  int pg_ctl(const std::string& args) const;
  std::string bin_;
  std::string dir_;
  std::uint16_t port_ = 0;
  bool as_postgres_ = false;
  bool running_ = false;
};

}  // namespace kb::test
