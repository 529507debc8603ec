#include "domain/job_state.hpp"

#include <gtest/gtest.h>

namespace kb::domain {
namespace {

TEST(JobState, RoundTripsNames) {
  for (auto s : {JobState::created, JobState::submitting, JobState::create_unknown, JobState::submitted,
                 JobState::succeeded, JobState::delivered, JobState::failed, JobState::expired,
                 JobState::cancelled})
    EXPECT_EQ(parse_job_state(to_string(s)), s);
  EXPECT_FALSE(parse_job_state("running").has_value());
}

TEST(JobState, TerminalStatesHaveNoWayOut) {
  for (auto t : {JobState::delivered, JobState::failed, JobState::expired, JobState::cancelled}) {
    EXPECT_TRUE(is_terminal(t));
    for (auto to : {JobState::created, JobState::submitting, JobState::submitted, JobState::succeeded,
                    JobState::delivered, JobState::failed})
      EXPECT_FALSE(can_transition(t, to)) << to_string(t) << "->" << to_string(to);
  }
}

TEST(JobState, AmbiguousCreateIsNeverResent) {
  // create_unknown may only learn its task id from a callback or give up: never go back to sending.
  EXPECT_FALSE(can_transition(JobState::create_unknown, JobState::submitting));
  EXPECT_FALSE(can_transition(JobState::create_unknown, JobState::created));
  EXPECT_TRUE(can_transition(JobState::create_unknown, JobState::submitted));
  EXPECT_TRUE(can_transition(JobState::submitting, JobState::created));
}

TEST(JobState, OnlyDeliveredCaptures) {
  EXPECT_EQ(settlement_for(JobState::delivered), Settlement::capture);
  EXPECT_EQ(settlement_for(JobState::failed), Settlement::release);
  EXPECT_EQ(settlement_for(JobState::expired), Settlement::release);
  EXPECT_EQ(settlement_for(JobState::cancelled), Settlement::release);
}

TEST(JobState, CancelOnlyBeforeKieCouldAccept) {
  EXPECT_TRUE(user_may_cancel(JobState::created));
  EXPECT_FALSE(user_may_cancel(JobState::submitting));
  EXPECT_FALSE(user_may_cancel(JobState::submitted));
  auto sources = sources_of(JobState::cancelled);
  EXPECT_EQ(sources, std::vector<JobState>{JobState::created});
}

}  // namespace
}  // namespace kb::domain
