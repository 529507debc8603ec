// The retry policy of every documented code, per endpoint: createTask must never be repeated when
// the provider may have acted on it.
#include <gtest/gtest.h>

#include "kie/failure.hpp"

namespace kb::kie {
namespace {

struct Expectation {
  int code;
  Retry create;
  Retry record;
};

TEST(FailureClassification, RetryPolicyPerCode) {
  const Expectation table[] = {
      {400, Retry::never, Retry::never},     {401, Retry::never, Retry::never},
      {402, Retry::never, Retry::never},     {403, Retry::never, Retry::never},
      {404, Retry::never, Retry::never},     {408, Retry::later, Retry::later},
      {422, Retry::never, Retry::never},     {429, Retry::later, Retry::later},
      {433, Retry::never, Retry::never},     {451, Retry::never, Retry::never},
      {455, Retry::later, Retry::later},     {500, Retry::ambiguous, Retry::later},
      {501, Retry::never, Retry::never},     {502, Retry::ambiguous, Retry::later},
      {503, Retry::ambiguous, Retry::later}, {504, Retry::ambiguous, Retry::later},
      {505, Retry::never, Retry::never},     {550, Retry::later, Retry::later},
      {418, Retry::never, Retry::never},
  };
  for (const auto& e : table) {
    EXPECT_EQ(retry_name(classify_code(Endpoint::create_task, e.code, 200, "").retry),
              retry_name(e.create))
        << "createTask code " << e.code;
    EXPECT_EQ(retry_name(classify_code(Endpoint::record_info, e.code, 200, "").retry),
              retry_name(e.record))
        << "recordInfo code " << e.code;
  }
}

TEST(FailureClassification, TransportFailures) {
  auto never_sent = classify_transport(Endpoint::create_task, Error{Errc::unavailable, "refused"});
  EXPECT_EQ(never_sent.retry, Retry::later);
  EXPECT_EQ(never_sent.reason, FailureReason::provider_unavailable);
  for (auto errc : {Errc::timeout, Errc::upstream}) {
    auto maybe_sent = classify_transport(Endpoint::create_task, Error{errc, "x"});
    EXPECT_EQ(maybe_sent.retry, Retry::ambiguous);
    EXPECT_EQ(maybe_sent.reason, FailureReason::outcome_unknown);
    EXPECT_EQ(classify_transport(Endpoint::record_info, Error{errc, "x"}).retry, Retry::later);
  }
  EXPECT_EQ(classify_transport(Endpoint::credits, Error{Errc::invalid_input, "bad url"}).retry,
            Retry::never);
}

TEST(FailureClassification, UnreadableBodies) {
  EXPECT_EQ(classify_unreadable(Endpoint::create_task, 200, "x").retry, Retry::ambiguous);
  EXPECT_EQ(classify_unreadable(Endpoint::create_task, 429, "x").retry, Retry::later);
  EXPECT_EQ(classify_unreadable(Endpoint::create_task, 502, "x").retry, Retry::ambiguous);
  EXPECT_EQ(classify_unreadable(Endpoint::create_task, 301, "x").retry, Retry::never);
  EXPECT_EQ(classify_unreadable(Endpoint::record_info, 200, "x").retry, Retry::later);
}

TEST(FailureClassification, DetailIsCappedAndSanitized) {
  std::string long_text(1000, 'x');
  EXPECT_LE(cap_detail(long_text).size(), 300u);
  EXPECT_EQ(cap_detail("a\nb\tc"), "a b c");
  // A multi-byte character at the cut is dropped whole, not split.
  std::string cyrillic;
  for (int i = 0; i < 400; ++i) cyrillic += "\xd0\xb6";
  auto capped = cap_detail(cyrillic);
  EXPECT_EQ(capped.size() % 2, 0u);
}

TEST(FailureClassification, NamesAreStable) {
  EXPECT_EQ(failure_reason_name(FailureReason::outcome_unknown), "outcome_unknown");
  EXPECT_EQ(retry_name(Retry::ambiguous), "ambiguous");
  EXPECT_EQ(endpoint_name(Endpoint::record_info), "recordInfo");
  EXPECT_EQ(task_state_name(TaskState::queuing), "queuing");
}

}  // namespace
}  // namespace kb::kie
