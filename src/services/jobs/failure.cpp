// Stable names of job failures.
#include <array>
#include <utility>

#include "services/jobs/presenter.hpp"

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

std::optional<JobFailure> parse_job_failure(std::string_view code) {
  for (auto& [f, n] : kNames)
    if (n == code) return f;
  return std::nullopt;
}

}  // namespace kb::services
