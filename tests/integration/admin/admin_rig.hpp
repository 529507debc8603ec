// The bot harness with the admin panel's parts wired in (provider credits cache, the Bot API for
// Stars refunds) and one admin user (ADMIN_IDS); and the fixture that runs an admin test on SQLite
// and on PostgreSQL (a fresh database per test).
#pragma once

#include <memory>

#include "../bot/bot_harness.hpp"
#include "integration/store/store_fixture.hpp"
#include "services/admin/credits_cache.hpp"
#include "store/tx.hpp"
#include "support/pg_test_db.hpp"

namespace kb::test {

struct AdminRig {
  explicit AdminRig(BotHarnessOptions options = {}) : h(std::move(options)) {
    credits = std::make_unique<services::admin::CreditsCache>(*h.kie_client, h.clock);
    auto* runner = h.runner.get();
    bot::ConversationDeps deps{*h.db,
                               h.clock,
                               *h.catalog,
                               *h.texts,
                               h.settings,
                               h.outbox.get(),
                               [runner] { runner->wake(); }};
    deps.credits = credits.get();
    deps.telegram = h.bot.get();
    h.dispatcher.reset();
    h.handler = std::make_unique<bot::ConversationHandler>(std::move(deps));
    h.dispatcher = std::make_unique<services::Dispatcher>(*h.db, *h.handler, h.clock);
    admin = h.user("Boss", "en");
    h.settings.admin_ids.push_back(admin.id);
    h.settings.money.manual.admin_ids.push_back(admin.id);  // both come from ADMIN_IDS
  }

  std::string t(std::string_view key, const bot::TextParams& params = {}) const {
    return h.t(bot::Lang::en, key, params);
  }
  std::vector<store::AdminAction> audit() {
    auto r = h.db->read_blocking<std::vector<store::AdminAction>>(
        [](store::Tx& tx) { return tx.admin_actions().list(100); });
    return kb::test::must(std::move(r));  // a read error fails the test, never looks like "no rows"
  }
  std::optional<store::User> stored(std::int64_t id) {
    auto r = h.db->read_blocking<std::optional<store::User>>(
        [id](store::Tx& tx) { return tx.users().get(id); });
    return kb::test::must(std::move(r));
  }
  std::int64_t screen_message(const sandbox::tg::User& u) {
    auto s = h.screen(u);
    return s ? s->message_id : 1;
  }

  BotHarness h;
  std::unique_ptr<services::admin::CreditsCache> credits;
  sandbox::tg::User admin;
};

// Admin tests whose SQL matters run once per backend (names end in /sqlite and /postgres; the
// PostgreSQL half skips without KIEBOT_TEST_PG_URL and fails under KIEBOT_REQUIRE_PG=1).
class AdminBackendTest : public testing::TestWithParam<store::test::BackendKind> {
 protected:
  void SetUp() override {
    if (GetParam() != store::test::BackendKind::postgres) return;
    KB_REQUIRE_PG_OR_SKIP();
    pg_ = std::make_unique<PgTestDatabase>(*pg_admin_url());
  }
  // The harness options pointing at this test's database.
  BotHarnessOptions harness_options() const {
    BotHarnessOptions o;
    if (pg_) o.database_url = pg_->url();
    return o;
  }
  // A URL for a store::Database of its own (PostgreSQL only; SQLite callers use the harness's).
  std::string database_url() const { return pg_ ? pg_->url() : std::string(); }

  std::unique_ptr<PgTestDatabase> pg_;
};

}  // namespace kb::test
