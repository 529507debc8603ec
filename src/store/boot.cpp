// Database start-up with background retries for PostgreSQL.
#include "store/boot.hpp"

#include <fmt/format.h>

#include "core/log.hpp"

namespace kb::store {

DatabaseBoot::DatabaseBoot(DatabaseOptions options, const Clock& clock,
                           net::MetricsRegistry* metrics)
    : options_(std::move(options)), clock_(clock), metrics_(metrics) {}

DatabaseBoot::~DatabaseBoot() {
  stop();
}

Result<void> DatabaseBoot::start() {
  auto target = KB_TRY(resolve_database_target(options_.url, options_.data_dir));
  auto opened = open_database(options_, clock_, metrics_);
  if (opened) {
    publish(std::move(*opened));
    return {};
  }
  bool retryable =
      target.kind == DatabaseTarget::Kind::postgres && opened.error().code == Errc::unavailable;
  if (!retryable) return Unexpected(std::move(opened).error());
  {
    std::lock_guard lock(mutex_);
    last_error_ = opened.error().message;
  }
  log::warn("database_unreachable_at_start",
            {{"error", opened.error().message},
             {"effect", "retrying in the background; /readyz reports 503 until connected"}});
  thread_ = std::thread([this] { retry_loop(); });
  return {};
}

void DatabaseBoot::retry_loop() {
  auto pause = first_pause;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, pause, [this] { return stopping_; })) return;
    }
    auto opened = open_database(options_, clock_, metrics_);
    if (opened) {
      log::info("database_connected", {{"database", (*opened)->describe()}});
      publish(std::move(*opened));
      return;
    }
    pause = std::min(max_pause, pause * 2);
    {
      std::lock_guard lock(mutex_);
      last_error_ = opened.error().message;
    }
    if (opened.error().code == Errc::unavailable)
      log::warn("database_unreachable",
                {{"error", opened.error().message},
                 {"retry_in_ms", static_cast<std::int64_t>(pause.count())}});
    else
      log::error("database_open_failed",
                 {{"error", opened.error().message},
                  {"retry_in_ms", static_cast<std::int64_t>(pause.count())}});
  }
}

void DatabaseBoot::publish(std::unique_ptr<Database> db) {
  std::function<void(Database&)> callback;
  Database* raw = db.get();
  {
    std::lock_guard lock(mutex_);
    database_ = std::move(db);
    last_error_.clear();
    callback = on_ready_;
  }
  if (callback) callback(*raw);
}

void DatabaseBoot::on_ready(std::function<void(Database&)> callback) {
  Database* ready = nullptr;
  {
    std::lock_guard lock(mutex_);
    on_ready_ = callback;
    ready = database_.get();
  }
  if (ready && callback) callback(*ready);
}

Database* DatabaseBoot::database() const {
  std::lock_guard lock(mutex_);
  return database_.get();
}

Task<Result<void>> DatabaseBoot::check() const {
  Database* db = nullptr;
  std::string why;
  {
    std::lock_guard lock(mutex_);
    db = database_.get();
    why = last_error_;
  }
  if (!db) co_return fail(Errc::unavailable, fmt::format("database not connected yet: {}", why));
  co_return co_await db->ping();
}

void DatabaseBoot::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::unique_ptr<Database> db;
  {
    std::lock_guard lock(mutex_);
    db = std::move(database_);
  }
  if (db) db->shutdown();
}

}  // namespace kb::store
