// Manual bank-transfer top-ups on both backends: nothing credited before approval, two admins
// approving at once credit once, a rejection tells the user why and moves no money, non-admins
// and stale buttons are handled.
#include <latch>
#include <thread>

#include "billing_fixture.hpp"
#include "bot/callback_data.hpp"
#include "domain/ledger_rules.hpp"
#include "services/billing/manual_admin.hpp"
#include "services/billing/money_views.hpp"

namespace kb::billing::test {
namespace {

using services::AdminPress;
using services::AdminPressEffects;
using services::ManualDecision;
using services::ManualDecisionStatus;
using services::ManualSubmitStatus;
using services::ManualSubmitted;

constexpr std::int64_t kUser = 5550001001;
constexpr std::int64_t kAdminA = 7001;  // from ADMIN_IDS
constexpr std::int64_t kAdminB = 7002;  // admin role in the database

class ManualTopupTest : public BillingTest {
 protected:
  void SetUp() override {
    BillingTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    auto loaded = bot::Texts::load("");
    ASSERT_TRUE(loaded) << loaded.error().message;
    texts_ = std::make_unique<bot::Texts>(std::move(*loaded));
    texts_->set_globals({{"brand", "GenArt"}, {"support", "@support"}});
    settings_.details = "Card 2202 2000 0000 0000, Ivan I.";
    settings_.admin_ids = {kAdminA};
    add_user(kUser, "Alice");
    add_user(kAdminA, "Anna");
    add_user(kAdminB, "Boris");
    must_run<bool>([&](store::Tx& tx) { return tx.users().set_role(kAdminB, store::Role::admin, now()); });
    must_run<bool>([&](store::Tx& tx) { return tx.users().set_language(kAdminB, "en", now()); });
  }
  ManualSubmitted submit(Kopecks amount, std::string file = "AgACphoto") {
    return must_run<ManualSubmitted>([&](store::Tx& tx) {
      return services::submit_manual_topup(tx, settings_, kUser, amount,
                                           {services::Receipt::Kind::photo, file}, now());
    });
  }
  AdminPressEffects press(std::int64_t admin, std::string_view action, std::vector<std::string> args,
                          std::int64_t message_id = 900) {
    AdminPress p;
    p.admin_id = admin;
    p.chat_id = admin;
    p.message_id = message_id;
    p.data = *bot::decode_callback(*bot::encode_callback(action, args));
    return must_run<AdminPressEffects>([&](store::Tx& tx) {
      return services::handle_manual_admin_press(tx, *texts_, settings_, referral_, p, now());
    });
  }

  std::unique_ptr<bot::Texts> texts_;
  services::ManualTopupSettings settings_;
  services::ReferralSettings referral_;
};
KB_STORE_BACKENDS(ManualTopupTest);

TEST_P(ManualTopupTest, ARequestReachesEveryAdminAndCreditsNothingYet) {
  auto submitted = submit(500'00);
  ASSERT_EQ(submitted.status, ManualSubmitStatus::submitted);
  EXPECT_EQ(submitted.request.status, store::ManualStatus::pending);
  EXPECT_EQ(submitted.request.amount_kopecks, 500'00);
  EXPECT_EQ(submitted.admins, (std::vector<std::int64_t>{kAdminA, kAdminB}));
  EXPECT_EQ(balance(kUser), (store::Balance{0, 0}));

  auto notices = must_run<std::vector<telegram::SendMedia>>(
      [&](store::Tx& tx) { return services::manual_admin_notices(tx, *texts_, submitted); });
  ASSERT_EQ(notices.size(), 2u);
  EXPECT_EQ(notices[0].chat_id, kAdminA);
  EXPECT_EQ(notices[0].type, telegram::MediaType::photo);
  EXPECT_EQ(notices[0].file.remote, "AgACphoto");
  EXPECT_NE(notices[0].caption.find("Заявка №" + std::to_string(submitted.request.id)), std::string::npos)
      << notices[0].caption;
  EXPECT_EQ(notices[1].chat_id, kAdminB);
  EXPECT_NE(notices[1].caption.find("Request #"), std::string::npos) << notices[1].caption;  // his language
  // The buttons are valid Bot API markup.
  for (const auto& n : notices) EXPECT_TRUE(telegram::build_send_media(n)) << n.caption;

  auto text = services::manual_submitted_text(*texts_, bot::Lang::ru, submitted);
  EXPECT_NE(text.find("500 ₽"), std::string::npos) << text;
}

TEST_P(ManualTopupTest, LimitsAndSwitches) {
  EXPECT_EQ(submit(99'99).status, ManualSubmitStatus::invalid_amount);
  EXPECT_EQ(submit(100'000'01).status, ManualSubmitStatus::invalid_amount);
  for (int i = 0; i < settings_.max_pending_per_user; ++i)
    EXPECT_EQ(submit(100'00).status, ManualSubmitStatus::submitted);
  EXPECT_EQ(submit(100'00).status, ManualSubmitStatus::too_many_pending);
  settings_.details.clear();
  EXPECT_EQ(submit(100'00).status, ManualSubmitStatus::disabled);
  EXPECT_EQ(balance(kUser), (store::Balance{0, 0}));
}

TEST_P(ManualTopupTest, ApprovalCreditsOnceAndTellsTheUser) {
  auto id = std::to_string(submit(500'00).request.id);
  auto fx = press(kAdminA, services::money_actions::manual_approve, {id});
  ASSERT_TRUE(fx.handled);
  ASSERT_TRUE(fx.decision);
  EXPECT_EQ(fx.decision->status, ManualDecisionStatus::approved);
  EXPECT_EQ(balance(kUser), (store::Balance{500'00, 0}));
  ASSERT_TRUE(fx.edit);
  EXPECT_FALSE(fx.edit->reply_markup);  // the buttons are gone
  ASSERT_EQ(fx.messages.size(), 2u);
  EXPECT_EQ(fx.messages[0].chat_id, kAdminA);
  EXPECT_EQ(fx.messages[1].chat_id, kUser);
  EXPECT_NE(fx.messages[1].text.find("500 ₽"), std::string::npos) << fx.messages[1].text;
  EXPECT_FALSE(fx.callback_answer.empty());

  // The other admin presses later: told who decided, nothing more is credited.
  auto late = press(kAdminB, services::money_actions::manual_approve, {id}, 901);
  EXPECT_EQ(late.decision->status, ManualDecisionStatus::already_decided);
  EXPECT_TRUE(late.alert);
  EXPECT_NE(late.callback_answer.find("@user7001"), std::string::npos) << late.callback_answer;
  EXPECT_TRUE(late.messages.empty());
  EXPECT_EQ(balance(kUser), (store::Balance{500'00, 0}));
  auto e = entries(kUser);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].idempotency_key, domain::manual_topup_key(std::stoll(id)));
  EXPECT_TRUE(e[0].admin_action_id);
  auto audit = must_run<std::vector<store::AdminAction>>(
      [](store::Tx& tx) { return tx.admin_actions().list_for_user(kUser, 10); });
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "manual_topup_approve");
  EXPECT_EQ(audit[0].admin_id, kAdminA);
}

TEST_P(ManualTopupTest, TwoAdminsApprovingAtOnceCreditOnce) {
  for (int round = 0; round < 5; ++round) {
    auto request_id = submit(1'000'00).request.id;
    std::latch start(2);
    ManualDecision a, b;
    auto approve = [&](ManualDecision& out, std::int64_t admin) {
      start.arrive_and_wait();
      out = must_run<ManualDecision>([&](store::Tx& tx) {
        return services::approve_manual_topup(tx, settings_, request_id, admin, referral_, now());
      });
    };
    std::thread t1(approve, std::ref(a), kAdminA);
    std::thread t2(approve, std::ref(b), kAdminB);
    t1.join();
    t2.join();
    int approved = (a.status == ManualDecisionStatus::approved) + (b.status == ManualDecisionStatus::approved);
    int decided = (a.status == ManualDecisionStatus::already_decided) +
                  (b.status == ManualDecisionStatus::already_decided);
    EXPECT_EQ(approved, 1) << "round " << round;
    EXPECT_EQ(decided, 1) << "round " << round;
    EXPECT_EQ(balance(kUser).available, (round + 1) * 1'000'00);
  }
  EXPECT_EQ(entries(kUser).size(), 5u);
  EXPECT_TRUE(problems().empty());
}

TEST_P(ManualTopupTest, RejectionWithAReasonTellsTheUserAndMovesNoMoney) {
  auto id = std::to_string(submit(700'00).request.id);
  // Reject first shows the reasons on the same message.
  auto reasons = press(kAdminB, services::money_actions::manual_reject, {id});
  ASSERT_TRUE(reasons.edit);
  ASSERT_TRUE(reasons.edit->reply_markup);
  EXPECT_EQ(reasons.edit->message_id, 900);
  EXPECT_EQ(reasons.edit->reply_markup->rows.size(), domain::all_reject_reasons().size() + 1);
  EXPECT_FALSE(reasons.decision);
  // Back restores Approve / Reject; nothing is decided yet.
  auto back = press(kAdminB, services::money_actions::manual_back, {id});
  ASSERT_TRUE(back.edit && back.edit->reply_markup);
  EXPECT_EQ(bot::decode_callback(back.edit->reply_markup->rows[0][0].callback_data)->action,
            services::money_actions::manual_approve);

  auto fx = press(kAdminB, services::money_actions::manual_reject_reason, {id, "wrong_amount"});
  ASSERT_EQ(fx.decision->status, ManualDecisionStatus::rejected);
  EXPECT_EQ(fx.decision->request->reason, "wrong_amount");
  ASSERT_EQ(fx.messages.size(), 2u);
  const auto& to_user = fx.messages[1];
  EXPECT_EQ(to_user.chat_id, kUser);
  EXPECT_NE(to_user.text.find("сумма перевода не совпадает с заявкой"), std::string::npos) << to_user.text;
  EXPECT_NE(to_user.text.find("700 ₽"), std::string::npos) << to_user.text;
  EXPECT_EQ(balance(kUser), (store::Balance{0, 0}));
  EXPECT_TRUE(entries(kUser).empty());
  // Approving a rejected request afterwards does nothing.
  auto late = press(kAdminA, services::money_actions::manual_approve, {id});
  EXPECT_EQ(late.decision->status, ManualDecisionStatus::already_decided);
  EXPECT_EQ(balance(kUser), (store::Balance{0, 0}));
}

TEST_P(ManualTopupTest, NonAdminsAndUnknownRequestsAreRefused) {
  auto id = std::to_string(submit(300'00).request.id);
  auto fx = press(kUser, services::money_actions::manual_approve, {id});
  EXPECT_EQ(fx.decision->status, ManualDecisionStatus::forbidden);
  EXPECT_TRUE(fx.alert);
  EXPECT_FALSE(fx.edit);
  auto reject = press(kUser, services::money_actions::manual_reject, {id});
  EXPECT_EQ(reject.decision->status, ManualDecisionStatus::forbidden);
  EXPECT_EQ(balance(kUser), (store::Balance{0, 0}));
  auto pending = must_run<std::vector<store::ManualTopup>>([](store::Tx& tx) { return tx.payments().pending_manual(10); });
  EXPECT_EQ(pending.size(), 1u);

  auto missing = press(kAdminA, services::money_actions::manual_approve, {"424242"});
  EXPECT_EQ(missing.decision->status, ManualDecisionStatus::not_found);
  auto other = press(kAdminA, "h", {});
  EXPECT_FALSE(other.handled);
}

}  // namespace
}  // namespace kb::billing::test
