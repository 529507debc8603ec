#include "domain/start_payload.hpp"

#include <gtest/gtest.h>

namespace kb::domain {
namespace {

TEST(StartPayload, ParsesReferralAndModelLinks) {
  auto r = parse_start_payload("ref_5550001001");
  ASSERT_TRUE(std::holds_alternative<ReferralPayload>(r));
  EXPECT_EQ(std::get<ReferralPayload>(r).referrer_id, 5550001001);
  auto m = parse_start_payload("m-seedream-4-5-edit");
  ASSERT_TRUE(std::holds_alternative<ModelPayload>(m));
  EXPECT_EQ(std::get<ModelPayload>(m).slug, "seedream-4-5-edit");
}

TEST(StartPayload, IgnoresMalformedPayloads) {
  for (auto p : {"", "ref_", "ref_abc", "ref_-1", "ref_0", "ref_12x", "m-", "m-Bad_Slug", "hello",
                 "ref_99999999999999999999999"})
    EXPECT_TRUE(std::holds_alternative<NoPayload>(parse_start_payload(p))) << p;
}

TEST(StartPayload, NoSelfReferral) {
  EXPECT_FALSE(referral_allowed(5, 5));
  EXPECT_FALSE(referral_allowed(5, 0));
  EXPECT_TRUE(referral_allowed(5, 6));
}

}  // namespace
}  // namespace kb::domain
