// Jobs in flight, measured on the real server: `kiebot serve` runs as its own process, configured
// by environment only, against a fake Bot API and a fake provider that this process serves on
// loopback. N generation jobs are confirmed by confirm_job (the function the bot's Generate
// button calls) into the server's database while it runs; every provider task takes ten minutes
// of real time. Reports the server's resident memory (from /proc/<pid>/status, so nothing of the
// fakes or of this driver) idle, with the most jobs in flight and at its peak, and the provider
// requests per job, with callbacks (webhook mode) or by polling only (no public URL).
// Usage: bench_jobs <kiebot binary> <jobs> <callbacks|polling>      Prints one Markdown table row:
// | mode | jobs | RSS idle | RSS most in flight | peak RSS | KiB/job | most in flight |
// createTask/job | recordInfo/job | delivered | wall s | BENCH_JOBS_TASK_SECONDS (600) sets the
// task duration; KIEBOT_BENCH_PG_URL puts the server on PostgreSQL; BENCH_JOBS_BREAKDOWN=<file>
// appends where the resident memory is (idle and with the most jobs in flight) as Markdown rows;
// BENCH_JOBS_SERVER_ENV adds variables to the server's environment (analysis runs: an allocator
// setting, a heaptrack preload).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <fmt/format.h>

#include "catalog/load.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "proc.hpp"
#include "sandbox/fake_kie/fake_kie.hpp"
#include "sandbox/fake_telegram/fake_telegram.hpp"
#include "services/jobs/confirm.hpp"
#include "store/open.hpp"
#include "support/async_test.hpp"
#include "support/child_process.hpp"
#include "support/must.hpp"
#include "support/serve_env.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace kb;
using SteadyClock = std::chrono::steady_clock;

using kb::test::must;

double mib(std::size_t bytes) {
  return static_cast<double>(bytes) / (1024.0 * 1024.0);
}

struct Counts {
  std::int64_t submitted = 0;  // at the provider
  std::int64_t delivered = 0;
  std::int64_t ended = 0;  // any terminal state
};

Counts count_jobs(store::Database& db) {
  return must(db.read_blocking<Counts>([](store::Tx& tx) -> Result<Counts> {
    Counts c;
    for (const auto& row : KB_TRY(tx.jobs().count_by_model_and_state_since(0))) {
      if (row.state == "submitted") c.submitted += row.count;
      if (row.state == "delivered") c.delivered += row.count;
      if (row.state == "delivered" || row.state == "failed" || row.state == "expired" ||
          row.state == "cancelled")
        c.ended += row.count;
    }
    return c;
  }));
}

// Users with two jobs each (the default per-user limit), each user in its own transaction, the way
// a Generate press commits its job.
void confirm_jobs(store::Database& db, const std::vector<std::int64_t>& users, int jobs) {
  auto loaded = catalog::load_catalog({});
  if (!loaded.ok()) throw std::runtime_error("the built-in catalog does not load");
  const catalog::Model* model = loaded.catalog->find("flux-2/pro-text-to-image");
  if (!model) throw std::runtime_error("flux-2/pro-text-to-image is not in the catalog");
  SystemClock clock;
  for (std::size_t u = 0; u < users.size(); ++u) {
    const std::int64_t user_id = users[u];
    const int first = static_cast<int>(u) * 2;
    must(db.transact_blocking<bool>([&](store::Tx& tx) -> Result<bool> {
      auto now = clock.now_ms();
      store::TelegramProfile p;
      p.id = user_id;
      p.first_name = "bench";
      p.language_code = "ru";
      KB_TRY(tx.users().upsert_seen(p, now));
      KB_TRY(tx.ledger().apply(
          store::LedgerEntryDraft::credit(store::LedgerKind::topup, user_id, 1000'00,
                                          fmt::format("bench-topup:{}", user_id)),
          now));
      for (int i = first; i < std::min(first + 2, jobs); ++i) {
        services::ConfirmRequest r;
        r.user_id = user_id;
        r.chat_id = user_id;
        r.model = model;
        r.values = {{"prompt", std::string("a lighthouse at dawn")}};
        r.idempotency_key = fmt::format("bench-{}", i);
        r.max_active_jobs = 2;
        auto confirmed = KB_TRY(services::confirm_job(tx, r, now));
        if (confirmed.status != services::ConfirmStatus::created)
          return fail(Errc::internal, "confirm did not create a job");
      }
      return true;
    }));
  }
}

// One Markdown row of where the resident memory of `pid` is.
std::string breakdown_row(const std::string& mode, const std::string& moment, pid_t pid) {
  auto st = bench::proc_status(pid);
  std::size_t heap = 0, anon = 0, binary = 0, libs = 0;
  for (const auto& [name, bytes] : bench::resident_by_mapping(pid)) {
    if (name == "[heap]")
      heap += bytes;
    else if (name == "anon")
      anon += bytes;
    else if (name.ends_with("/kiebot"))
      binary += bytes;
    else
      libs += bytes;
  }
  return fmt::format(
      "| {} | {} | {:.1f} | {:.1f} | {:.1f} | {:.1f} | {:.1f} | {:.1f} | {:.1f} | {} |\n", mode,
      moment, mib(st["VmRSS"]), mib(st["RssAnon"]), mib(st["RssFile"]), mib(heap), mib(anon),
      mib(binary), mib(libs), st["Threads"]);
}

struct Args {
  std::string binary;
  int jobs = 0;
  bool callbacks = false;
};

int run(const Args& a) {
  const std::string mode = a.callbacks ? "callbacks" : "polling only";
  const char* task_env = std::getenv("BENCH_JOBS_TASK_SECONDS");
  const int task_seconds = task_env && *task_env ? std::atoi(task_env) : 600;
  const char* pg = std::getenv("KIEBOT_BENCH_PG_URL");
  const char* breakdown_path = std::getenv("BENCH_JOBS_BREAKDOWN");
  test::TempDir dir("kiebot-bench-jobs-");
  test::IoThread io(2);

  // The fakes: on the system clock, without rate limits of their own (the bot's are configured).
  net::HttpClient http;
  sandbox::FakeTelegramOptions tg_options;
  tg_options.limits.enabled = false;
  sandbox::FakeTelegram telegram(io.io(), http, tg_options);
  must(telegram.start());
  sandbox::FakeKieOptions kie_options;
  kie_options.create_limit_per_10s = 1'000'000;
  kie_options.credits = 1e12;
  sandbox::FakeKie kie(io.io(), http, kie_options);
  must(kie.start());
  sandbox::Lifecycle slow;
  slow.finish_after_ms = task_seconds * 1000;
  slow.callbacks = a.callbacks ? 1 : 0;
  kie.set_lifecycle("*", slow);
  std::vector<std::int64_t> users;
  for (int i = 0; i < (a.jobs + 1) / 2; ++i)
    users.push_back(telegram.make_user(fmt::format("u{}", i), "ru").id);

  // The server as an operator configures it, at the default log level; only the provider's and
  // Telegram's rate budgets are raised (KIE allows 20 creations per 10 s, here 1 000; Telegram
  // about 30 messages/s): at the real budgets 10 000 jobs could not all be in flight at once.
  const auto port = store::test::free_tcp_port();
  auto env = test::serve_env(telegram, &kie, port, dir.path(), "bench-webhook-secret");
  env["LOG_LEVEL"] = "info";
  env["KIE_CREATE_PER_10S"] = "1000";
  env["TELEGRAM_GLOBAL_RATE"] = "100000";
  if (pg && *pg) env["DATABASE_URL"] = pg;
  // Without a public URL the bot long-polls Telegram and gives the provider no callback URL.
  if (!a.callbacks) {
    env.erase("WEBHOOK_BASE_URL");
    env["BOT_MODE"] = "polling";
  }
  // For analysis runs: more variables for the server ("MALLOC_ARENA_MAX=1 LD_PRELOAD=…").
  if (const char* extra = std::getenv("BENCH_JOBS_SERVER_ENV")) {
    std::istringstream words(extra);
    for (std::string word; words >> word;)
      if (auto eq = word.find('='); eq != std::string::npos)
        env[word.substr(0, eq)] = word.substr(eq + 1);
  }
  store::test::ChildProcess server({a.binary, "serve"}, env);
  auto tail_of_log = [&] {
    auto text = server.output();
    return text.substr(text.size() > 3000 ? text.size() - 3000 : 0);
  };
  if (!store::test::wait_ready(port, std::chrono::seconds(30)))
    throw std::runtime_error("kiebot serve did not become ready:\n" + tail_of_log());
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const auto rss_idle = bench::proc_status(server.pid())["VmRSS"];
  std::string breakdown = breakdown_path ? breakdown_row(mode, "idle", server.pid()) : "";

  store::DatabaseOptions db_options;
  db_options.url = pg && *pg ? std::string(pg) : "sqlite://" + (dir.path() / "kiebot.db").string();
  db_options.migrate = false;
  db_options.sqlite_instance_lock = false;  // the server holds it; WAL lets both write
  db_options.pool_size = 1;
  SystemClock clock;
  auto db = must(store::open_database(db_options, clock, nullptr));

  const auto started = SteadyClock::now();
  std::atomic<bool> confirmed{false};
  std::thread confirmer([&] {
    confirm_jobs(*db, users, a.jobs);
    confirmed = true;
  });
  struct Join {
    std::thread& t;
    ~Join() { t.join(); }
  } join_confirmer{confirmer};

  // Sample the server's memory four times a second and the job states once a second until every
  // job has ended. "Most in flight" is the largest number of jobs at the provider at one time; its
  // RSS is the highest sample taken while that many were.
  std::int64_t most_in_flight = 0;
  std::size_t rss_most_in_flight = 0;
  const auto deadline = started + std::chrono::seconds(task_seconds * 3 + 1800);
  for (int tick = 0;; ++tick) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    if (!server.running()) throw std::runtime_error("kiebot serve exited:\n" + tail_of_log());
    if (SteadyClock::now() > deadline) throw std::runtime_error("the jobs did not end in time");
    const auto rss = bench::proc_status(server.pid())["VmRSS"];
    if (tick % 4 != 0) continue;
    const auto c = count_jobs(*db);
    if (c.submitted > most_in_flight) {
      most_in_flight = c.submitted;
      rss_most_in_flight = rss;
      if (breakdown_path && most_in_flight == a.jobs)
        breakdown += breakdown_row(mode, fmt::format("{} in flight", a.jobs), server.pid());
    } else if (c.submitted == most_in_flight) {
      rss_most_in_flight = std::max(rss_most_in_flight, rss);
    }
    if (confirmed && c.ended == a.jobs) break;
  }
  const double wall = std::chrono::duration<double>(SteadyClock::now() - started).count();
  const auto peak = bench::proc_status(server.pid())["VmHWM"];
  const auto delivered = count_jobs(*db).delivered;
  server.terminate();
  if (!server.wait(std::chrono::seconds(60)))
    throw std::runtime_error("kiebot serve did not stop on SIGTERM");

  const double creates = static_cast<double>(kie.calls("createTask")) / a.jobs;
  const double records = static_cast<double>(kie.calls("recordInfo")) / a.jobs;
  const auto grown = rss_most_in_flight - std::min(rss_most_in_flight, rss_idle);
  const double per_job =
      most_in_flight > 0 ? static_cast<double>(grown) / 1024.0 / static_cast<double>(most_in_flight)
                         : 0.0;
  std::printf("| %s | %d | %.1f | %.1f | %.1f | %.2f | %lld | %.2f | %.2f | %lld | %.0f |\n",
              mode.c_str(), a.jobs, mib(rss_idle), mib(rss_most_in_flight), mib(peak), per_job,
              static_cast<long long>(most_in_flight), creates, records,
              static_cast<long long>(delivered), wall);
  std::fflush(stdout);
  if (breakdown_path) std::ofstream(breakdown_path, std::ios::app) << breakdown;

  db.reset();
  io.run<void>([&]() -> Task<void> {
    co_await kie.stop();
    co_await telegram.stop();
  });
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: bench_jobs <kiebot binary> <jobs> <callbacks|polling>\n");
    return 2;
  }
  log::configure(log::Level::warn, log::Format::text);
  try {
    return run({std::filesystem::absolute(argv[1]).string(), std::atoi(argv[2]),
                std::string(argv[3]) == "callbacks"});
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_jobs: %s\n", e.what());
    return 1;
  }
}
