// Wiring of the runner harness.
#include "runner_harness.hpp"

#include <thread>

#include <fmt/format.h>

#include "catalog/load.hpp"
#include "core/crypto.hpp"
#include "support/must.hpp"

namespace kb::test {

namespace {}  // namespace

RunnerHarness::RunnerHarness(RunnerHarnessOptions options) {
  dir_ = std::filesystem::temp_directory_path() /
         ("kiebot-runner-" + crypto::hex(crypto::random_bytes(6)));
  std::filesystem::create_directories(dir_);

  sandbox::FakeTelegramOptions tg_options;
  tg_options.clock = &clock;
  tg_options.limits.global_per_second = 1000;
  tg_options.limits.chat_per_second = 1000;
  // The fake's buckets refill on the fake clock, which only moves between steps.
  tg_options.limits.global_burst = 100'000;
  tg_options.limits.chat_burst = 100'000;
  telegram = std::make_unique<sandbox::FakeTelegram>(io.io(), http, tg_options);
  must(telegram->start());

  sandbox::FakeKieOptions kie_options;
  kie_options.clock = &clock;
  kie = std::make_unique<sandbox::FakeKie>(io.io(), http, kie_options);
  must(kie->start());

  store::DatabaseOptions db_options;
  database_url = options.database_url.empty() ? "sqlite://" + (dir_ / "kiebot.db").string()
                                              : options.database_url;
  db_options.url = database_url;
  db = must(store::open_database(db_options, clock, nullptr));

  telegram::ClientConfig bot_config;
  bot_config.token = telegram->token();
  bot_config.api_url = telegram->api_url();
  bot_config.limits.global_per_second = 1000;
  bot_config.limits.global_burst = 1000;
  bot_config.limits.chat_per_second = 1000;
  bot_config.limits.chat_burst = 1000;
  // The client's own retries wait real time; the runner's backoff runs on the fake clock, so a
  // long Telegram outage costs the tests no real waiting.
  bot_config.retry.initial_backoff = std::chrono::milliseconds(1);
  bot_config.retry.max_backoff = std::chrono::milliseconds(1);
  bot = std::make_unique<telegram::BotClient>(io.io().get_executor(), http, bot_config);

  budget = std::make_unique<kie::LocalCreateBudget>(1000, std::chrono::seconds(10), clock);
  kie::KieClientOptions kie_client_options;
  kie_client_options.api_key = kie_options.api_key;
  kie_client_options.base_url = kie->base_url();
  kie_client_options.upload_base_url = kie->base_url();
  kie_client_options.request_timeout = std::chrono::milliseconds(2000);
  kie_client = std::make_unique<kie::KieClient>(http, kie_client_options, *budget, sleeper, clock);

  auto loaded = catalog::load_catalog({});
  if (!loaded.ok()) throw std::runtime_error("catalog: " + loaded.errors.front());
  catalog = std::make_unique<catalog::CatalogHolder>(loaded.catalog);
  texts = std::make_unique<bot::Texts>(must(bot::Texts::load("")));
  presenter = std::make_unique<bot::TextJobPresenter>(*texts);

  services::RunnerOptions runner_options;
  runner_options.owner = options.owner;
  runner_options.poll = options.poll;
  runner_options.progress_interval_ms = 0;
  callbacks_ = options.callbacks;
  if (callbacks_) {
    kie::CallbackVerifierOptions verifier_options;
    verifier_options.token = "cb-token-for-tests";
    verifier = std::make_unique<kie::CallbackVerifier>(verifier_options, clock);
    callback_server = std::make_unique<TestServer>(callback_router);
    runner_options.callback_url = verifier->callback_url(callback_server->url());
  }
  runner_options_ = runner_options;
  // Not started: run_until sends what a step stored (sweep_once), so a test sees it at once.
  outbox = std::make_unique<services::OutboxSender>(*db, *bot, clock);
  runner = std::make_unique<services::JobRunner>(
      services::RunnerDeps{*db, *kie_client, *bot, http, *catalog, media, links, *presenter, clock,
                           *outbox, nullptr},
      runner_options);
  if (callbacks_) {
    kie::add_kie_callback_route(callback_router, *verifier, *runner);
    // Callback hints are handled on the runner's executor.
    runner->start(io.io().get_executor());
  }
}

RunnerHarness::~RunnerHarness() {
  if (callbacks_) io.run<void>([this]() { return runner->stop(std::chrono::seconds(5)); });
  callback_server.reset();
  runner.reset();
  io.run<void>([this]() -> Task<void> { co_await outbox->stop(std::chrono::milliseconds(500)); });
  outbox.reset();
  io.run<void>([this]() -> Task<void> {
    co_await kie->stop();
    co_await telegram->stop();
  });
  bot.reset();
  db.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

sandbox::tg::User RunnerHarness::user_with_balance(Kopecks kopecks) {
  auto user = telegram->make_user("Alice", "ru");
  auto now = clock.now_ms();
  must(db->transact_blocking<bool>([&](store::Tx& tx) -> Result<bool> {
    store::TelegramProfile p;
    p.id = user.id;
    p.first_name = user.first_name;
    p.language_code = "ru";
    KB_TRY(tx.users().upsert_seen(p, now));
    if (kopecks > 0)
      KB_TRY(tx.ledger().apply(
          store::LedgerEntryDraft::credit(store::LedgerKind::topup, user.id, kopecks,
                                          fmt::format("test-topup:{}", user.id)),
          now));
    return true;
  }));
  return user;
}

services::ConfirmResult RunnerHarness::confirm(const sandbox::tg::User& user,
                                               const std::string& model_id,
                                               catalog::InputValues values, std::string key) {
  auto cat = catalog->get();
  services::ConfirmRequest r;
  r.user_id = user.id;
  r.chat_id = user.id;
  r.model = cat->find(model_id);
  if (!r.model) throw std::runtime_error("no model " + model_id);
  r.values = std::move(values);
  r.idempotency_key = key.empty() ? fmt::format("test-confirm-{}", next_key_++) : key;
  r.max_active_jobs = 10;
  r.free = free;
  auto now = clock.now_ms();
  return must(db->transact_blocking<services::ConfirmResult>(
      [&](store::Tx& tx) { return services::confirm_job(tx, r, now); }));
}

bool RunnerHarness::run_until(const std::function<bool()>& done, int max_steps,
                              std::chrono::milliseconds step) {
  for (int i = 0; i < max_steps; ++i) {
    io.run<int>([this]() { return runner->run_once(); });
    io.run<int>([this]() { return outbox->sweep_once(); });  // the notices the step stored
    if (done()) return true;
    clock.advance(step);
    kie->tick();
    telegram->tick();
    // Let callbacks sent by the tick reach the endpoint and become hints (real HTTP).
    if (callbacks_) std::this_thread::sleep_for(std::chrono::milliseconds(30));
  }
  return done();
}

RunnerHarness::Instance RunnerHarness::another_instance(const std::string& owner) {
  Instance instance;
  store::DatabaseOptions db_options;
  db_options.url = database_url;
  instance.db = must(store::open_database(db_options, clock, nullptr));
  auto options = runner_options_;
  options.owner = owner;
  instance.runner = std::make_unique<services::JobRunner>(
      services::RunnerDeps{*instance.db, *kie_client, *bot, http, *catalog, media, links,
                           *presenter, clock, *outbox, nullptr},
      options);
  return instance;
}

store::Job RunnerHarness::job(std::int64_t id) {
  return *must(db->read_blocking<std::optional<store::Job>>(
      [&](store::Tx& tx) { return tx.jobs().get(id); }));
}

store::Balance RunnerHarness::balance(std::int64_t user_id) {
  return must(db->read_blocking<store::Balance>(
      [&](store::Tx& tx) { return tx.ledger().balance(user_id); }));
}

std::vector<store::Delivery> RunnerHarness::deliveries(std::int64_t job_id) {
  return must(db->read_blocking<std::vector<store::Delivery>>(
      [&](store::Tx& tx) { return tx.jobs().deliveries(job_id); }));
}

}  // namespace kb::test
