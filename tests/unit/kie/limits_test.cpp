// The create budget's sliding window and the backoff schedule.
#include <gtest/gtest.h>

#include "kie/backoff.hpp"
#include "kie/sliding_window.hpp"

namespace kb::kie {
namespace {

using namespace std::chrono_literals;

TEST(SlidingWindow, AllowsLimitThenWaitsForTheOldestToExpire) {
  SlidingWindowLimiter w(18, 10s);
  for (int i = 0; i < 18; ++i) EXPECT_EQ(w.try_acquire(1000 + i * 100), 0) << i;
  // The 19th inside the window waits until the first (t=1000) leaves at t=11000.
  EXPECT_EQ(w.try_acquire(3000), 8000);
  EXPECT_EQ(w.in_window(3000), 18u);
  EXPECT_EQ(w.try_acquire(11000), 0);
  EXPECT_EQ(w.try_acquire(11000), 100);  // the second left at 11100
}

TEST(SlidingWindow, NeverMoreThanLimitInAnyWindow) {
  SlidingWindowLimiter w(5, 1000ms);
  std::vector<std::int64_t> granted;
  for (std::int64_t t = 0; t < 10000; t += 37)
    if (w.try_acquire(t) == 0) granted.push_back(t);
  for (std::size_t i = 5; i < granted.size(); ++i) EXPECT_GE(granted[i] - granted[i - 5], 1000);
  EXPECT_GT(granted.size(), 40u);
}

TEST(SlidingWindow, ClockSteppingBackDoesNotBlockForever) {
  SlidingWindowLimiter w(1, 1000ms);
  EXPECT_EQ(w.try_acquire(50'000), 0);
  EXPECT_LE(w.try_acquire(10'000), 1000);
}

TEST(Backoff, ExponentialWithCapAndNoJitter) {
  BackoffPolicy p{1000ms, 2.0, 8000ms, 5, 0.0};
  EXPECT_EQ(backoff_delay(p, 1, 0.5), 1000ms);
  EXPECT_EQ(backoff_delay(p, 2, 0.5), 2000ms);
  EXPECT_EQ(backoff_delay(p, 3, 0.5), 4000ms);
  EXPECT_EQ(backoff_delay(p, 4, 0.5), 8000ms);
  EXPECT_EQ(backoff_delay(p, 10, 0.5), 8000ms);
}

TEST(Backoff, JitterStaysWithinBoundsAndCap) {
  BackoffPolicy p{1000ms, 2.0, 8000ms, 5, 0.2};
  EXPECT_EQ(backoff_delay(p, 1, 0.0), 800ms);
  EXPECT_EQ(backoff_delay(p, 1, 1.0), 1200ms);
  EXPECT_EQ(backoff_delay(p, 10, 1.0), 8000ms);
}

}  // namespace
}  // namespace kb::kie
