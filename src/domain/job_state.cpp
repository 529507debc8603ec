// Transition table of the job state machine.
#include "domain/job_state.hpp"

#include <array>
#include <cstdlib>

namespace kb::domain {
namespace {

struct Edge {
  JobState from;
  JobState to;
};

// The only transitions that exist. Anything else is a bug or a race lost to another worker.
constexpr std::array kEdges = {
    Edge{JobState::created, JobState::submitting},
    Edge{JobState::created, JobState::cancelled},
    Edge{JobState::created, JobState::failed},      // rejected before sending (e.g. media gone)
    Edge{JobState::created, JobState::expired},     // outage outlasted the hard limit
    Edge{JobState::submitting, JobState::submitted},
    Edge{JobState::submitting, JobState::created},  // clearly not accepted: retry later
    Edge{JobState::submitting, JobState::failed},   // clearly rejected (bad input, no credits…)
    Edge{JobState::submitting, JobState::create_unknown},
    Edge{JobState::create_unknown, JobState::submitted},  // a callback revealed the task id
    Edge{JobState::create_unknown, JobState::failed},     // nothing came back in time
    Edge{JobState::submitted, JobState::succeeded},
    Edge{JobState::submitted, JobState::failed},
    Edge{JobState::submitted, JobState::expired},
    Edge{JobState::succeeded, JobState::delivered},
    Edge{JobState::succeeded, JobState::failed},    // undeliverable (user blocked the bot…)
};

constexpr std::array kAll = {JobState::created,   JobState::submitting, JobState::create_unknown,
                             JobState::submitted, JobState::succeeded,  JobState::delivered,
                             JobState::failed,    JobState::expired,    JobState::cancelled};

}  // namespace

std::string_view to_string(JobState s) {
  switch (s) {
    case JobState::created: return "created";
    case JobState::submitting: return "submitting";
    case JobState::create_unknown: return "create_unknown";
    case JobState::submitted: return "submitted";
    case JobState::succeeded: return "succeeded";
    case JobState::delivered: return "delivered";
    case JobState::failed: return "failed";
    case JobState::expired: return "expired";
    case JobState::cancelled: return "cancelled";
  }
  std::abort();
}

std::optional<JobState> parse_job_state(std::string_view text) {
  for (auto s : kAll)
    if (to_string(s) == text) return s;
  return std::nullopt;
}

bool is_terminal(JobState s) {
  return s == JobState::delivered || s == JobState::failed || s == JobState::expired ||
         s == JobState::cancelled;
}

bool can_transition(JobState from, JobState to) {
  for (const auto& e : kEdges)
    if (e.from == from && e.to == to) return true;
  return false;
}

std::vector<JobState> sources_of(JobState to) {
  std::vector<JobState> out;
  for (const auto& e : kEdges)
    if (e.to == to) out.push_back(e.from);
  return out;
}

Settlement settlement_for(JobState terminal) {
  return terminal == JobState::delivered ? Settlement::capture : Settlement::release;
}

bool user_may_cancel(JobState s) { return s == JobState::created; }


}  // namespace kb::domain
