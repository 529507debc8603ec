// Free tier, welcome bonus and referral rules on both backends, including the races: two confirms
// at once with one free generation left give exactly one free job.
#include <latch>
#include <thread>

#include "billing_fixture.hpp"
#include "catalog/model.hpp"
#include "domain/ledger_rules.hpp"
#include "services/billing/referral.hpp"
#include "services/billing/stars.hpp"
#include "services/billing/welcome_bonus.hpp"
#include "services/jobs/confirm.hpp"

namespace kb::billing::test {
namespace {

using services::ConfirmResult;
using services::ConfirmStatus;
using services::ReferralAttach;
using services::ReferralSettings;

constexpr Kopecks kPrice = 10'00;

catalog::Model free_model() {
  catalog::Model m;
  m.id = "test/free-image";
  m.slug = "test-free-image";
  m.title = {"Бесплатная", "Free"};
  m.free = true;
  m.price.rub = kPrice;
  return m;
}

class FreeTierTest : public BillingTest {
 protected:
  services::ConfirmRequest request(std::int64_t user, std::string key) {
    services::ConfirmRequest r;
    r.user_id = user;
    r.chat_id = user;
    r.model = &model_;
    r.idempotency_key = std::move(key);
    r.max_active_jobs = 10;
    r.free = free_;
    return r;
  }
  // As the conversation does: a confirm that lost a race for the last free generation
  // (Errc::conflict) is decided again in a fresh transaction.
  ConfirmResult confirm(std::int64_t user, const std::string& key) {
    for (int attempt = 0;; ++attempt) {
      auto r = run<ConfirmResult>([&](store::Tx& tx) { return services::confirm_job(tx, request(user, key), now()); });
      if (r) return *r;
      if (r.error().code != Errc::conflict || attempt == 5) throw std::runtime_error(r.error().describe());
    }
  }
  int used_today(std::int64_t user) {
    auto day = domain::day_key(now(), free_.utc_offset_minutes);
    return must_run<int>([&](store::Tx& tx) { return tx.free_usage().used(user, day); });
  }
  void use_free(std::int64_t user, int n) {
    auto day = domain::day_key(now(), free_.utc_offset_minutes);
    for (int i = 0; i < n; ++i)
      ASSERT_TRUE(must_run<bool>([&](store::Tx& tx) { return tx.free_usage().consume(user, day, free_.daily_limit); }));
  }
  // Two confirms released at the same instant from two threads.
  std::pair<ConfirmResult, ConfirmResult> confirm_twice_at_once(std::int64_t user) {
    std::latch start(2);
    ConfirmResult a, b;
    std::exception_ptr error;
    std::mutex mu;
    auto go = [&](ConfirmResult& out, std::string key) {
      start.arrive_and_wait();
      try {
        out = confirm(user, key);
      } catch (...) {
        std::lock_guard lock(mu);
        error = std::current_exception();
      }
    };
    std::thread t1(go, std::ref(a), "cb-a");
    std::thread t2(go, std::ref(b), "cb-b");
    t1.join();
    t2.join();
    if (error) std::rethrow_exception(error);
    return {a, b};
  }

  catalog::Model model_ = free_model();
  services::FreeTierSettings free_{5, 180};  // the day starts at midnight, UTC+3
};
KB_STORE_BACKENDS(FreeTierTest);

TEST_P(FreeTierTest, FreeGenerationsFirstThenThePrice) {
  add_user(1);
  credit(1, 100'00, "topup:1");
  for (int i = 0; i < 5; ++i) {
    auto r = confirm(1, "cb-" + std::to_string(i));
    ASSERT_EQ(r.status, ConfirmStatus::created);
    EXPECT_TRUE(r.job->is_free);
    EXPECT_EQ(r.plan.free_left_after, 4 - i);
  }
  EXPECT_EQ(used_today(1), 5);
  auto paid = confirm(1, "cb-paid");
  ASSERT_EQ(paid.status, ConfirmStatus::created);
  EXPECT_FALSE(paid.job->is_free);
  EXPECT_EQ(paid.job->price_kopecks, kPrice);
  EXPECT_EQ(balance(1), (store::Balance{90'00, kPrice}));
  // The same confirm again (a double tap): the same job, nothing moves.
  auto again = confirm(1, "cb-paid");
  EXPECT_EQ(again.status, ConfirmStatus::existing);
  EXPECT_EQ(balance(1), (store::Balance{90'00, kPrice}));
  // The next free-tier day (midnight in UTC+3) gives five again.
  clock_.advance(std::chrono::hours(24));
  EXPECT_TRUE(confirm(1, "cb-tomorrow").job->is_free);
  EXPECT_TRUE(problems().empty());
}

TEST_P(FreeTierTest, TwoConfirmsAtOnceWithOneFreeLeftMakeExactlyOneFree) {
  add_user(1);
  credit(1, 100'00, "topup:1");
  use_free(1, 4);
  auto [a, b] = confirm_twice_at_once(1);
  ASSERT_EQ(a.status, ConfirmStatus::created);
  ASSERT_EQ(b.status, ConfirmStatus::created);
  EXPECT_NE(a.job->id, b.job->id);
  EXPECT_EQ(int(a.job->is_free) + int(b.job->is_free), 1);
  EXPECT_EQ(used_today(1), 5);
  // The other one was paid from the balance.
  EXPECT_EQ(balance(1), (store::Balance{90'00, kPrice}));
  EXPECT_TRUE(problems().empty());
}

TEST_P(FreeTierTest, TwoConfirmsAtOnceWithOneBonusLeftMakeExactlyOneFree) {
  add_user(1);
  credit(1, 100'00, "topup:1");
  use_free(1, 5);
  must_run<void>([&](store::Tx& tx) { return tx.free_usage().add_bonus(1, 1, now()); });
  auto [a, b] = confirm_twice_at_once(1);
  EXPECT_EQ(int(a.job->is_free) + int(b.job->is_free), 1);
  EXPECT_EQ(must_run<int>([](store::Tx& tx) { return tx.free_usage().bonus(1); }), 0);
  EXPECT_EQ(balance(1), (store::Balance{90'00, kPrice}));
}

TEST_P(FreeTierTest, WithoutMoneyTheLastFreeGoesToOneAndTheOtherIsTold) {
  add_user(1);
  use_free(1, 4);
  auto [a, b] = confirm_twice_at_once(1);
  int created = (a.status == ConfirmStatus::created) + (b.status == ConfirmStatus::created);
  int short_of_money =
      (a.status == ConfirmStatus::insufficient_funds) + (b.status == ConfirmStatus::insufficient_funds);
  EXPECT_EQ(created, 1);
  EXPECT_EQ(short_of_money, 1);
  EXPECT_EQ(used_today(1), 5);
  EXPECT_EQ(balance(1), (store::Balance{0, 0}));
}

TEST_P(FreeTierTest, WelcomeBonusOncePerUser) {
  add_user(1);
  EXPECT_TRUE(must_run<bool>([&](store::Tx& tx) { return services::grant_welcome_bonus(tx, 1, 50'00, now()); }));
  EXPECT_FALSE(must_run<bool>([&](store::Tx& tx) { return services::grant_welcome_bonus(tx, 1, 50'00, now()); }));
  // The operator changed START_BONUS_RUB: still once, and no error.
  EXPECT_FALSE(must_run<bool>([&](store::Tx& tx) { return services::grant_welcome_bonus(tx, 1, 70'00, now()); }));
  add_user(2);
  EXPECT_FALSE(must_run<bool>([&](store::Tx& tx) { return services::grant_welcome_bonus(tx, 2, 0, now()); }));
  EXPECT_EQ(balance(1), (store::Balance{50'00, 0}));
  EXPECT_EQ(balance(2), (store::Balance{0, 0}));
  auto e = entries(1);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].kind, store::LedgerKind::bonus);
  EXPECT_EQ(e[0].idempotency_key, domain::welcome_bonus_key(1));
}

TEST_P(FreeTierTest, ReferralAttachRules) {
  ReferralSettings on{ReferralSettings::Kind::free_generations, 3};
  add_user(10);  // the inviter
  add_user(11);  // invited, new
  auto attach = [&](std::int64_t invited, std::int64_t referrer, bool is_new, ReferralSettings s) {
    return must_run<ReferralAttach>(
        [&](store::Tx& tx) { return services::attach_referral(tx, invited, referrer, is_new, s, now()); });
  };
  EXPECT_EQ(attach(11, 11, true, on), ReferralAttach::self_referral);
  EXPECT_EQ(attach(11, 999, true, on), ReferralAttach::unknown_referrer);
  EXPECT_EQ(attach(11, 10, true, {ReferralSettings::Kind::none, 0}), ReferralAttach::disabled);
  EXPECT_EQ(attach(11, 10, true, on), ReferralAttach::attached);
  add_user(12);
  EXPECT_EQ(attach(11, 12, true, on), ReferralAttach::already_attached);  // first referrer wins
  EXPECT_EQ(attach(12, 10, false, on), ReferralAttach::not_new);
  auto link = must_run<std::optional<store::Referral>>([](store::Tx& tx) { return tx.referrals().get(11); });
  ASSERT_TRUE(link);
  EXPECT_EQ(link->referrer_id, 10);
  auto screen = must_run<services::ReferralScreenData>(
      [&](store::Tx& tx) { return services::referral_screen(tx, 10, "@genart_bot", on); });
  EXPECT_EQ(screen.link, "https://t.me/genart_bot?start=ref_10");
  EXPECT_EQ(screen.invited, 1);
  EXPECT_EQ(screen.rewarded, 0);
  EXPECT_EQ(services::referral_link("", 10), "");
}

TEST_P(FreeTierTest, AFirstStarsTopUpRewardsTheInviterOnce) {
  ReferralSettings reward{ReferralSettings::Kind::free_generations, 3};
  add_user(10);
  add_user(11);
  must_run<ReferralAttach>([&](store::Tx& tx) { return services::attach_referral(tx, 11, 10, true, reward, now()); });
  services::StarsSettings stars{{{100'00, 70}}};
  auto pay = [&](std::string charge) {
    auto invoice = must_run<telegram::SendInvoice>([&](store::Tx& tx) {
      return services::make_invoice(tx, stars, 11, 11, 0, {"t", "d", "l"}, now());
    });
    auto message = successful_payment(11, invoice.invoice.payload, 70, std::move(charge));
    return must_run<services::StarsCredit>(
        [&](store::Tx& tx) { return services::credit_successful_payment(tx, message, reward, now()); });
  };
  auto first = pay("stx-first");
  EXPECT_EQ(first.rewarded_referrer, 10);
  auto second = pay("stx-second");
  EXPECT_FALSE(second.rewarded_referrer);
  EXPECT_EQ(must_run<int>([](store::Tx& tx) { return tx.free_usage().bonus(10); }), 3);
  auto screen = must_run<services::ReferralScreenData>(
      [&](store::Tx& tx) { return services::referral_screen(tx, 10, "genart_bot", reward); });
  EXPECT_EQ(screen.rewarded, 1);
  EXPECT_EQ(screen.bonus_free_left, 3);
  EXPECT_EQ(balance(11), (store::Balance{200'00, 0}));
}

TEST_P(FreeTierTest, AFirstPaidGenerationRewardsTheInviterInRubles) {
  ReferralSettings reward{ReferralSettings::Kind::kopecks, 25'00};
  add_user(10);
  add_user(11);
  must_run<ReferralAttach>([&](store::Tx& tx) { return services::attach_referral(tx, 11, 10, true, reward, now()); });
  credit(11, 100'00, "topup:11");
  use_free(11, 5);  // the free ones are used up: this one is paid
  auto job = confirm(11, "cb-paid");
  ASSERT_FALSE(job.job->is_free);
  auto settled = must_run<services::SettlementResult>([&](store::Tx& tx) {
    return services::settle_job(tx, *job.job, domain::Settlement::capture, reward, now());
  });
  EXPECT_EQ(settled.rewarded_referrer, 10);
  EXPECT_EQ(balance(10), (store::Balance{25'00, 0}));
  EXPECT_EQ(balance(11), (store::Balance{90'00, 0}));
  // A second paid generation pays nothing more.
  auto next = confirm(11, "cb-paid-2");
  auto settled_again = must_run<services::SettlementResult>([&](store::Tx& tx) {
    return services::settle_job(tx, *next.job, domain::Settlement::capture, reward, now());
  });
  EXPECT_FALSE(settled_again.rewarded_referrer);
  EXPECT_EQ(balance(10), (store::Balance{25'00, 0}));
  auto e = entries(10);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].kind, store::LedgerKind::referral_reward);
  EXPECT_TRUE(problems().empty());
}

}  // namespace
}  // namespace kb::billing::test
