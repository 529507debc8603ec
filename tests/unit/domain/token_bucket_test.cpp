#include "domain/token_bucket.hpp"

#include <gtest/gtest.h>

namespace kb::domain {
namespace {

TEST(TokenBucket, BurstThenRefillAtTheConfiguredRate) {
  BucketConfig c{30, 20};  // 20 per minute = one token every 3 s
  BucketState s;
  for (int i = 0; i < 30; ++i) {
    auto r = take_tokens(c, s, 1, 0);
    ASSERT_TRUE(r.allowed) << i;
    s = r.state;
  }
  auto refused = take_tokens(c, s, 1, 0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_ms, 3'000);
  s = refused.state;
  EXPECT_FALSE(take_tokens(c, s, 1, 2'999).allowed);
  EXPECT_TRUE(take_tokens(c, s, 1, 3'000).allowed);
}

TEST(TokenBucket, CostsDifferAndRefillNeverExceedsCapacity) {
  BucketConfig c{30, 20};
  BucketState s{0, 0};
  auto r = take_tokens(c, s, 3, 9'000);  // 9 s → 3 tokens
  EXPECT_TRUE(r.allowed);
  EXPECT_EQ(r.state.millitokens, 0);
  auto full = take_tokens(c, {0, 0}, 1, 24 * 3600 * 1000);
  EXPECT_EQ(full.state.millitokens, 29'000);
  auto big = take_tokens(c, {30'000, 0}, 31, 0);
  EXPECT_FALSE(big.allowed);
}

}  // namespace
}  // namespace kb::domain
