// Storage write throughput: single-row transactional writes per second through the real store
// (worker pool, unit of work, dialect), from several client threads.
// Usage: bench_storage <DATABASE_URL> <seconds> <threads> [sqlite-synchronous: full|normal]
// Prints one Markdown table row: | backend | scenario | threads | units/s | p50 ms | p99 ms |
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "core/log.hpp"
#include "store/open.hpp"

namespace {

using kb::store::Tx;
using Clock = std::chrono::steady_clock;

struct Outcome {
  std::uint64_t units = 0;
  std::vector<double> latencies_ms;
};

// Runs `unit(thread, i)` from `threads` threads for `seconds`.
template <class Unit>
Outcome measure(int threads, double seconds, Unit unit) {
  std::atomic<bool> stop{false};
  std::mutex mutex;
  Outcome total;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      std::vector<double> mine;
      for (std::uint64_t i = 0; !stop.load(); ++i) {
        auto started = Clock::now();
        if (!unit(t, i)) {
          std::fprintf(stderr, "unit failed\n");
          std::exit(1);
        }
        mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - started).count());
      }
      std::lock_guard lock(mutex);
      total.units += mine.size();
      total.latencies_ms.insert(total.latencies_ms.end(), mine.begin(), mine.end());
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : pool) t.join();
  return total;
}

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s <DATABASE_URL> <seconds> <threads> [full|normal]\n", argv[0]);
    return 2;
  }
  kb::log::configure(kb::log::Level::warn, kb::log::Format::text);
  std::string url = argv[1];
  double seconds = std::atof(argv[2]);
  int threads = std::atoi(argv[3]);
  bool full = argc < 5 || std::string(argv[4]) != "normal";
  kb::SystemClock clock;
  kb::store::DatabaseOptions o;
  o.url = url;
  o.sqlite_synchronous_full = full;
  o.pool_size = static_cast<std::size_t>(std::max(threads, 1));
  auto opened = kb::store::open_database(o, clock, nullptr);
  if (!opened) {
    std::fprintf(stderr, "open failed: %s\n", opened.error().message.c_str());
    return 1;
  }
  auto& db = **opened;
  std::string backend = db.dialect() == kb::store::db::Dialect::sqlite
                            ? fmt::format("SQLite (synchronous={})", full ? "full" : "normal")
                            : "PostgreSQL";
  // Users to write for: one per thread, so ledger units do not all queue on one wallet.
  for (int t = 0; t < threads; ++t)
    (void)db.transact_blocking<kb::store::UpsertedUser>([&](Tx& tx) {
      return tx.users().upsert_seen({1000 + t, std::nullopt, "bench", std::nullopt, std::nullopt},
                                    clock.now_ms());
    });
  std::string payload(300, 'x');
  auto run_id = clock.now_ms();

  auto inbox = measure(threads, seconds, [&](int t, std::uint64_t i) {
    auto id = static_cast<std::int64_t>((run_id % 1000000) * 100000000 + t * 10000000 + i);
    return db
        .transact_blocking<bool>([&](Tx& tx) {
          return tx.inbox().insert(id, fmt::format("chat{}", t), "message", payload,
                                   clock.now_ms());
        })
        .has_value();
  });
  auto ledger = measure(threads, seconds, [&](int t, std::uint64_t i) {
    auto key = fmt::format("bench:{}:{}:{}", run_id, t, i);
    return db
        .transact_blocking<kb::store::ApplyResult>([&](Tx& tx) {
          return tx.ledger().apply(
              kb::store::LedgerEntryDraft::credit(kb::store::LedgerKind::topup, 1000 + t, 1, key),
              clock.now_ms());
        })
        .has_value();
  });
  for (auto* row : {&inbox, &ledger}) {
    auto name = row == &inbox ? "inbox insert (1 row)" : "ledger credit (entry + wallet)";
    std::printf("| %s | %s | %d | %.0f | %.2f | %.2f |\n", backend.c_str(), name, threads,
                static_cast<double>(row->units) / seconds, percentile(row->latencies_ms, 0.5),
                percentile(row->latencies_ms, 0.99));
  }
  return 0;
}
