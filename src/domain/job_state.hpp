// The generation job state machine: states, allowed transitions, and what each terminal state means
// for money. Pure: the store enforces these transitions with compare-and-set.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace kb::domain {

enum class JobState {
  created,        // confirmed; hold placed or free generation consumed; not yet sent
  submitting,     // a createTask call is (or was, before a crash) in flight
  create_unknown, // createTask failed ambiguously: never re-sent; waiting for a callback naming this job
  submitted,      // KIE accepted it (task id stored); waiting for callback / polling
  succeeded,      // result confirmed by recordInfo; files being delivered
  delivered,      // every file delivered; hold captured                         (terminal)
  failed,         // KIE failed, rejected it, or it could not be delivered; released (terminal)
  expired,        // passed the model's hard limit; released                       (terminal)
  cancelled,      // the user cancelled before KIE accepted it; released           (terminal)
};

std::string_view to_string(JobState state);
std::optional<JobState> parse_job_state(std::string_view text);

bool is_terminal(JobState state);
bool can_transition(JobState from, JobState to);
// States from which `to` may be entered (for the store's compare-and-set).
std::vector<JobState> sources_of(JobState to);

// Whether the money held for a job is captured (charged) or released when it reaches `terminal`.
enum class Settlement { capture, release };
Settlement settlement_for(JobState terminal);

// States a user may cancel from: only before KIE could have accepted the task.
bool user_may_cancel(JobState state);

}  // namespace kb::domain
