// Money settings resolved from the environment.
#include <gtest/gtest.h>

#include "app/config.hpp"
#include "services/billing/money_config.hpp"

namespace kb::services {
namespace {

TEST(MoneyConfig, Defaults) {
  auto c = app::parse_config({});
  ASSERT_TRUE(c) << c.error().message;
  auto s = money_settings(*c);
  EXPECT_EQ(s.free.daily_limit, 5);
  EXPECT_EQ(s.free.utc_offset_minutes, 0);
  EXPECT_EQ(s.referral.kind, ReferralSettings::Kind::free_generations);
  EXPECT_EQ(s.referral.amount, 3);
  EXPECT_EQ(s.welcome_bonus, 0);
  ASSERT_EQ(s.stars.packages.size(), 3u);
  EXPECT_EQ(s.stars.packages[0].credit, 100'00);
  EXPECT_EQ(s.stars.packages[0].stars, 70);
  EXPECT_FALSE(s.manual.enabled());
}

TEST(MoneyConfig, EveryVariable) {
  auto c = app::parse_config({{"FREE_DAILY_LIMIT", "2"},
                              {"FREE_TIER_TIMEZONE", "+03:00"},
                              {"REFERRAL_REWARD", "rub:25.50"},
                              {"START_BONUS_RUB", "49.90"},
                              {"STARS_PACKAGES", "250:170"},
                              {"MANUAL_TOPUP_DETAILS", "Card 2202"},
                              {"ADMIN_IDS", "7001,7002"}});
  ASSERT_TRUE(c) << c.error().message;
  auto s = money_settings(*c);
  EXPECT_EQ(s.free.daily_limit, 2);
  EXPECT_EQ(s.free.utc_offset_minutes, 180);
  EXPECT_EQ(s.referral.kind, ReferralSettings::Kind::kopecks);
  EXPECT_EQ(s.referral.amount, 25'50);
  EXPECT_EQ(s.welcome_bonus, 49'90);
  ASSERT_EQ(s.stars.packages.size(), 1u);
  EXPECT_EQ(s.stars.packages[0].credit, 250'00);
  EXPECT_EQ(s.stars.packages[0].stars, 170);
  EXPECT_TRUE(s.manual.enabled());
  EXPECT_EQ(s.manual.details, "Card 2202");
  EXPECT_EQ(s.manual.admin_ids, (std::vector<std::int64_t>{7001, 7002}));

  auto none = app::parse_config({{"REFERRAL_REWARD", "none"}, {"FREE_TIER_TIMEZONE", "-05:30"}});
  ASSERT_TRUE(none);
  EXPECT_EQ(money_settings(*none).referral.kind, ReferralSettings::Kind::none);
  EXPECT_EQ(money_settings(*none).free.utc_offset_minutes, -330);
}

}  // namespace
}  // namespace kb::services
