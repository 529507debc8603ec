// A broadcast to 1 000 fake users through the real Bot API client (limiter on) against the fake
// Bot API with its rate limits on, on SQLite and PostgreSQL: stopped halfway, resumed by a new
// broadcaster (a restart), and every reachable user gets exactly one copy; blocked users are
// skipped and marked. (broadcast_kill_test.cpp kills the real binary instead.)
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "admin_rig.hpp"
#include "bot/i18n.hpp"
#include "net/http_client.hpp"
#include "core/crypto.hpp"
#include "sandbox/fake_telegram/fake_telegram.hpp"
#include "services/admin/broadcast_content.hpp"
#include "services/admin/broadcaster.hpp"
#include "services/outbox/outbox_sender.hpp"
#include "store/open.hpp"
#include "support/async_test.hpp"
#include "telegram/client.hpp"
#include "support/must.hpp"

namespace kb::test {
namespace {

struct BroadcastRig {
  explicit BroadcastRig(const std::string& database_url) {
    dir = std::filesystem::temp_directory_path() /
          ("kiebot-broadcast-" + crypto::hex(crypto::random_bytes(6)));
    std::filesystem::create_directories(dir);
    sandbox::FakeTelegramOptions o;
    o.limits.enabled = true;
    o.limits.global_per_second = 200;
    o.limits.global_burst = 20;
    telegram = std::make_unique<sandbox::FakeTelegram>(io.io(), http, o);
    must(telegram->start());
    store::DatabaseOptions db_options;
    db_options.url =
        database_url.empty() ? "sqlite://" + (dir / "kiebot.db").string() : database_url;
    db_options.sqlite_synchronous_full = false;
    db = must(store::open_database(db_options, clock, nullptr));
    telegram::ClientConfig c;
    c.token = telegram->token();
    c.api_url = telegram->api_url();
    c.file_url = telegram->file_url();
    c.limits.global_per_second = 150;  // below the fake's 200
    c.limits.global_burst = 10;
    bot = std::make_unique<telegram::BotClient>(io.io().get_executor(), http, c);
    texts = std::make_unique<bot::Texts>(must(bot::Texts::load("")));
    outbox = std::make_unique<services::OutboxSender>(*db, *bot, clock);
    outbox->start(io.io().get_executor());
  }
  ~BroadcastRig() {
    io.run<void>([this]() -> Task<void> { co_await outbox->stop(std::chrono::milliseconds(500)); });
    io.run<void>([this]() -> Task<void> { co_await telegram->stop(); });
    outbox.reset();
    bot.reset();
    db.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  store::BroadcastCounts counts(std::int64_t id) {
    return must(db->read_blocking<store::BroadcastCounts>(
        [id](store::Tx& tx) { return tx.broadcasts().counts(id); }));
  }

  std::filesystem::path dir;
  SystemClock clock;
  IoThread io{2};
  net::HttpClient http;
  std::unique_ptr<sandbox::FakeTelegram> telegram;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<telegram::BotClient> bot;
  std::unique_ptr<bot::Texts> texts;
  std::unique_ptr<services::OutboxSender> outbox;
};

class AdminBroadcast : public AdminBackendTest {};
KB_STORE_BACKENDS(AdminBroadcast);

TEST_P(AdminBroadcast, ThousandUsersStoppedHalfwayResumeAndGetExactlyOneCopy) {
  BroadcastRig rig(database_url());
  ASSERT_TRUE(rig.db->features().broadcasts);
  auto now = rig.clock.now_ms();
  auto admin = rig.telegram->make_user("Boss", "en");
  std::vector<sandbox::tg::User> users;
  for (int i = 0; i < 1000; ++i) users.push_back(rig.telegram->make_user("U" + std::to_string(i)));
  std::set<std::int64_t> blocked;
  for (int i = 0; i < 1000; i += 100) {
    rig.telegram->block_bot(users[static_cast<std::size_t>(i)]);
    blocked.insert(users[static_cast<std::size_t>(i)].id);
  }
  services::admin::BroadcastContent content{"Hello <everyone> & welcome", "", "Open",
                                            "https://example.com/news"};
  auto id =
      must(rig.db->transact_blocking<std::int64_t>([&](store::Tx& tx) -> Result<std::int64_t> {
        for (const auto& u : users)
          KB_TRY(tx.users().upsert_seen({u.id, {}, u.first_name, {}, {}}, now));
        // The admin is not a user row here, so not a recipient: their chat holds only the reports.
        auto b = KB_TRY(
            tx.broadcasts().create(admin.id, services::admin::content_to_json(content), now));
        KB_TRY(tx.broadcasts().enqueue_all(b));
        return b;
      }));
  ASSERT_EQ(rig.counts(id).pending, 1000);

  // First run: stopped once about half of the recipients are done.
  auto first = std::make_unique<services::admin::Broadcaster>(
      *rig.db, *rig.bot, rig.clock, *rig.texts, rig.outbox.get(),
      services::admin::BroadcasterOptions{25, std::chrono::milliseconds(50)});
  first->start(rig.io.io().get_executor());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (rig.counts(id).pending > 500 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  rig.io.run<void>([&]() -> Task<void> { co_await first->stop(std::chrono::seconds(10)); });
  auto halfway = rig.counts(id);
  EXPECT_GT(halfway.pending, 0);
  EXPECT_LT(halfway.pending, 600);
  EXPECT_EQ(halfway.failed, 0);  // the batch in hand was finished and settled
  first.reset();

  // "Restart": a new broadcaster finds the running broadcast and finishes it.
  services::admin::Broadcaster second(
      *rig.db, *rig.bot, rig.clock, *rig.texts, rig.outbox.get(),
      services::admin::BroadcasterOptions{25, std::chrono::milliseconds(50)});
  second.start(rig.io.io().get_executor());
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (rig.counts(id).pending > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  rig.io.run<void>([&]() -> Task<void> { co_await second.stop(std::chrono::seconds(10)); });

  auto done = rig.counts(id);
  EXPECT_EQ(done.pending, 0);
  EXPECT_EQ(done.sent, 990);
  EXPECT_EQ(done.blocked, 10);
  EXPECT_EQ(done.failed, 0);
  auto broadcast = must(rig.db->read_blocking<std::optional<store::Broadcast>>(
      [id](store::Tx& tx) { return tx.broadcasts().get(id); }));
  ASSERT_TRUE(broadcast);
  EXPECT_EQ(broadcast->status, "done");

  // Exactly one copy per reachable user, none for blocked ones; blocked users are marked.
  for (const auto& u : users) {
    auto messages = rig.telegram->bot_messages(u.id);
    if (blocked.count(u.id)) {
      EXPECT_TRUE(messages.empty()) << u.id;
      auto stored = must(rig.db->read_blocking<std::optional<store::User>>(
          [&](store::Tx& tx) { return tx.users().get(u.id); }));
      ASSERT_TRUE(stored);
      EXPECT_TRUE(stored->blocked_bot);
      continue;
    }
    ASSERT_EQ(messages.size(), 1u) << u.id;
    EXPECT_EQ(messages[0].text, "Hello <everyone> & welcome");
    ASSERT_EQ(messages[0].buttons().size(), 1u);
    EXPECT_EQ(messages[0].buttons()[0].url, "https://example.com/news");
  }
  // Within the fake's rate limits: no send was answered 429.
  for (const auto& call : rig.telegram->calls("sendMessage")) EXPECT_NE(call.status, 429);

  // Progress at each quarter and the final report reach the admin through the outbox.
  EXPECT_TRUE(rig.telegram->wait_until([&] {
    for (const auto& m : rig.telegram->bot_messages(admin.id))
      if (m.text.find("990") != std::string::npos) return true;
    return false;
  }));
  // Each quarter is announced exactly once (the sender counts only every 50 messages and keeps
  // its own view in between; a new broadcaster counts afresh): three progress notes, one report.
  EXPECT_EQ(rig.telegram->bot_messages(admin.id).size(), 4u);
}

}  // namespace
}  // namespace kb::test
