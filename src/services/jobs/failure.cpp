// Stable names of job failures, and what a provider failure means for the user.
#include <array>
#include <utility>

#include "services/jobs/runner_impl.hpp"

namespace kb::services {
namespace {
constexpr std::array<std::pair<JobFailure, std::string_view>, 8> kNames = {{
    {JobFailure::generation_failed, "generation_failed"},
    {JobFailure::rejected, "rejected"},
    {JobFailure::provider_problem, "provider_problem"},
    {JobFailure::hard_limit, "hard_limit"},
    {JobFailure::create_uncertain, "create_uncertain"},
    {JobFailure::media_unavailable, "media_unavailable"},
    {JobFailure::undeliverable, "undeliverable"},
    {JobFailure::invalid_inputs, "invalid_inputs"},
}};
}  // namespace

std::string_view job_failure_code(JobFailure failure) {
  for (auto& [f, n] : kNames)
    if (f == failure) return n;
  return "generation_failed";
}

JobFailure job_failure_for(kie::FailureReason reason) {
  switch (reason) {
    case kie::FailureReason::invalid_request:
    case kie::FailureReason::content_rejected:
    case kie::FailureReason::input_unreachable:
    case kie::FailureReason::model_unavailable:
      return JobFailure::rejected;
    case kie::FailureReason::provider_auth_failed:
    case kie::FailureReason::provider_out_of_credits:
    case kie::FailureReason::provider_quota_exceeded:
      return JobFailure::provider_problem;
    default:
      return JobFailure::generation_failed;
  }
}

}  // namespace kb::services
