// The pure mapping of the Python bot's rows: money, roles, languages and referrers.
#include "app/legacy_import/legacy_plan.hpp"

#include <gtest/gtest.h>

namespace kb::app::legacy_import {
namespace {

LegacyUserRow row(std::int64_t id) {
  LegacyUserRow r;
  r.user_id = id;
  return r;
}

TEST(LegacyPlan, OpeningBalanceIsAvailablePlusHeldInKopecksWithAKeyAndASourceNote) {
  auto a = row(1);
  a.balance_rub = "150.75";
  a.hold_rub = "0.30";
  auto b = row(2);  // no wallet
  auto plan = plan_import({a, b}, "db:5432/old");
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->users.size(), 2u);
  EXPECT_EQ(plan->users[0].opening, 151'05);
  EXPECT_EQ(plan->users[0].opening_key, "legacy:opening:1");
  EXPECT_EQ(plan->users[0].opening_note,
            "import-legacy from db:5432/old: wallets.balance_rub=150.75 hold_rub=0.30");
  EXPECT_EQ(plan->users[1].opening, 0);
  EXPECT_EQ(plan->users[1].opening_key, "");
  EXPECT_EQ(plan->total_opening, 151'05);
}

TEST(LegacyPlan, AnAmountThatIsNotRublesStopsThePlan) {
  auto a = row(7);
  a.balance_rub = "1.005";
  auto plan = plan_import({a}, "x");
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().message, "user 7: wallets.balance_rub = '1.005' is not a ruble amount");
  a.balance_rub = "-3.00";
  EXPECT_FALSE(plan_import({a}, "x"));
}

TEST(LegacyPlan, RolesAndLanguages) {
  auto admin = row(1), banned = row(2), odd = row(3);
  admin.role = "admin";
  admin.locale = "EN-us";
  banned.role = "banned";
  banned.locale = "de";
  odd.role = "moderator";
  auto plan = plan_import({admin, banned, odd}, "x");
  ASSERT_TRUE(plan);
  EXPECT_TRUE(plan->users[0].admin);
  EXPECT_EQ(plan->users[0].language, "en");
  EXPECT_TRUE(plan->users[1].banned);
  EXPECT_EQ(plan->users[1].language, std::nullopt);
  EXPECT_FALSE(plan->users[2].admin);
  EXPECT_FALSE(plan->users[2].banned);
  ASSERT_EQ(plan->warnings.size(), 1u);
  EXPECT_EQ(plan->warnings[0], "user 3: unknown role 'moderator' imported as user");
}

TEST(LegacyPlan, OnlyKnownOtherUsersBecomeReferrers) {
  auto inviter = row(10), ok = row(11), self = row(12), unknown = row(13), junk = row(14);
  ok.referrer_id = "10";
  ok.has_paid = true;
  self.referrer_id = "12";
  unknown.referrer_id = "99";
  junk.referrer_id = "ref_10";
  auto plan = plan_import({inviter, ok, self, unknown, junk}, "x");
  ASSERT_TRUE(plan);
  ASSERT_EQ(plan->referrals.size(), 1u);
  EXPECT_EQ(plan->referrals[0].invited_id, 11);
  EXPECT_EQ(plan->referrals[0].referrer_id, 10);
  EXPECT_TRUE(plan->referrals[0].rewarded);
  EXPECT_EQ(plan->warnings.size(), 3u);
}

TEST(LegacyPlan, TheDryRunTextNamesMoneyRolesReferralsAndTotals) {
  auto a = row(1), b = row(2);
  a.balance_rub = "10.00";
  a.role = "admin";
  b.referrer_id = "1";
  auto plan = plan_import({a, b}, "src");
  ASSERT_TRUE(plan);
  EXPECT_EQ(format_plan(*plan),
            "import-legacy: source src\n"
            "  user 1 (admin): opening balance 10 RUB\n"
            "  referral: 2 invited by 1\n"
            "import-legacy: 2 users, 1 opening balances totalling 10 RUB, 1 referrals, 0 "
            "warnings\n");
}

}  // namespace
}  // namespace kb::app::legacy_import
