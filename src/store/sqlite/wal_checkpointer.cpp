#include "store/sqlite/wal_checkpointer.hpp"

#include <sqlite3.h>

#include <chrono>
#include <string>
#include <utility>

#include "core/log.hpp"

namespace kb::store::sqlite {

WalCheckpointer::WalCheckpointer(Opener open, WalCheckpointerOptions options)
    : open_(std::move(open)), options_(options) {}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wakeup_.notify_one();
  if (thread_.joinable()) thread_.join();
  if (connection_) sqlite3_close_v2(connection_);
}

void WalCheckpointer::attach(sqlite3* connection) {
  sqlite3_wal_hook(connection, &WalCheckpointer::on_commit, this);
}

int WalCheckpointer::on_commit(void* self_ptr, sqlite3* connection, const char* schema,
                               int log_pages) {
  auto* self = static_cast<WalCheckpointer*>(self_ptr);
  self->last_log_pages_.store(log_pages);
  if (log_pages >= self->options_.inline_pages) {
    // The background is behind: bound the log here, as SQLite's own rule would. A busy or failed
    // checkpoint is not the commit's failure (the transaction is already durable).
    if (sqlite3_wal_checkpoint_v2(connection, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                  nullptr) == SQLITE_OK)
      self->inline_.fetch_add(1);
  } else if (log_pages >= self->options_.wake_pages) {
    self->wake();
  }
  return SQLITE_OK;
}

void WalCheckpointer::wake() {
  {
    std::lock_guard lock(mutex_);
    if (requested_ || stopping_) return;
    requested_ = true;
    // Started at the first wake-up: a process that never writes 1 000 pages (the CLI, a migration,
    // a quiet bot) never has the thread.
    if (!thread_.joinable()) {
      try {
        thread_ = std::thread([this] { run(); });
      } catch (const std::exception& e) {
        // No thread (not tried again: requested_ stays set): commits past the inline limit bound
        // the log.
        log::warn("sqlite_checkpointer_not_started", {{"error", e.what()}});
        return;
      }
    }
  }
  wakeup_.notify_one();
}

void WalCheckpointer::run() {
  int failures = 0;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wakeup_.wait(lock, [this] { return requested_ || stopping_; });
      if (stopping_) return;
      requested_ = false;
    }
    auto error = checkpoint_once();
    if (error.empty()) {
      failures = 0;
      continue;
    }
    if (failures++ % 100 == 0) {  // the first and every 100th of a run of failures
      log::warn("sqlite_checkpoint_failed",
                {{"error", error},
                 {"failures", failures},
                 {"hint", "commits checkpoint themselves past the limit; the log stays bounded"}});
    }
    // Not again at every commit: a second's pause (cut short by the stop).
    std::unique_lock lock(mutex_);
    wakeup_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
  }
}

std::string WalCheckpointer::checkpoint_once() {
  if (!connection_) {
    connection_ = open_();
    if (!connection_) return "cannot open the database";
    // A connection that has read nothing has not opened the log yet, and its checkpoint would do
    // nothing: one read opens it (it stays open with the connection).
    if (sqlite3_exec(connection_, "PRAGMA schema_version", nullptr, nullptr, nullptr) != SQLITE_OK) {
      std::string error = sqlite3_errmsg(connection_);
      sqlite3_close_v2(connection_);
      connection_ = nullptr;
      return error;
    }
  }
  int rc = sqlite3_wal_checkpoint_v2(connection_, "main", SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                     nullptr);
  if (rc == SQLITE_OK) {
    background_.fetch_add(1);
    return {};
  }
  // Busy: a commit past the inline limit (or another process) is checkpointing; it does the work.
  if ((rc & 0xff) == SQLITE_BUSY) return {};
  std::string error = sqlite3_errmsg(connection_);
  if ((rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_CANTOPEN) {
    sqlite3_close_v2(connection_);  // reopened next time (file replaced, disk back)
    connection_ = nullptr;
  }
  return error.empty() ? "checkpoint failed" : error;
}

}  // namespace kb::store::sqlite
