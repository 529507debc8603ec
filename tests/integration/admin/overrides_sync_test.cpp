// Admin model switches across instances: two instances on one PostgreSQL database, each with its
// own catalog; a switch made through the admin panel on one is applied there at once and on the
// other at its next poll of the overrides' version (a cheap one-row read that changes nothing when
// nothing moved).
#include <gtest/gtest.h>

#include <thread>

#include "admin_rig.hpp"
#include "bot/callback_data.hpp"
#include "bot/screens/common.hpp"
#include "catalog/load.hpp"
#include "services/admin/overrides_sync.hpp"
#include "support/must.hpp"

namespace kb::test {
namespace {

std::string cb(std::string_view action, std::vector<std::string> args = {}) {
  return bot::encode_callback(action, args).value_or("1|h");
}

// The second instance: its own pool on the same database and its own catalog from the file.
struct OtherInstance {
  OtherInstance(const std::string& url, const Clock& clock,
                services::admin::OverridesSyncOptions options) {
    store::DatabaseOptions o;
    o.url = url;
    db = must(store::open_database(o, clock, nullptr));
    auto loaded = catalog::load_catalog({});
    if (!loaded.ok()) throw std::runtime_error("catalog: " + loaded.errors.front());
    catalog = std::make_unique<catalog::CatalogHolder>(loaded.catalog);
    sync = std::make_unique<services::admin::OverridesSync>(*db, *catalog, options);
  }
  const catalog::Model& model(const std::string& id) const {
    const auto* m = catalog->get()->find(id);
    if (!m) throw std::runtime_error("no model " + id);
    return *m;
  }
  std::unique_ptr<store::Database> db;
  std::unique_ptr<catalog::CatalogHolder> catalog;
  std::unique_ptr<services::admin::OverridesSync> sync;
};

TEST(AdminOverridesAcrossInstances, ASwitchOnOneInstanceReachesTheOtherAtItsNextPoll) {
  KB_REQUIRE_PG_OR_SKIP();
  PgTestDatabase pg(*pg_admin_url());
  BotHarnessOptions options;
  options.database_url = pg.url();
  AdminRig a(options);
  auto& h = a.h;
  OtherInstance b(pg.url(), h.clock, {std::chrono::milliseconds(20)});
  ASSERT_TRUE(b.sync->load_blocking());
  const auto model = h.catalog->get()->models.front();
  ASSERT_TRUE(b.model(model.id).enabled);

  // Disabled on instance A: effective there at once, on B only after its poll.
  h.command(a.admin, "admin");
  h.press(a.admin, a.t("admin.models_button"));
  h.press_data(a.admin, a.screen_message(a.admin), cb("amt", {bot::model_ref(model), "0"}));
  EXPECT_FALSE(h.catalog->get()->find(model.id)->enabled);
  EXPECT_TRUE(b.model(model.id).enabled);
  auto changed = h.io.run<Result<bool>>([&] { return b.sync->check_once(); });
  ASSERT_TRUE(changed);
  EXPECT_TRUE(*changed);
  EXPECT_FALSE(b.model(model.id).enabled);
  EXPECT_EQ(b.model(model.id).free, model.free);
  // Nothing moved since: the poll reads the version only and keeps the snapshot it has.
  auto before = b.catalog->get();
  changed = h.io.run<Result<bool>>([&] { return b.sync->check_once(); });
  ASSERT_TRUE(changed);
  EXPECT_FALSE(*changed);
  EXPECT_EQ(b.catalog->get(), before);

  // The timer: B polls every 20 ms by itself; a free/paid switch and re-enabling on A arrive.
  b.sync->start(h.io.io().get_executor());
  h.press_data(a.admin, a.screen_message(a.admin), cb("amf", {bot::model_ref(model), "0"}));
  h.press_data(a.admin, a.screen_message(a.admin), cb("amt", {bot::model_ref(model), "0"}));
  EXPECT_EQ(h.catalog->get()->find(model.id)->free, !model.free);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline &&
         !(b.model(model.id).free != model.free && b.model(model.id).enabled))
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(b.model(model.id).free, !model.free);
  EXPECT_TRUE(b.model(model.id).enabled);
  h.io.run<void>([&]() -> Task<void> { co_await b.sync->stop(std::chrono::seconds(2)); });

  // A restarted instance loads the stored overrides before anything else.
  OtherInstance c(pg.url(), h.clock, {});
  ASSERT_TRUE(c.sync->load_blocking());
  EXPECT_EQ(c.model(model.id).free, !model.free);
  EXPECT_TRUE(c.model(model.id).enabled);
}

}  // namespace
}  // namespace kb::test
