// Jobs in flight: N generation jobs confirmed at once against a slow fake provider (every task takes
// ten minutes of fake time), worked by one runner with its real scan loop, SQLite (or PostgreSQL
// with KIEBOT_BENCH_PG_URL). Reports resident memory while all N are in flight and the provider
// requests per job, with callbacks or by polling only. The fakes run in this process, so the
// memory figures are an upper bound for the bot alone.
// Usage: bench_jobs <jobs> <callbacks|polling>      Prints one Markdown table row:
// | mode | jobs | RSS idle MiB | RSS all in flight MiB | per job KiB | createTask/job | recordInfo/job | delivered | wall s |
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <future>
#include <string>
#include <thread>

#include <fmt/format.h>

#include "bot/i18n.hpp"
#include "bot/job_presenter.hpp"
#include "catalog/holder.hpp"
#include "catalog/load.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/log.hpp"
#include "kie/callback_route.hpp"
#include "kie/callback_verifier.hpp"
#include "kie/create_budget.hpp"
#include "kie/kie_client.hpp"
#include "net/builtin_endpoints.hpp"
#include "net/http_server.hpp"
#include "sandbox/fake_kie/fake_kie.hpp"
#include "sandbox/fake_telegram/fake_telegram.hpp"
#include "services/jobs/confirm.hpp"
#include "services/jobs/runner.hpp"
#include "store/open.hpp"
#include "telegram/client.hpp"

namespace {

using namespace kb;
using SteadyClock = std::chrono::steady_clock;

class PassThroughMedia final : public services::MediaResolver {
 public:
  Task<Result<std::vector<std::string>>> resolve(std::vector<std::string> refs) override { co_return refs; }
};

class PlainLinks final : public services::ResultLinks {
 public:
  std::string link_for(std::string_view url, std::string_view) override { return std::string(url); }
};

class NoSleep final : public kie::Sleeper {
 public:
  Task<void> sleep(std::chrono::milliseconds) override { co_return; }
};

template <class T>
T must(Result<T> r, const char* what) {
  if (!r) {
    std::fprintf(stderr, "bench_jobs: %s: %s\n", what, r.error().describe().c_str());
    std::exit(1);
  }
  if constexpr (!std::is_void_v<T>) return std::move(*r);
}

double mib(std::size_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

struct Counts {
  std::int64_t delivered = 0;
  std::int64_t submitted = 0;
  std::int64_t total = 0;
};

Counts count_jobs(store::Database& db) {
  return must(db.read_blocking<Counts>([](store::Tx& tx) -> Result<Counts> {
                Counts c;
                for (const auto& row : KB_TRY(tx.jobs().count_by_model_and_state_since(0))) {
                  c.total += row.count;
                  if (row.state == "delivered") c.delivered += row.count;
                  if (row.state == "submitted") c.submitted += row.count;
                }
                return c;
              }),
              "count jobs");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_jobs <jobs> <callbacks|polling>\n");
    return 2;
  }
  const int jobs = std::atoi(argv[1]);
  const bool callbacks = std::string(argv[2]) == "callbacks";
  log::configure(log::Level::warn, log::Format::text);

  auto dir = std::filesystem::temp_directory_path() / ("kiebot-bench-jobs-" + crypto::hex(crypto::random_bytes(6)));
  std::filesystem::create_directories(dir);
  FakeClock clock;
  asio::io_context io;
  auto guard = asio::make_work_guard(io);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) threads.emplace_back([&] { io.run(); });
  auto run = [&](std::function<Task<void>()> make) {
    std::promise<void> done;
    asio::co_spawn(io, [&]() -> Task<void> {
      co_await make();
      done.set_value();
    }, asio::detached);
    done.get_future().get();
  };

  net::HttpClient http;
  sandbox::FakeTelegramOptions tg_options;
  tg_options.clock = &clock;
  tg_options.limits.enabled = false;
  sandbox::FakeTelegram telegram(io, http, tg_options);
  must(telegram.start(), "fake telegram");

  sandbox::FakeKieOptions kie_options;
  kie_options.clock = &clock;
  kie_options.create_limit_per_10s = 1'000'000;
  kie_options.credits = 1e12;
  sandbox::FakeKie kie(io, http, kie_options);
  must(kie.start(), "fake kie");
  sandbox::Lifecycle slow;
  slow.finish_after_ms = 10 * 60'000;
  slow.callbacks = callbacks ? 1 : 0;
  kie.set_lifecycle("*", slow);

  store::DatabaseOptions db_options;
  const char* pg = std::getenv("KIEBOT_BENCH_PG_URL");
  db_options.url = pg && *pg ? std::string(pg) : "sqlite://" + (dir / "kiebot.db").string();
  auto db = must(store::open_database(db_options, clock, nullptr), "database");

  telegram::ClientConfig bot_config;
  bot_config.token = telegram.token();
  bot_config.api_url = telegram.api_url();
  bot_config.limits.global_per_second = 1e6;
  bot_config.limits.global_burst = 1e6;
  bot_config.limits.chat_per_second = 1e6;
  bot_config.limits.chat_burst = 1e6;
  telegram::BotClient bot(io.get_executor(), http, bot_config);

  kie::LocalCreateBudget budget(1'000'000, std::chrono::seconds(10), clock);
  NoSleep sleeper;
  kie::KieClientOptions kie_client_options;
  kie_client_options.api_key = kie_options.api_key;
  kie_client_options.base_url = kie.base_url();
  kie_client_options.upload_base_url = kie.base_url();
  kie::KieClient kie_client(http, kie_client_options, budget, sleeper, clock);

  auto loaded = catalog::load_catalog({});
  if (!loaded.ok()) return 1;
  catalog::CatalogHolder catalog(loaded.catalog);
  auto texts = must(bot::Texts::load(""), "texts");
  bot::TextJobPresenter presenter(texts);
  PassThroughMedia media;
  PlainLinks links;

  net::Router router;
  kie::CallbackVerifierOptions verifier_options;
  verifier_options.token = "bench-callback-token";
  kie::CallbackVerifier verifier(verifier_options, clock);
  net::HttpServer callback_server(io, {}, router);
  auto port = must(callback_server.listen("127.0.0.1", 0), "callback server");
  callback_server.start();

  services::RunnerOptions options;
  options.owner = "bench";
  options.batch = 256;
  options.max_parallel = 256;
  options.scan_interval_ms = 50;
  options.progress_interval_ms = 60'000;
  if (callbacks) options.callback_url = verifier.callback_url(fmt::format("http://127.0.0.1:{}", port));
  services::JobRunner runner(
      services::RunnerDeps{*db, kie_client, bot, http, catalog, media, links, presenter, clock, nullptr}, options);
  kie::add_kie_callback_route(router, verifier, runner);

  // Users with two jobs each (the default per-user limit), all confirmed before the runner starts.
  auto cat = catalog.get();
  const catalog::Model* model = cat->find("flux-2/pro-text-to-image");
  const auto rss_idle = net::resident_memory_bytes();
  for (int i = 0; i < jobs; ++i) {
    static std::int64_t user_id = 0;
    if (i % 2 == 0) user_id = telegram.make_user(fmt::format("u{}", i / 2), "ru").id;
    must(db->transact_blocking<bool>([&](store::Tx& tx) -> Result<bool> {
           auto now = clock.now_ms();
           if (i % 2 == 0) {
             store::TelegramProfile p;
             p.id = user_id;
             p.first_name = "bench";
             p.language_code = "ru";
             KB_TRY(tx.users().upsert_seen(p, now));
             KB_TRY(tx.ledger().apply(store::LedgerEntryDraft::credit(store::LedgerKind::topup, user_id, 1000'00,
                                                                      fmt::format("bench-topup:{}", user_id)),
                                      now));
           }
           services::ConfirmRequest r;
           r.user_id = user_id;
           r.chat_id = user_id;
           r.model = model;
           r.values = {{"prompt", std::string("a lighthouse at dawn")}};
           r.idempotency_key = fmt::format("bench-{}", i);
           r.max_active_jobs = 2;
           auto confirmed = KB_TRY(services::confirm_job(tx, r, now));
           return confirmed.status == services::ConfirmStatus::created;
         }),
         "confirm");
  }

  const auto started = SteadyClock::now();
  runner.start(io.get_executor());
  // Fake time moves one second at a time, and only once the runner has worked off everything due:
  // so every job is polled and called back exactly on its schedule, however slow this machine is.
  auto due_now = [&] {
    return must(db->read_blocking<std::int64_t>([&](store::Tx& tx) { return tx.jobs().count_due(clock.now_ms()); }),
                "count due");
  };
  auto step = [&] {
    for (int i = 0; i < 6000 && due_now() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    clock.advance(std::chrono::seconds(1));
    kie.tick();
    runner.wake();
  };
  std::size_t rss_in_flight = 0;
  while (count_jobs(*db).submitted < jobs) {
    step();
    rss_in_flight = std::max(rss_in_flight, net::resident_memory_bytes());
  }
  while (count_jobs(*db).delivered < jobs) {
    step();
    rss_in_flight = std::max(rss_in_flight, net::resident_memory_bytes());
  }
  const double wall = std::chrono::duration<double>(SteadyClock::now() - started).count();

  run([&]() -> Task<void> { co_await runner.stop(std::chrono::seconds(10)); });
  const double creates = static_cast<double>(kie.calls("createTask")) / jobs;
  const double records = static_cast<double>(kie.calls("recordInfo")) / jobs;
  std::printf("| %s | %d | %.1f | %.1f | %.1f | %.2f | %.2f | %lld | %.1f |\n", callbacks ? "callbacks" : "polling only",
              jobs, mib(rss_idle), mib(rss_in_flight),
              static_cast<double>(rss_in_flight - std::min(rss_in_flight, rss_idle)) / 1024.0 / jobs, creates, records,
              static_cast<long long>(count_jobs(*db).delivered), wall);
  std::fflush(stdout);

  run([&]() -> Task<void> {
    co_await callback_server.drain(std::chrono::seconds(2));
    co_await kie.stop();
    co_await telegram.stop();
  });
  guard.reset();
  io.stop();
  for (auto& t : threads) t.join();
  db.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  std::_Exit(0);
}
