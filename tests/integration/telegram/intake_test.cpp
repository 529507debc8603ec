// Update intake end to end: the webhook (secret, dedupe, bad bodies, database down), long polling
// against the fake Bot API (offset, 409, the single-poller lease) and the Telegram start-up.
#include <atomic>
#include <future>
#include <thread>
#include <vector>

#include "core/log.hpp"
#include "intake_fixture.hpp"
#include "services/dispatcher/dispatcher.hpp"
#include "services/telegram_startup/telegram_startup.hpp"
#include "telegram/intake/poller.hpp"
#include "telegram/intake/webhook_route.hpp"

namespace kb::intake_test {
namespace {

using store::Tx;

constexpr const char* kSecret = "test-secret_123";

class CountingHandler final : public services::UpdateHandler {
 public:
  CountingHandler(store::Database& db, const Clock& clock) : inner_(db, clock) {}
  Task<Result<void>> handle(const store::InboxItem& item) override {
    ++calls;
    co_return co_await inner_.handle(item);
  }
  std::atomic<int> calls{0};

 private:
  services::LoggingUpdateHandler inner_;
};

class IntakeTest : public PipelineTest {
 protected:
  void SetUp() override {
    PipelineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    intake = std::make_unique<telegram::UpdateIntake>(
        [this]() -> store::Database* { return database_up ? &db() : nullptr; }, clock_);
    intake->on_stored([this] { ++wakeups; });
    telegram::add_webhook_route(router, {"/telegram/webhook", kSecret}, *intake);
    server = std::make_unique<kb::test::TestServer>(router);
  }
  void TearDown() override {
    server.reset();
    PipelineTest::TearDown();
  }

  net::ClientResponse post(std::string body, std::optional<std::string> secret = kSecret) {
    net::ClientRequest r;
    r.method = "POST";
    r.url = server->url("/telegram/webhook");
    r.headers.set("Content-Type", "application/json");
    if (secret) r.headers.set(std::string(telegram::kSecretHeader), *secret);
    r.body = std::move(body);
    return must(io.run<Result<net::ClientResponse>>([&]() { return http.send(r); }));
  }
  static std::string update(std::int64_t id, std::int64_t chat, std::string text = "hi") {
    return fmt::format(
        R"({{"update_id":{},"message":{{"message_id":{},"from":{{"id":{},"is_bot":false,"first_name":"A"}},"chat":{{"id":{},"type":"private"}},"date":1,"text":"{}"}}}})",
        id, id, chat, chat, text);
  }
  std::int64_t pending() {
    return must_run<std::int64_t>([](Tx& tx) { return tx.inbox().pending_count(); });
  }
  std::int64_t rejects() {
    return must_run<std::int64_t>([](Tx& tx) -> Result<std::int64_t> {
      auto rows = KB_TRY(tx.connection().query("SELECT count(*) FROM inbox_rejects"));
      return rows.front().i64(0);
    });
  }

  std::atomic<bool> database_up{true};
  std::atomic<int> wakeups{0};
  std::unique_ptr<telegram::UpdateIntake> intake;
  net::Router router;
  std::unique_ptr<kb::test::TestServer> server;
};
KB_STORE_BACKENDS(IntakeTest);

TEST_P(IntakeTest, AMissingOrWrongSecretIs401AndNothingIsStored) {
  EXPECT_EQ(post(update(1, 5), std::nullopt).status, 401);
  EXPECT_EQ(post(update(1, 5), "wrong").status, 401);
  EXPECT_EQ(post(update(1, 5), std::string(kSecret) + "x").status, 401);
  EXPECT_EQ(post("garbage", "").status, 401);
  EXPECT_EQ(pending(), 0);
  EXPECT_EQ(rejects(), 0);
  EXPECT_EQ(wakeups.load(), 0);
}

TEST_P(IntakeTest, TheSameUpdateDeliveredThreeTimesIsProcessedOnce) {
  for (int i = 0; i < 3; ++i) {
    auto r = post(update(77, 5));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "{}");
  }
  EXPECT_EQ(pending(), 1);
  EXPECT_EQ(wakeups.load(), 1);  // only the new row wakes the dispatcher
  CountingHandler handler(db(), clock_);
  services::Dispatcher dispatcher(db(), handler, clock_, {});
  io.run<int>([&]() { return dispatcher.run_until_idle(); });
  post(update(77, 5));  // a late redelivery after processing
  io.run<int>([&]() { return dispatcher.run_until_idle(); });
  EXPECT_EQ(handler.calls.load(), 1);
  EXPECT_EQ(pending(), 0);
}

TEST_P(IntakeTest, AnUnreadableBodyIsKeptAndAnswered200) {
  EXPECT_EQ(post("{not json").status, 200);
  EXPECT_EQ(post(R"({"message":{}})").status, 200);
  EXPECT_EQ(rejects(), 2);
  EXPECT_EQ(pending(), 0);
}

TEST_P(IntakeTest, NoDatabaseIs503WithRetryAfterAndTheUpdateIsTakenLater) {
  database_up = false;
  auto r = post(update(5, 9));
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.headers.get_or("Retry-After"), "5");
  database_up = true;
  EXPECT_EQ(post(update(5, 9)).status, 200);  // Telegram's redelivery
  EXPECT_EQ(pending(), 1);
}

TEST_P(IntakeTest, AClosedDatabaseIs503Too) {
  db().shutdown();
  auto r = post(update(6, 9));
  EXPECT_EQ(r.status, 503);
  EXPECT_TRUE(r.headers.has("Retry-After"));
}

// Posts every body at once, each from its own thread (real concurrent HTTP requests); the
// statuses in the bodies' order.
std::vector<int> post_all_at_once(const std::function<net::ClientResponse(std::string)>& post,
                                  const std::vector<std::string>& bodies) {
  std::vector<int> statuses(bodies.size(), 0);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < bodies.size(); ++i)
    threads.emplace_back([&, i] { statuses[i] = post(bodies[i]).status; });
  for (auto& t : threads) t.join();
  return statuses;
}

TEST_P(IntakeTest, BodiesArrivingTogetherShareCommitsAndAreEachStoredOnce) {
  std::vector<std::string> bodies;
  for (int i = 1; i <= 64; ++i) bodies.push_back(update(1000 + i, 100 + i % 7));
  bodies.push_back(update(1001, 101));  // a redelivery inside the same burst
  bodies.push_back("{not json");         // kept in inbox_rejects, answered 200
  auto statuses = post_all_at_once([this](std::string b) { return post(std::move(b)); }, bodies);
  for (std::size_t i = 0; i < statuses.size(); ++i) EXPECT_EQ(statuses[i], 200) << "body " << i;
  EXPECT_EQ(pending(), 64);
  EXPECT_EQ(rejects(), 1);
  EXPECT_EQ(intake->stored_count(), 64u);
  // 66 bodies, fewer transactions: commits were shared by the bodies that waited for one.
  EXPECT_LT(intake->webhook_commits(), bodies.size());
  EXPECT_GE(wakeups.load(), 1);
}

TEST_P(IntakeTest, ABodyTheDatabaseRefusesFailsAloneAndItsBatchIsStored) {
  // A real database refusal of one row: a trigger that raises for update 666.
  must_run<bool>([this](Tx& tx) -> Result<bool> {
    if (is_pg()) {
      KB_TRY(tx.connection().exec(
          "CREATE FUNCTION refuse_666() RETURNS trigger AS $$ BEGIN IF NEW.update_id = 666 THEN "
          "RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"));
      KB_TRY(tx.connection().exec(
          "CREATE TRIGGER refuse_666 BEFORE INSERT ON inbox FOR EACH ROW EXECUTE FUNCTION "
          "refuse_666()"));
    } else {
      KB_TRY(tx.connection().exec(
          "CREATE TRIGGER refuse_666 BEFORE INSERT ON inbox WHEN NEW.update_id = 666 "
          "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;"));
    }
    return true;
  });
  // Hold the write path so that the bodies below queue up and go into one shared transaction.
  std::promise<void> release;
  std::promise<void> holding;
  std::thread holder([&] {
    auto held = db().transact_blocking<bool>([&](Tx& tx) -> Result<bool> {
      if (is_pg()) KB_TRY(tx.connection().exec("LOCK TABLE inbox IN SHARE ROW EXCLUSIVE MODE"));
      holding.set_value();
      release.get_future().wait();
      return true;
    });
    EXPECT_TRUE(held.has_value());
  });
  holding.get_future().wait();
  std::thread first([&] { EXPECT_EQ(post(update(1, 1)).status, 200); });
  // The first body arrives and is taken into its own commit, which waits for the holder.
  for (int spin = 0; spin < 10000; ++spin) {
    if (intake->webhook_received() == 1 && intake->webhook_waiting() == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(intake->webhook_received(), 1u);
  std::vector<std::string> bodies;
  for (int i = 0; i < 20; ++i) bodies.push_back(update(i == 7 ? 666 : 2000 + i, 3));
  std::vector<int> statuses;
  std::thread rest([&] {
    statuses = post_all_at_once([this](std::string b) { return post(std::move(b)); }, bodies);
  });
  for (int spin = 0; spin < 10000 && intake->webhook_waiting() < bodies.size(); ++spin)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(intake->webhook_waiting(), bodies.size());  // all queued behind the first commit
  release.set_value();
  holder.join();
  first.join();
  rest.join();
  for (std::size_t i = 0; i < bodies.size(); ++i)
    EXPECT_EQ(statuses[i], i == 7 ? 503 : 200) << "body " << i;
  EXPECT_EQ(pending(), 20);  // update 1 and the 19 good ones; 666 waits for Telegram's redelivery
  // The first commit, the shared one that failed, then one per body of that batch.
  EXPECT_EQ(intake->webhook_commits(), 2u + bodies.size());
}

TEST_P(IntakeTest, PollingStoresUpdatesAndConfirmsTheOffsetWithThem) {
  auto user = fake->make_user("Bob");
  fake->send_text(user, "one");
  fake->send_text(user, "two");
  telegram::PollerOptions o;
  o.timeout_seconds = 0;
  o.owner = "p1";
  telegram::Poller poller(*bot, *intake, o);
  EXPECT_EQ(must(io.run<Result<int>>([&]() { return poller.poll_once(); })), 2);
  EXPECT_EQ(pending(), 2);
  auto offset = must_run<std::optional<std::string>>(
      [](Tx& tx) { return tx.settings().get(telegram::kPollingOffsetKey); });
  ASSERT_TRUE(offset);
  auto updates = fake->updates();
  ASSERT_EQ(updates.size(), 2u);
  EXPECT_EQ(*offset, std::to_string(updates.back()["update_id"].get<std::int64_t>() + 1));
  // A restarted poller continues from the stored offset: nothing twice.
  fake->send_text(user, "three");
  telegram::Poller restarted(*bot, *intake, o);
  EXPECT_EQ(must(io.run<Result<int>>([&]() { return restarted.poll_once(); })), 1);
  EXPECT_EQ(pending(), 3);
  EXPECT_EQ(fake->pending_update_count(), 1u);  // confirmed only by the next getUpdates
  io.run<Result<int>>([&]() { return restarted.poll_once(); });
  EXPECT_EQ(fake->pending_update_count(), 0u);
}

TEST_P(IntakeTest, PollingWhileAWebhookIsSetIsAConflict) {
  log::Capture capture;
  must(io.run<Result<void>>(
      [&]() { return bot->set_webhook(telegram::SetWebhook{.url = "http://127.0.0.1:9/hook"}); }));
  telegram::PollerOptions o;
  o.timeout_seconds = 0;
  telegram::Poller poller(*bot, *intake, o);
  auto r = io.run<Result<int>>([&]() { return poller.poll_once(); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::conflict);
  EXPECT_EQ(poller.conflicts(), 1);
  // An operator situation the intake explains (one WARN), not a fault of ours: no ERROR line.
  EXPECT_EQ(capture.count(log::Level::error), 0u);
}

TEST_P(IntakeTest, ASecondPollerIsA409AndTheLoopKeepsGoing) {
  auto user = fake->make_user("Cid");
  telegram::PollerOptions o;
  o.timeout_seconds = 1;
  o.owner = "p1";
  o.conflict_pause = std::chrono::milliseconds(50);
  telegram::Poller poller(*bot, *intake, o);
  io.run<void>([&]() -> Task<void> { poller.start(co_await asio::this_coro::executor); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  // Another process starts long-polling with the same token: Telegram ends our request with 409.
  auto other =
      std::make_unique<telegram::BotClient>(io.io().get_executor(), http, client_config(*fake));
  std::atomic<bool> other_done{false};
  asio::co_spawn(
      io.io(),
      [&]() -> Task<void> {
        co_await other->get_updates(telegram::GetUpdates{.timeout_seconds = 1});
        other_done = true;
      },
      asio::detached);
  for (int i = 0; i < 300 && poller.conflicts() == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_GE(poller.conflicts(), 1);
  for (int i = 0; i < 300 && !other_done; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  // Our loop retried after its pause and still receives updates.
  fake->send_text(user, "after the conflict");
  for (int i = 0; i < 300 && pending() == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  io.run<void>([&]() { return poller.stop(); });
  EXPECT_EQ(pending(), 1);
  EXPECT_TRUE(other_done.load());
}

TEST_P(IntakeTest, TheSinglePollerLeaseKeepsASecondInstanceOnStandby) {
  telegram::PollerOptions a;
  a.owner = "instance-a";
  a.timeout_seconds = 0;
  telegram::PollerOptions b = a;
  b.owner = "instance-b";
  telegram::Poller first(*bot, *intake, a);
  telegram::Poller second(*bot, *intake, b);
  must(io.run<Result<int>>([&]() { return first.poll_once(); }));
  auto calls = fake->call_count("getUpdates");
  EXPECT_EQ(must(io.run<Result<int>>([&]() { return second.poll_once(); })), 0);
  EXPECT_EQ(fake->call_count("getUpdates"), calls);  // standby: Telegram was not asked
  io.run<void>([&]() { return first.stop(); });      // gives the lease up
  must(io.run<Result<int>>([&]() { return second.poll_once(); }));
  EXPECT_EQ(fake->call_count("getUpdates"), calls + 1);
}

TEST_P(IntakeTest, StartupSetsTheWebhookWithoutDroppingUpdatesAndTheCommands) {
  services::TelegramStartupOptions o;
  o.mode = services::UpdateMode::webhook;
  o.webhook_url = server->url("/telegram/webhook");
  o.secret = kSecret;
  o.max_connections = 17;
  telegram::SetMyCommands en;
  en.language_code = "en";
  en.commands = {{"start", "Main menu"}, {"help", "How it works"}};
  o.command_menus = {en};
  auto user = fake->make_user("Dan");
  fake->send_text(user, "sent while we were away");
  services::TelegramStartup startup(*bot, o);
  EXPECT_FALSE(io.run<Result<void>>([&]() { return startup.check(); }));
  must(io.run<Result<void>>([&]() { return startup.run_once(); }));
  EXPECT_TRUE(io.run<Result<void>>([&]() { return startup.check(); }));
  EXPECT_EQ(startup.bot_username(), "genart_test_bot");
  auto hook = fake->webhook();
  EXPECT_EQ(hook.url, o.webhook_url);
  EXPECT_EQ(hook.secret_token, kSecret);
  EXPECT_EQ(hook.max_connections, 17);
  EXPECT_EQ(hook.allowed_updates, services::product_allowed_updates());
  EXPECT_EQ(fake->my_commands("en").size(), 2u);
  // The update sent before the webhook existed is delivered to it, with the secret, and stored.
  ASSERT_TRUE(fake->wait_until([&] { return pending() == 1; }, std::chrono::seconds(5)));
}

TEST_P(IntakeTest, StartupInPollingModeRemovesAWebhookButKeepsItsUpdates) {
  must(io.run<Result<void>>(
      [&]() { return bot->set_webhook(telegram::SetWebhook{.url = "http://127.0.0.1:9/hook"}); }));
  auto user = fake->make_user("Eve");
  fake->send_text(user, "pending");
  services::TelegramStartupOptions o;
  o.mode = services::UpdateMode::polling;
  services::TelegramStartup startup(*bot, o);
  must(io.run<Result<void>>([&]() { return startup.run_once(); }));
  EXPECT_TRUE(fake->webhook().url.empty());
  auto deletes = fake->calls("deleteWebhook");
  ASSERT_EQ(deletes.size(), 1u);
  auto drop = deletes[0].params.find("drop_pending_updates");
  EXPECT_TRUE(drop == deletes[0].params.end() || drop->second == "false");
  EXPECT_EQ(fake->pending_update_count(), 1u);
}

TEST_P(IntakeTest, StartupRetriesWhileTelegramIsUnreachableAndSaysWhy) {
  auto config = client_config(*fake);
  config.api_url = "http://127.0.0.1:9";  // nothing listens there
  telegram::BotClient unreachable(io.io().get_executor(), http, config);
  services::TelegramStartupOptions o;
  o.first_pause = std::chrono::milliseconds(20);
  services::TelegramStartup startup(unreachable, o);
  io.run<void>([&]() -> Task<void> { startup.start(co_await asio::this_coro::executor); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto check = io.run<Result<void>>([&]() { return startup.check(); });
  ASSERT_FALSE(check);
  EXPECT_NE(check.error().message.find("getMe"), std::string::npos) << check.error().message;
  EXPECT_FALSE(startup.ready());
  startup.stop();
}

}  // namespace
}  // namespace kb::intake_test
