// Names of the KIE enums, for logs and metrics labels.
#include "kie/kie_types.hpp"

namespace kb::kie {

std::string_view task_state_name(TaskState state) {
  switch (state) {
    case TaskState::waiting:
      return "waiting";
    case TaskState::queuing:
      return "queuing";
    case TaskState::generating:
      return "generating";
    case TaskState::success:
      return "success";
    case TaskState::fail:
      return "fail";
    case TaskState::unknown:
      return "unknown";
  }
  return "unknown";
}

std::string_view failure_reason_name(FailureReason reason) {
  switch (reason) {
    case FailureReason::invalid_request:
      return "invalid_request";
    case FailureReason::content_rejected:
      return "content_rejected";
    case FailureReason::input_unreachable:
      return "input_unreachable";
    case FailureReason::provider_busy:
      return "provider_busy";
    case FailureReason::provider_unavailable:
      return "provider_unavailable";
    case FailureReason::provider_auth_failed:
      return "provider_auth_failed";
    case FailureReason::provider_out_of_credits:
      return "provider_out_of_credits";
    case FailureReason::provider_quota_exceeded:
      return "provider_quota_exceeded";
    case FailureReason::model_unavailable:
      return "model_unavailable";
    case FailureReason::generation_failed:
      return "generation_failed";
    case FailureReason::task_not_found:
      return "task_not_found";
    case FailureReason::malformed_response:
      return "malformed_response";
    case FailureReason::outcome_unknown:
      return "outcome_unknown";
  }
  return "unknown";
}

std::string_view retry_name(Retry retry) {
  switch (retry) {
    case Retry::never:
      return "never";
    case Retry::later:
      return "later";
    case Retry::ambiguous:
      return "ambiguous";
  }
  return "unknown";
}

std::string_view endpoint_name(Endpoint endpoint) {
  switch (endpoint) {
    case Endpoint::create_task:
      return "createTask";
    case Endpoint::record_info:
      return "recordInfo";
    case Endpoint::credits:
      return "credit";
    case Endpoint::download_url:
      return "downloadUrl";
    case Endpoint::upload:
      return "upload";
  }
  return "unknown";
}

}  // namespace kb::kie
