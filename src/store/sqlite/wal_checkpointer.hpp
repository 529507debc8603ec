// WalCheckpointer: copies the write-ahead log back into the database file on its own thread and
// connection, so a committing writer never pays for a checkpoint (copying up to a thousand pages
// and the database file's fsync, tens of milliseconds on a slow disk) while the webhook requests
// behind it wait. SQLite's own rule (a PASSIVE checkpoint by the committing connection once the
// log holds 1 000 pages) is replaced on every writing connection through sqlite3_wal_hook:
// - past `wake_pages` the commit only wakes the checkpointer (a notify, no I/O);
// - past `inline_pages` (the checkpointer cannot keep up, or cannot open the file) the committing
//   connection checkpoints itself, as SQLite would, so the log stays bounded whatever happens.
// The log restarts from its beginning at the first write after a checkpoint that copied it all.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

struct sqlite3;

namespace kb::store::sqlite {

struct WalCheckpointerOptions {
  int wake_pages = 1000;    // SQLite's default auto-checkpoint threshold
  int inline_pages = 8000;  // ~32 MB of log with 4 KB pages
};

class WalCheckpointer {
 public:
  // `open` returns a new read-write connection to the database (nullptr when it cannot); it is
  // called on the checkpointer's thread, again after a failure.
  using Opener = std::function<sqlite3*()>;

  WalCheckpointer(Opener open, WalCheckpointerOptions options);
  ~WalCheckpointer();  // stops and joins the thread, closes its connection
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Installs the commit hook on a writing connection. The checkpointer must outlive it.
  void attach(sqlite3* connection);

  // Observations (tests, diagnostics).
  std::uint64_t background_checkpoints() const { return background_.load(); }
  std::uint64_t inline_checkpoints() const { return inline_.load(); }
  int last_log_pages() const { return last_log_pages_.load(); }

 private:
  static int on_commit(void* self, sqlite3* connection, const char* schema, int log_pages);
  void wake();
  void run();
  std::string checkpoint_once();  // "" when done, else what went wrong

  Opener open_;
  WalCheckpointerOptions options_;
  std::mutex mutex_;
  std::condition_variable wakeup_;
  bool requested_ = false;
  bool stopping_ = false;
  sqlite3* connection_ = nullptr;  // the thread's own; touched only by the thread
  std::atomic<std::uint64_t> background_{0};
  std::atomic<std::uint64_t> inline_{0};
  std::atomic<int> last_log_pages_{0};
  std::thread thread_;  // started by the first wake-up
};

}  // namespace kb::store::sqlite
