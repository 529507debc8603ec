// Private PostgreSQL server for restart tests.
#include "support/pg_server.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "support/child_process.hpp"

namespace kb::test {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::optional<std::string> PgTestServer::bin_dir() {
  if (const char* v = std::getenv("KIEBOT_TEST_PG_BIN"); v && *v) return std::string(v);
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/usr/lib/postgresql", ec))
    if (std::filesystem::exists(e.path() / "bin" / "initdb")) found.push_back(e.path() / "bin");
  if (found.empty()) return std::nullopt;
  std::sort(found.begin(), found.end());
  return found.back();
}

PgTestServer::PgTestServer() {
  auto bin = bin_dir();
  if (!bin) throw std::runtime_error("PostgreSQL server binaries not found");
  bin_ = *bin;
  char tmpl[] = "/tmp/kiebot-pgtest.XXXXXX";
  if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  as_postgres_ = ::geteuid() == 0;
  if (as_postgres_) {
    if (std::system(fmt::format("chown postgres:postgres {}", dir_).c_str()) != 0)
      throw std::runtime_error("chown to postgres failed");
  }
  port_ = store::test::free_tcp_port();
  auto prefix = as_postgres_ ? std::string("runuser -u postgres -- ") : std::string();
  auto initdb =
      fmt::format("{}{}/initdb -D {}/data -U postgres -A trust -E UTF8 > {}/initdb.log 2>&1",
                  prefix, bin_, dir_, dir_);
  if (std::system(initdb.c_str()) != 0)
    throw std::runtime_error("initdb failed: " + read_file(dir_ + "/initdb.log"));
  start();
}

PgTestServer::~PgTestServer() {
  if (running_) pg_ctl("-m immediate stop");
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

int PgTestServer::pg_ctl(const std::string& args) const {
  auto prefix = as_postgres_ ? std::string("runuser -u postgres -- ") : std::string();
  auto cmd = fmt::format("{}{}/pg_ctl -D {}/data -l {}/server.log -w -t 30 {} > /dev/null 2>&1",
                         prefix, bin_, dir_, dir_, args);
  return std::system(cmd.c_str());
}

void PgTestServer::start() {
  auto opts = fmt::format(
      "-o \"-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c "
      "synchronous_commit=off -c full_page_writes=off\" start",
      port_, dir_);
  if (pg_ctl(opts) != 0)
    throw std::runtime_error("pg_ctl start failed: " + read_file(dir_ + "/server.log"));
  running_ = true;
}

void PgTestServer::stop() {
  if (pg_ctl("-m fast stop") != 0)
    throw std::runtime_error("pg_ctl stop failed: " + read_file(dir_ + "/server.log"));
  running_ = false;
}

std::string PgTestServer::url(const std::string& database) const {
  return fmt::format("postgresql://postgres@127.0.0.1:{}/{}", port_, database);
}

}  // namespace kb::test
