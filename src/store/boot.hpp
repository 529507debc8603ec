// Opening the database at server start: a bad configuration or a busy SQLite file stops the
// start; an unreachable PostgreSQL is retried in the background while /readyz says why.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/asio.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "store/open.hpp"

namespace kb::store {

class DatabaseBoot {
 public:
  DatabaseBoot(DatabaseOptions options, const Clock& clock, net::MetricsRegistry* metrics);
  ~DatabaseBoot();
  DatabaseBoot(const DatabaseBoot&) = delete;
  DatabaseBoot& operator=(const DatabaseBoot&) = delete;

  // Opens and migrates now. An error is final (the caller exits), except PostgreSQL being
  // unreachable: then a background thread keeps trying (WARN lines, growing pauses up to
  // max_pause) and this returns success with database() still empty.
  Result<void> start();
  // Called once when the database is open and migrated, on the thread that opened it.
  void on_ready(std::function<void(Database&)> callback);
  // Empty until open; stays valid until stop() / destruction.
  Database* database() const;
  // The readiness check: "not connected yet: …" until open, then a ping through the pool.
  Task<Result<void>> check() const;
  // Stops retrying and closes the database.
  void stop();

  std::chrono::milliseconds first_pause{1000};
  std::chrono::milliseconds max_pause{15000};

 private:
  void retry_loop();
  void publish(std::unique_ptr<Database> db);

  DatabaseOptions options_;
  const Clock& clock_;
  net::MetricsRegistry* metrics_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::string last_error_;
  std::unique_ptr<Database> database_;
  std::function<void(Database&)> on_ready_;
  std::thread thread_;
};

}  // namespace kb::store
