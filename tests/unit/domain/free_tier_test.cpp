#include "domain/free_tier.hpp"

#include <gtest/gtest.h>

namespace kb::domain {
namespace {

TEST(FreeTier, DayKeysRespectTheOffset) {
  // 2026-01-01T22:30:00Z
  std::int64_t t = 1767306600000;
  EXPECT_EQ(day_key(t, 0), "2026-01-01");
  EXPECT_EQ(day_key(t, 180), "2026-01-02");   // Moscow
  EXPECT_EQ(day_key(t, -300), "2026-01-01");
  EXPECT_EQ(day_key(0, 0), "1970-01-01");
  EXPECT_EQ(day_key(951782400000, 0), "2000-02-29");
  EXPECT_EQ(parse_utc_offset("+03:00"), 180);
  EXPECT_EQ(parse_utc_offset("-05:30"), -330);
  EXPECT_EQ(parse_utc_offset("UTC"), 0);
  EXPECT_FALSE(parse_utc_offset("Europe/Moscow").has_value());
}

TEST(FreeTier, FreeModelsUseDailyThenBonusThenBalance) {
  FundingInput in{true, 0, 5, 0, 400, 1000};
  auto d = decide_funding(in);
  EXPECT_EQ(d.funding, Funding::daily_free);
  EXPECT_EQ(d.charge, 0);
  EXPECT_EQ(d.free_left_after, 4);
  in.used_today = 5;
  in.bonus_free = 2;
  EXPECT_EQ(decide_funding(in).funding, Funding::bonus_free);
  in.bonus_free = 0;
  d = decide_funding(in);
  EXPECT_EQ(d.funding, Funding::balance);
  EXPECT_EQ(d.charge, 400);
  EXPECT_FALSE(d.insufficient);
  in.available = 399;
  EXPECT_TRUE(decide_funding(in).insufficient);
}

TEST(FreeTier, PaidModelsAlwaysUseTheBalance) {
  auto d = decide_funding({false, 0, 5, 3, 1500, 1000});
  EXPECT_EQ(d.funding, Funding::balance);
  EXPECT_TRUE(d.insufficient);
}

}  // namespace
}  // namespace kb::domain
