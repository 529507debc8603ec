// Pure admin rules: adjustment input, URL buttons, broadcast content round trip, stats periods and
// alert thresholds.
#include <gtest/gtest.h>

#include "services/admin/admin_ops.hpp"
#include "services/admin/alert_rules.hpp"
#include "services/admin/broadcast_content.hpp"
#include "services/admin/stats.hpp"

namespace kb::services::admin {
namespace {

TEST(AdminRules, ParsesAdjustments) {
  auto plus = parse_adjustment("+150 goodwill");
  ASSERT_TRUE(plus);
  EXPECT_EQ(plus->delta, 150'00);
  EXPECT_EQ(plus->reason, "goodwill");
  auto minus = parse_adjustment("  -49.90   duplicate top-up ");
  ASSERT_TRUE(minus);
  EXPECT_EQ(minus->delta, -49'90);
  EXPECT_EQ(minus->reason, "duplicate top-up");
  EXPECT_EQ(parse_adjustment("12 x")->delta, 12'00);
  EXPECT_FALSE(parse_adjustment("150"));
  EXPECT_FALSE(parse_adjustment("0 nothing"));
  EXPECT_FALSE(parse_adjustment("abc reason"));
  EXPECT_FALSE(parse_adjustment("1.234 too precise"));
  EXPECT_FALSE(parse_adjustment(""));
}

TEST(AdminRules, ParsesUrlButtons) {
  auto b = parse_url_button(" Read more | https://example.com/a?b=1 ");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->first, "Read more");
  EXPECT_EQ(b->second, "https://example.com/a?b=1");
  EXPECT_FALSE(parse_url_button("no bar"));
  EXPECT_FALSE(parse_url_button(" | https://example.com"));
  EXPECT_FALSE(parse_url_button("Text | ftp://example.com"));
  EXPECT_FALSE(parse_url_button("Text | javascript:alert(1)"));
  EXPECT_FALSE(parse_url_button("Text | https://exa mple.com"));
}

TEST(AdminRules, BroadcastContentRoundTripsAndBuildsRequests) {
  BroadcastContent photo{"caption <b>", "file-123", "Go", "https://example.com"};
  auto back = content_from_json(content_to_json(photo));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->photo, "file-123");
  EXPECT_EQ(back->button_url, "https://example.com");
  auto request = broadcast_request(*back, 42);
  auto* media = std::get_if<telegram::SendMedia>(&request);
  ASSERT_TRUE(media);
  EXPECT_EQ(media->chat_id, 42);
  EXPECT_EQ(media->caption, "caption &lt;b&gt;");
  ASSERT_TRUE(media->reply_markup);
  auto text = broadcast_request(BroadcastContent{"hi", "", "", ""}, 7);
  auto* message = std::get_if<telegram::SendMessage>(&text);
  ASSERT_TRUE(message);
  EXPECT_FALSE(message->reply_markup);
  EXPECT_FALSE(content_from_json("not json"));
  EXPECT_FALSE(content_from_json("{}"));
}

TEST(AdminRules, PeriodsStartWhereExpected) {
  constexpr std::int64_t day = 24LL * 3600 * 1000;
  std::int64_t now = 100 * day + 5 * 3600 * 1000;
  EXPECT_EQ(period_start(StatsPeriod::today, now), 100 * day);
  EXPECT_EQ(period_start(StatsPeriod::week, now), now - 7 * day);
  EXPECT_EQ(period_start(StatsPeriod::month, now), now - 30 * day);
  EXPECT_EQ(parse_period("w"), StatsPeriod::week);
  EXPECT_FALSE(parse_period("x"));
  StatsReport r;
  EXPECT_EQ(r.conversion_percent(), 0);
  r.free_users = 3;
  r.converted_users = 1;
  EXPECT_EQ(r.conversion_percent(), 33);
}

TEST(AdminRules, AlertThresholds) {
  AlertThresholds t;
  EXPECT_TRUE(credits_low(499.0, t));
  EXPECT_FALSE(credits_low(500.0, t));
  EXPECT_FALSE(credits_low(std::nullopt, t));
  EXPECT_FALSE(failure_spike(100, 9, t));   // too few
  EXPECT_FALSE(failure_spike(100, 20, t));  // too small a share
  EXPECT_TRUE(failure_spike(20, 10, t));
  EXPECT_TRUE(cooled_down(std::nullopt, 0, t));
  EXPECT_FALSE(cooled_down(1000, 1000 + t.cooldown_ms - 1, t));
  EXPECT_TRUE(cooled_down(1000, 1000 + t.cooldown_ms, t));
}

}  // namespace
}  // namespace kb::services::admin
