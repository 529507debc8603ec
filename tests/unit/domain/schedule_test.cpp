#include "domain/schedule.hpp"

#include <gtest/gtest.h>

namespace kb::domain {
namespace {

TEST(Schedule, PollingGrowsFromTwoSecondsToTheCap) {
  PollPolicy p;
  EXPECT_EQ(poll_delay_ms(p, 0, false, 60'000), 2'000);
  EXPECT_EQ(poll_delay_ms(p, 1, false, 60'000), 2'800);
  EXPECT_GT(poll_delay_ms(p, 3, false, 60'000), poll_delay_ms(p, 2, false, 60'000));
  EXPECT_EQ(poll_delay_ms(p, 20, false, 60'000), 15'000);
  EXPECT_EQ(poll_delay_ms(p, 1000, false, 60'000), 15'000);
}

TEST(Schedule, WithCallbacksPollingIsASlowSafetyNet) {
  PollPolicy p;
  EXPECT_EQ(poll_delay_ms(p, 0, true, 20'000), 20'000);
  EXPECT_EQ(poll_delay_ms(p, 0, true, 500), 2'000);
  EXPECT_EQ(poll_delay_ms(p, 0, true, 600'000), 30'000);
  EXPECT_EQ(poll_delay_ms(p, 1, true, 20'000), 30'000);
  EXPECT_EQ(poll_delay_ms(p, 2, true, 20'000), 42'000);
  EXPECT_GT(poll_delay_ms(p, 5, true, 20'000), poll_delay_ms(p, 4, true, 20'000));
  EXPECT_EQ(poll_delay_ms(p, 50, true, 20'000), 120'000);
}

TEST(Schedule, BackoffDoublesAndCaps) {
  EXPECT_EQ(retry_backoff_ms(0), 2'000);
  EXPECT_EQ(retry_backoff_ms(1), 4'000);
  EXPECT_EQ(retry_backoff_ms(4), 32'000);
  EXPECT_EQ(retry_backoff_ms(5), 60'000);
  EXPECT_EQ(retry_backoff_ms(50), 60'000);
  EXPECT_EQ(retry_backoff_ms(5, 2'000, 60'000, 0.5), 45'000);
}

TEST(Schedule, DeliveryRetriesAreCappedAtAFewMinutes) {
  DeliveryRetryPolicy p;
  EXPECT_EQ(delivery_retry_delay_ms(p, 0), 2'000);
  EXPECT_EQ(delivery_retry_delay_ms(p, 6), 128'000);
  EXPECT_EQ(delivery_retry_delay_ms(p, 7), 180'000);
  EXPECT_EQ(delivery_retry_delay_ms(p, 1000), 180'000);
}

TEST(Schedule, DeliveryRetriesEndWithTheWindow) {
  DeliveryRetryPolicy p;
  p.window_ms = 3'600'000;
  const std::int64_t result_at = 10'000;
  // Many failed tries inside the window: still retried, at most the cap apart.
  EXPECT_EQ(delivery_retry_at(p, 40, result_at, result_at + 1'000), result_at + 1'000 + 180'000);
  // Near the end the last try is put on the end of the window itself…
  EXPECT_EQ(delivery_retry_at(p, 40, result_at, result_at + 3'500'000), result_at + 3'600'000);
  // …and a try that fails there or later gives up.
  EXPECT_EQ(delivery_retry_at(p, 40, result_at, result_at + 3'600'000), std::nullopt);
  EXPECT_EQ(delivery_retry_at(p, 0, result_at, result_at + 7'200'000), std::nullopt);
}

TEST(Schedule, Deadlines) {
  auto d = deadlines_for(1'000, 120, 900);
  EXPECT_EQ(d.patience_at_ms, 121'000);
  EXPECT_EQ(d.hard_limit_at_ms, 901'000);
}

}  // namespace
}  // namespace kb::domain
