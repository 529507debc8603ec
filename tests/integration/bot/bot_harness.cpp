// Wiring of the bot harness.
#include "bot_harness.hpp"

#include <fmt/format.h>

#include "catalog/load.hpp"
#include "core/crypto.hpp"
#include "telegram/parse.hpp"
#include "support/must.hpp"

namespace kb::test {
namespace {

class NoSleepForBot final : public kie::Sleeper {
 public:
  Task<void> sleep(std::chrono::milliseconds) override { co_return; }
};

class LinkToProvider final : public services::ResultLinks {
 public:
  std::string link_for(std::string_view url, std::string_view) override { return std::string(url); }
};

}  // namespace

BotHarness::BotHarness(BotHarnessOptions o) : options(std::move(o)) {
  dir_ = options.dir;
  if (dir_.empty()) {
    dir_ = std::filesystem::temp_directory_path() /
           ("kiebot-bot-" + crypto::hex(crypto::random_bytes(6)));
    own_dir_ = true;
  }
  std::filesystem::create_directories(dir_);

  sandbox::FakeTelegramOptions tg_options;
  tg_options.clock = &clock;
  tg_options.limits.enabled = false;
  telegram = std::make_unique<sandbox::FakeTelegram>(io.io(), http, tg_options);
  must(telegram->start());

  sandbox::FakeKieOptions kie_options;
  kie_options.clock = &clock;
  kie = std::make_unique<sandbox::FakeKie>(io.io(), http, kie_options);
  must(kie->start());

  store::DatabaseOptions db_options;
  db_options.url = options.database_url.empty() ? "sqlite://" + (dir_ / "kiebot.db").string()
                                                : options.database_url;
  db_options.sqlite_synchronous_full = false;
  db = must(store::open_database(db_options, clock, nullptr));

  telegram::ClientConfig bot_config;
  bot_config.token = telegram->token();
  bot_config.api_url = telegram->api_url();
  bot_config.file_url = telegram->file_url();
  bot_config.limits.global_per_second = 1000;
  bot_config.limits.global_burst = 1000;
  bot_config.limits.chat_per_second = 1000;
  bot_config.limits.chat_burst = 1000;
  bot = std::make_unique<telegram::BotClient>(io.io().get_executor(), http, bot_config);

  budget = std::make_unique<kie::LocalCreateBudget>(1000, std::chrono::seconds(10), clock);
  kie::KieClientOptions kie_client_options;
  kie_client_options.api_key = kie_options.api_key;
  kie_client_options.base_url = kie->base_url();
  kie_client_options.upload_base_url = kie->base_url();
  kie_client_options.request_timeout = std::chrono::milliseconds(5000);
  static NoSleepForBot sleeper;
  kie_client = std::make_unique<kie::KieClient>(http, kie_client_options, *budget, sleeper, clock);

  auto loaded = catalog::load_catalog({});
  if (!loaded.ok()) throw std::runtime_error("catalog: " + loaded.errors.front());
  catalog = std::make_unique<catalog::CatalogHolder>(loaded.catalog);
  texts = std::make_unique<bot::Texts>(must(bot::Texts::load("")));
  texts->set_globals({{"brand", "Studio"}, {"support", "@studio_help"}});
  presenter = std::make_unique<bot::TextJobPresenter>(*texts);

  signer = std::make_unique<services::MediaTokenSigner>("media-secret-for-bot-tests-0123456789");
  proxy = std::make_unique<services::MediaProxy>(*db, *bot, http, *signer, clock);
  services::add_media_routes(router, *proxy);
  server = std::make_unique<TestServer>(router, net::ServerOptions{}, nullptr, 2);
  resolver = std::make_unique<services::ProxyMediaResolver>(
      *db, *signer, clock,
      services::ProxyResolverOptions{server->url(""), std::chrono::seconds(7200)});
  links = std::make_unique<LinkToProvider>();

  settings.money.free.daily_limit = options.free_daily_limit;
  settings.money.stars.packages = {{100'00, 70}, {300'00, 200}, {1000'00, 650}};
  settings.money.referral.kind = services::ReferralSettings::Kind::free_generations;
  settings.money.referral.amount = 3;
  settings.money.manual.details = options.transfer_details;
  settings.rate = options.rate_limits ? options.rate : domain::BucketConfig{1'000'000, 1'000'000};
  settings.bot_username = [] { return std::string("genart_test_bot"); };

  services::RunnerOptions runner_options;
  runner_options.owner = "bot-test-runner";
  runner_options.progress_interval_ms = 0;
  runner_options.referral = settings.money.referral;
  outbox = std::make_unique<services::OutboxSender>(*db, *bot, clock);
  bot::ConversationHandler::register_hooks(*outbox);
  outbox->start(io.io().get_executor());

  runner = std::make_unique<services::JobRunner>(
      services::RunnerDeps{*db, *kie_client, *bot, http, *catalog, *resolver, *links, *presenter,
                           clock, *outbox, nullptr},
      runner_options);

  handler = std::make_unique<bot::ConversationHandler>(bot::ConversationDeps{
      *db, clock, *catalog, *texts, settings, outbox.get(), [this] { runner->wake(); }});
  dispatcher = std::make_unique<services::Dispatcher>(*db, *handler, clock);
  auto* database = db.get();
  intake = std::make_unique<telegram::UpdateIntake>([database] { return database; }, clock);
}

BotHarness::~BotHarness() {
  io.run<void>([this]() -> Task<void> { co_await outbox->stop(std::chrono::milliseconds(500)); });
  dispatcher.reset();
  handler.reset();
  runner.reset();
  server.reset();
  io.run<void>([this]() -> Task<void> {
    co_await kie->stop();
    co_await telegram->stop();
  });
  outbox.reset();
  proxy.reset();
  bot.reset();
  db.reset();
  if (own_dir_) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

sandbox::tg::User BotHarness::user(std::string name, std::string language, Kopecks amount) {
  auto u = telegram->make_user(std::move(name), std::move(language));
  if (amount > 0) {
    command(u, "start");
    top_up(u, amount);
  }
  return u;
}

void BotHarness::top_up(const sandbox::tg::User& u, Kopecks amount) {
  auto now = clock.now_ms();
  static int serial = 0;
  auto key = fmt::format("test-topup:{}:{}", u.id, ++serial);
  must(db->transact_blocking<bool>([&](store::Tx& tx) -> Result<bool> {
    KB_TRY(tx.ledger().apply(
        store::LedgerEntryDraft::credit(store::LedgerKind::topup, u.id, amount, key), now));
    return true;
  }));
}

void BotHarness::ingest() {
  for (const auto& update : telegram->updates()) {
    auto id = update.value("update_id", std::int64_t{0});
    if (id <= last_update_id_) continue;
    last_update_id_ = id;
    auto body = update.dump();
    io.run<Result<telegram::IntakeOutcome>>([this, body]() { return intake->store(body); });
  }
}

void BotHarness::pump() {
  for (int round = 0; round < 20; ++round) {
    auto before = last_update_id_;
    ingest();
    int handled = io.run<int>([this]() { return dispatcher->run_until_idle(); });
    for (auto chat : telegram->chat_ids())
      io.run<void>([this, chat]() { return outbox->flush_now(chat); });
    if (handled == 0 && before == last_update_id_) {
      telegram->tick();
      ingest();
      if (last_update_id_ == before) return;
    }
  }
}

void BotHarness::command(const sandbox::tg::User& u, const std::string& cmd,
                         const std::string& args) {
  telegram->send_command(u, cmd, args);
  pump();
}

void BotHarness::text(const sandbox::tg::User& u, const std::string& t) {
  telegram->send_text(u, t);
  pump();
}

void BotHarness::press_data(const sandbox::tg::User& u, std::int64_t message_id,
                            const std::string& data) {
  telegram->press_button(u, message_id, data);
  pump();
}

void BotHarness::press(const sandbox::tg::User& u, const std::string& button_text) {
  auto messages = telegram->bot_messages(u.id);
  for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
    if (auto data = it->callback_data_of(button_text)) {
      press_data(u, it->message_id, *data);
      return;
    }
  }
  ADD_FAILURE() << "no button \"" << button_text
                << "\"; screen: " << (screen(u) ? screen(u)->text : "none");
}

void BotHarness::press_containing(const sandbox::tg::User& u, const std::string& fragment) {
  auto messages = telegram->bot_messages(u.id);
  for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
    for (const auto& b : it->buttons()) {
      if (!b.callback_data.empty() && b.text.find(fragment) != std::string::npos) {
        press_data(u, it->message_id, b.callback_data);
        return;
      }
    }
  }
  ADD_FAILURE() << "no button containing \"" << fragment
                << "\"; screen: " << (screen(u) ? screen(u)->text : "none");
}

std::optional<sandbox::tg::MessageView> BotHarness::screen(const sandbox::tg::User& u) const {
  auto messages = telegram->bot_messages(u.id);
  for (auto it = messages.rbegin(); it != messages.rend(); ++it)
    if (!it->inline_keyboard.empty() && it->kind == "text") return *it;
  return std::nullopt;
}

std::optional<sandbox::tg::MessageView> BotHarness::last(const sandbox::tg::User& u) const {
  return telegram->last_bot_message(u.id);
}

bot::ConversationState BotHarness::state(const sandbox::tg::User& u) {
  auto stored = must(db->read_blocking<std::optional<store::ConversationState>>(
      [&](store::Tx& tx) { return tx.conversations().load(u.id); }));
  return stored ? bot::state_from_json(stored->state_json) : bot::ConversationState{};
}

bool BotHarness::run_jobs_until(const std::function<bool()>& done, int max_steps) {
  for (int i = 0; i < max_steps; ++i) {
    io.run<int>([this]() { return runner->run_once(); });
    pump();
    if (done()) return true;
    clock.advance(std::chrono::milliseconds(1000));
    kie->tick();
    telegram->tick();
  }
  return done();
}

std::vector<store::Job> BotHarness::jobs(const sandbox::tg::User& u) {
  return must(db->read_blocking<std::vector<store::Job>>(
      [&](store::Tx& tx) { return tx.jobs().list_for_user(u.id, 50, 0); }));
}

store::Balance BotHarness::balance(const sandbox::tg::User& u) {
  return must(
      db->read_blocking<store::Balance>([&](store::Tx& tx) { return tx.ledger().balance(u.id); }));
}

bool BotHarness::deliver_latest(const sandbox::tg::User& u) {
  bool finished = run_jobs_until([&] {
    auto all = jobs(u);
    if (all.empty()) return false;
    const auto& s = all.front().state;
    return s == "delivered" || s == "failed" || s == "expired" || s == "cancelled";
  });
  auto all = jobs(u);
  return finished && !all.empty() && all.front().state == "delivered";
}

}  // namespace kb::test
