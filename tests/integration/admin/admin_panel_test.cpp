// The admin panel on the whole pipeline, on SQLite and PostgreSQL: authorization (ADMIN_IDS, the
// database role, forged buttons from non-admins), users (find, adjust with audit and ledger,
// ban/unban), models (overrides effective at once, audited), the free daily limit, stats, payments
// and the broadcast composer; every admin screen is reached.
#include <gtest/gtest.h>

#include <set>

#include "admin_rig.hpp"
#include "bot/callback_data.hpp"
#include "bot/screens/common.hpp"
#include "bot/screens/registry.hpp"
#include "services/admin/admin_ops.hpp"
#include "services/admin/broadcast_content.hpp"
#include "services/admin/broadcaster.hpp"

namespace kb::test {
namespace {

std::string cb(std::string_view action, std::vector<std::string> args = {}) {
  return bot::encode_callback(action, args).value_or("1|h");
}

class AdminPanel : public AdminBackendTest {};
KB_STORE_BACKENDS(AdminPanel);

bool has_button(const std::optional<sandbox::tg::MessageView>& m, const std::string& text) {
  if (!m) return false;
  for (const auto& b : m->buttons())
    if (b.text == text) return true;
  return false;
}

TEST_P(AdminPanel, NonAdminsGetNothingFromCommandOrForgedButtons) {
  AdminRig r(harness_options());
  auto& h = r.h;
  auto eve = h.user("Eve", "en");
  auto victim = h.user("Vic", "en");
  h.command(victim, "start");
  h.command(eve, "start");
  EXPECT_FALSE(has_button(h.screen(eve), r.t("admin.menu_button")));
  h.command(r.admin, "start");
  EXPECT_TRUE(has_button(h.screen(r.admin), r.t("admin.menu_button")));

  h.command(eve, "admin");
  EXPECT_EQ(h.screen_id(eve), "main");
  ASSERT_TRUE(h.last(eve));
  EXPECT_NE(h.last(eve)->text.find(r.t("errors.unknown_command")), std::string::npos);

  auto first = h.catalog->get()->models.front();
  auto v = std::to_string(victim.id);
  for (const auto& data :
       {cb("ad"), cb("as", {"d"}), cb("au"), cb("auv", {v}), cb("aua", {v}), cb("aub", {v}),
        cb("ap"), cb("apr"), cb("am", {"0"}), cb("amt", {bot::model_ref(first), "0"}),
        cb("amf", {bot::model_ref(first), "0"}), cb("aml"), cb("ab"), cb("abs"),
        cb("tsr", {v, "1"})}) {
    h.press_data(eve, r.screen_message(eve), data);
    EXPECT_EQ(h.screen_id(eve), "main") << data;
  }
  // Typed input into an admin prompt from a non-admin state is ordinary text.
  h.text(eve, "+100 free money");
  EXPECT_EQ(h.screen_id(eve), "main");

  EXPECT_TRUE(r.audit().empty());
  EXPECT_FALSE(r.stored(victim.id)->banned);
  EXPECT_TRUE(h.catalog->get()->find(first.id)->enabled);
  EXPECT_EQ(h.balance(eve).available, 0);
  for (const auto& m : h.telegram->bot_messages(eve.id))
    EXPECT_EQ(m.text.find("Admin panel"), std::string::npos) << m.text;
  for (const auto& q : h.telegram->callback_queries()) EXPECT_TRUE(q.answered) << q.data;
}

TEST_P(AdminPanel, AdminRoleInTheDatabaseOpensThePanelAndLosingItClosesIt) {
  AdminRig r(harness_options());
  auto& h = r.h;
  auto ann = h.user("Ann", "en");
  h.command(ann, "start");
  ASSERT_TRUE(h.db->transact_blocking<bool>(
      [&](store::Tx& tx) { return tx.users().set_role(ann.id, store::Role::admin, 1); }));
  h.command(ann, "admin");
  EXPECT_EQ(h.screen_id(ann), "admin");
  auto panel = r.screen_message(ann);
  ASSERT_TRUE(h.db->transact_blocking<bool>(
      [&](store::Tx& tx) { return tx.users().set_role(ann.id, store::Role::user, 1); }));
  h.press_data(ann, panel, cb("as", {"d"}));  // re-checked at every press
  EXPECT_EQ(h.screen_id(ann), "main");
}

TEST_P(AdminPanel, FindAdjustBanAndUnbanAreAudited) {
  AdminRig r(harness_options());
  auto& h = r.h;
  auto target = h.telegram->add_user({0, "Tom", "", "tom_the_user", "en"});
  h.command(target, "start");
  h.command(r.admin, "admin");
  h.press(r.admin, r.t("admin.users_button"));
  EXPECT_EQ(h.screen_id(r.admin), "admin_find");
  h.text(r.admin, "@nobody_here");
  EXPECT_EQ(h.screen_id(r.admin), "admin_find");
  h.text(r.admin, "@Tom_The_User");
  EXPECT_EQ(h.screen_id(r.admin), "admin_user");
  h.press(r.admin, r.t("admin.users.find_another"));
  h.text(r.admin, std::to_string(target.id));
  ASSERT_EQ(h.screen_id(r.admin), "admin_user");

  h.press(r.admin, r.t("admin.users.adjust"));
  EXPECT_EQ(h.screen_id(r.admin), "admin_adjust");
  h.text(r.admin, "150");  // no reason
  EXPECT_EQ(h.screen_id(r.admin), "admin_adjust");
  h.text(r.admin, "+150 goodwill for a failed video");
  EXPECT_EQ(h.screen_id(r.admin), "admin_user");
  EXPECT_EQ(h.balance(target).available, 150'00);
  auto audit = r.audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "user_topup");
  EXPECT_EQ(audit[0].admin_id, r.admin.id);
  EXPECT_EQ(audit[0].target_user_id, target.id);
  auto entry = h.db->read_blocking<std::optional<store::LedgerEntry>>([&](store::Tx& tx) {
    return tx.ledger().find_by_key("admin:" + std::to_string(audit[0].id));
  });
  ASSERT_TRUE(entry && *entry);
  EXPECT_EQ((*entry)->kind, store::LedgerKind::adjustment);
  EXPECT_EQ((*entry)->amount, 150'00);
  EXPECT_EQ((*entry)->admin_action_id, audit[0].id);
  EXPECT_EQ((*entry)->note, "goodwill for a failed video");

  // More than the balance: refused, nothing written.
  h.press(r.admin, r.t("admin.users.adjust"));
  h.text(r.admin, "-500 oops");
  EXPECT_EQ(h.balance(target).available, 150'00);
  EXPECT_EQ(r.audit().size(), 1u);
  EXPECT_NE(h.screen(r.admin)->text.find(r.t("admin.users.adjust_insufficient")),
            std::string::npos);
  h.press(r.admin, r.t("admin.users.adjust"));
  h.text(r.admin, "-49.50 duplicate top-up");
  EXPECT_EQ(h.balance(target).available, 100'50);
  EXPECT_EQ(r.audit().front().action, "user_charge");

  h.press(r.admin, r.t("admin.users.ban"));
  EXPECT_TRUE(r.stored(target.id)->banned);
  EXPECT_EQ(r.audit().front().action, "user_ban");
  h.command(target, "start");
  EXPECT_NE(h.last(target)->text.find(r.t("errors.banned")), std::string::npos);
  h.press(r.admin, r.t("admin.users.unban"));
  EXPECT_FALSE(r.stored(target.id)->banned);
  EXPECT_EQ(r.audit().front().action, "user_unban");
  EXPECT_EQ(r.audit().size(), 4u);  // top-up, charge, ban, unban
}

TEST_P(AdminPanel, ModelSwitchesAndTheFreeLimitApplyAtOnceAndAreAudited) {
  AdminRig r(harness_options());
  auto& h = r.h;
  auto user = h.user("Una", "en");
  h.command(user, "start");
  const auto model = h.catalog->get()->models.front();
  h.command(r.admin, "admin");
  h.press(r.admin, r.t("admin.models_button"));
  EXPECT_EQ(h.screen_id(r.admin), "admin_models");
  h.press_data(r.admin, r.screen_message(r.admin), cb("amt", {bot::model_ref(model), "0"}));
  EXPECT_FALSE(h.catalog->get()->find(model.id)->enabled);
  EXPECT_EQ(r.audit().front().action, "model_disable");
  auto row = h.db->read_blocking<std::optional<store::ModelOverride>>(
      [&](store::Tx& tx) { return tx.settings().model_override(model.id); });
  ASSERT_TRUE(row && *row);
  EXPECT_EQ((*row)->enabled, false);
  // Users cannot open it any more.
  h.press_data(user, r.screen_message(user), cb("m", {bot::model_ref(model)}));
  EXPECT_EQ(h.screen_id(user), "main");

  h.press_data(r.admin, r.screen_message(r.admin), cb("amf", {bot::model_ref(model), "0"}));
  EXPECT_EQ(h.catalog->get()->find(model.id)->free, !model.free);
  EXPECT_EQ(r.audit().front().action, model.free ? "model_paid" : "model_free");
  h.press_data(r.admin, r.screen_message(r.admin), cb("amt", {bot::model_ref(model), "0"}));
  EXPECT_TRUE(h.catalog->get()->find(model.id)->enabled);
  EXPECT_EQ(r.audit().front().action, "model_enable");

  h.press(r.admin, r.t("admin.models.limit_button", {{"limit", "5"}}));
  EXPECT_EQ(h.screen_id(r.admin), "admin_limit");
  h.text(r.admin, "lots");
  EXPECT_EQ(h.screen_id(r.admin), "admin_limit");
  h.text(r.admin, "7");
  EXPECT_EQ(h.screen_id(r.admin), "admin_models");
  EXPECT_EQ(r.audit().front().action, "free_limit");
  h.press_data(user, r.screen_message(user), cb("fr", {"0"}));
  EXPECT_NE(h.screen(user)->text.find(r.t("models.free_rule", {{"limit", "7"}})), std::string::npos)
      << h.screen(user)->text;
}

TEST_P(AdminPanel, StatsShowMoneyJobsAndTheProviderBalance) {
  AdminRig r(harness_options());
  auto& h = r.h;
  h.kie->set_credits(1234.5);
  auto payer = h.user("Pay", "en", 250'00);
  h.command(r.admin, "admin");
  h.press(r.admin, r.t("admin.stats_button"));
  ASSERT_EQ(h.screen_id(r.admin), "admin_stats");
  auto text = h.screen(r.admin)->text;
  EXPECT_NE(text.find("250 ₽"), std::string::npos) << text;
  EXPECT_NE(text.find("1234.50"), std::string::npos) << text;
  EXPECT_EQ(text.find("Stats: 30 days"), std::string::npos) << text;
  h.press(r.admin, r.t("admin.stats.month"));
  EXPECT_EQ(h.screen_id(r.admin), "admin_stats");
  // The period's own title, which the first screen did not show.
  EXPECT_NE(h.screen(r.admin)->text.find("Stats: 30 days"), std::string::npos)
      << h.screen(r.admin)->text;
  (void)payer;
}

TEST_P(AdminPanel, PaymentsQueueAndRefundOfAnUnknownCharge) {
  AdminRig r(harness_options());
  auto& h = r.h;
  auto payer = h.user("Pay", "en");
  h.command(payer, "start");
  auto now = h.clock.now_ms();
  ASSERT_TRUE(h.db->transact_blocking<std::int64_t>([&](store::Tx& tx) {
    return tx.payments().create_manual(payer.id, 500'00, std::string("photo:x"), now);
  }));
  h.command(r.admin, "admin");
  h.press(r.admin, r.t("admin.payments_button"));
  EXPECT_EQ(h.screen_id(r.admin), "admin_payments");
  // The pending request is listed with its Approve button, which credits it.
  h.press_containing(r.admin, "500");
  EXPECT_EQ(h.balance(payer).available, 500'00);
  h.command(r.admin, "admin");
  h.press(r.admin, r.t("admin.payments_button"));
  h.press(r.admin, r.t("admin.payments.refund_button"));
  EXPECT_EQ(h.screen_id(r.admin), "admin_refund");
  h.text(r.admin, "no-such-charge");
  bool told = false;
  for (const auto& m : h.telegram->bot_messages(r.admin.id))
    if (m.text == r.t("payments.refund.unknown_payment")) told = true;
  EXPECT_TRUE(told);
}

TEST_P(AdminPanel, BroadcastComposePreviewConfirmAndEveryAdminScreen) {
  AdminRig r(harness_options());
  auto& h = r.h;
  std::set<std::string> seen;
  auto note = [&] { seen.insert(h.screen_id(r.admin)); };
  auto reader = h.user("Rea", "en");
  h.command(reader, "start");
  h.command(r.admin, "admin");
  note();
  h.press(r.admin, r.t("admin.stats_button"));
  note();
  h.press(r.admin, r.t("admin.back"));
  h.press(r.admin, r.t("admin.users_button"));
  note();
  h.text(r.admin, std::to_string(reader.id));
  note();
  h.press(r.admin, r.t("admin.users.adjust"));
  note();
  h.press(r.admin, r.t("admin.back"));
  h.press(r.admin, r.t("admin.payments_button"));
  note();
  h.press(r.admin, r.t("admin.payments.refund_button"));
  note();
  h.press(r.admin, r.t("admin.back"));
  h.press(r.admin, r.t("admin.models_button"));
  note();
  h.press_containing(r.admin, "🆓 ");
  note();
  h.press(r.admin, r.t("admin.back"));

  h.press(r.admin, r.t("admin.broadcast_button"));
  note();
  // Longer than Telegram accepts: refused at compose time, the admin stays on the composer.
  h.text(r.admin, std::string(4097, 'x'));
  EXPECT_EQ(h.screen_id(r.admin), "admin_compose");
  bool refused = false;
  for (const auto& m : h.telegram->bot_messages(r.admin.id))
    if (m.text == r.t("admin.broadcast.too_long", {{"limit", "4096"}})) refused = true;
  EXPECT_TRUE(refused);
  h.text(r.admin, "Big <news> today");
  note();
  EXPECT_EQ(h.screen_id(r.admin), "admin_preview");
  bool previewed = false;
  for (const auto& m : h.telegram->bot_messages(r.admin.id))
    if (m.text == "Big <news> today") previewed = true;
  EXPECT_TRUE(previewed);
  h.press(r.admin, r.t("admin.broadcast.add_button"));
  note();
  h.text(r.admin, "no button here");
  EXPECT_EQ(h.screen_id(r.admin), "admin_button");
  h.text(r.admin, "Read | https://example.com/news");
  EXPECT_EQ(h.screen_id(r.admin), "admin_preview");
  h.press(r.admin, r.t("admin.broadcast.send"));
  EXPECT_EQ(h.screen_id(r.admin), "admin");
  EXPECT_EQ(r.audit().front().action, "broadcast");
  auto active = h.db->read_blocking<std::vector<store::Broadcast>>(
      [](store::Tx& tx) { return tx.broadcasts().list_active(); });
  ASSERT_TRUE(active);
  ASSERT_EQ(active->size(), 1u);
  // A second press of the old confirm does not queue another broadcast.
  h.press_data(r.admin, r.screen_message(r.admin), cb("abs"));
  active = h.db->read_blocking<std::vector<store::Broadcast>>(
      [](store::Tx& tx) { return tx.broadcasts().list_active(); });
  ASSERT_TRUE(active);
  EXPECT_EQ(active->size(), 1u);

  services::admin::Broadcaster broadcaster(*h.db, *h.bot, h.clock, *h.texts, h.outbox.get());
  auto sent = h.io.run<Result<std::int64_t>>([&] { return broadcaster.run_once(); });
  ASSERT_TRUE(sent);
  EXPECT_EQ(*sent, 2);  // the reader and the admin
  auto last = h.telegram->last_bot_message(reader.id);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->text, "Big <news> today");
  ASSERT_EQ(last->buttons().size(), 1u);
  EXPECT_EQ(last->buttons()[0].url, "https://example.com/news");
  h.pump();

  std::set<std::string> expected;
  for (auto id : bot::screen::admin_only()) expected.insert(std::string(id));
  EXPECT_EQ(seen, expected);
}

}  // namespace
}  // namespace kb::test
