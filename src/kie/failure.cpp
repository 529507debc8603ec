// Failure classification for KIE answers (see failure.hpp and kie-api.md §7, §9).
#include "kie/failure.hpp"

#include <cctype>
#include <charconv>

namespace kb::kie {
namespace {

constexpr std::size_t kMaxDetail = 300;

KieFailure make(FailureReason reason, Retry retry, int code, int http_status,
                std::string_view detail) {
  return KieFailure{reason, retry, code, http_status, cap_detail(detail)};
}

bool contains_ci(std::string_view haystack, std::string_view needle) {
  if (needle.size() > haystack.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    bool match = true;
    for (std::size_t j = 0; j < needle.size() && match; ++j)
      match = std::tolower(static_cast<unsigned char>(haystack[i + j])) ==
              std::tolower(static_cast<unsigned char>(needle[j]));
    if (match) return true;
  }
  return false;
}

}  // namespace

std::string cap_detail(std::string_view text) {
  std::string out(text.substr(0, kMaxDetail));
  // Do not cut a UTF-8 sequence in half.
  if (text.size() > kMaxDetail) {
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
    if (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0xC0) out.pop_back();
  }
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  return out;
}

KieFailure classify_code(Endpoint endpoint, int code, int http_status, std::string_view message) {
  const bool create = endpoint == Endpoint::create_task;
  const bool record = endpoint == Endpoint::record_info;
  using R = FailureReason;
  switch (code) {
    case 401:
    case 403:  // also Cloudflare's "error code: 1010" for clients it does not like
      return make(R::provider_auth_failed, Retry::never, code, http_status, message);
    case 402:
      return make(R::provider_out_of_credits, Retry::never, code, http_status, message);
    case 433:  // a sub-key cap (hourly/daily): a quick retry cannot help
      return make(R::provider_quota_exceeded, Retry::never, code, http_status, message);
    case 429:  // rate limited, "not queued"
    case 455:  // maintenance
    case 550:  // queue full, connection denied
      return make(R::provider_busy, Retry::later, code, http_status, message);
    case 408:  // the server gave up waiting for our request: it was not processed
      return make(R::provider_unavailable, Retry::later, code, http_status, message);
    case 451:
      return make(R::input_unreachable, Retry::never, code, http_status, message);
    case 404:
    case 422:
      // recordInfo: "Task not found" / "recordInfo is null" (also briefly right after create).
      if (record) return make(R::task_not_found, Retry::never, code, http_status, message);
      return make(R::invalid_request, Retry::never, code, http_status, message);
    case 400:
    case 409:
    case 413:
      return make(R::invalid_request, Retry::never, code, http_status, message);
    case 500:
      if (create) {
        // Community probes: a missing required input arrives as {"code":500,"msg":"<x> is
        // required"}: a validation error, nothing was created. Any other 500 may have been.
        if (contains_ci(message, "is required"))
          return make(R::invalid_request, Retry::never, code, http_status, message);
        return make(R::outcome_unknown, Retry::ambiguous, code, http_status, message);
      }
      return make(R::provider_unavailable, Retry::later, code, http_status, message);
    case 501:
    case 531:
      return make(R::generation_failed, Retry::never, code, http_status, message);
    case 505:
      return make(R::model_unavailable, Retry::never, code, http_status, message);
    default:
      break;
  }
  if (code >= 500) {
    if (create) return make(R::outcome_unknown, Retry::ambiguous, code, http_status, message);
    return make(R::provider_unavailable, Retry::later, code, http_status, message);
  }
  if (code >= 400) return make(R::invalid_request, Retry::never, code, http_status, message);
  // A redirect we do not follow means the request never reached the API itself (wrong base URL).
  if (http_status >= 300 && http_status < 400)
    return make(R::malformed_response, Retry::never, code, http_status, message);
  if (create) return make(R::outcome_unknown, Retry::ambiguous, code, http_status, message);
  return make(R::malformed_response, Retry::later, code, http_status, message);
}

KieFailure classify_unreadable(Endpoint endpoint, int http_status, std::string_view detail) {
  if (http_status >= 200 && http_status < 300)
    return classify_incomplete(endpoint, http_status, detail);
  KieFailure f = classify_code(endpoint, http_status, http_status, detail);
  return f;
}

KieFailure classify_incomplete(Endpoint endpoint, int http_status, std::string_view detail) {
  if (endpoint == Endpoint::create_task)
    return make(FailureReason::outcome_unknown, Retry::ambiguous, 200, http_status, detail);
  return make(FailureReason::malformed_response, Retry::later, 200, http_status, detail);
}

KieFailure classify_transport(Endpoint endpoint, const Error& error) {
  switch (error.code) {
    case Errc::unavailable:  // never reached the server
      return make(FailureReason::provider_unavailable, Retry::later, 0, 0, error.message);
    case Errc::timeout:
    case Errc::upstream:
      if (endpoint == Endpoint::create_task)
        return make(FailureReason::outcome_unknown, Retry::ambiguous, 0, 0, error.message);
      return make(FailureReason::provider_unavailable, Retry::later, 0, 0, error.message);
    case Errc::invalid_input:  // a malformed URL: configuration
      return make(FailureReason::invalid_request, Retry::never, 0, 0, error.message);
    default:  // local failures before sending (curl setup)
      return make(FailureReason::provider_unavailable, Retry::later, 0, 0, error.message);
  }
}

FailureReason classify_task_failure(std::string_view fail_code, std::string_view raw_state) {
  if (contains_ci(raw_state, "sensitive")) return FailureReason::content_rejected;
  int code = 0;
  auto [ptr, ec] = std::from_chars(fail_code.data(), fail_code.data() + fail_code.size(), code);
  if (ec != std::errc() || ptr != fail_code.data() + fail_code.size())
    return FailureReason::generation_failed;
  switch (code) {
    case 400:
      return FailureReason::content_rejected;
    case 409:
    case 413:
    case 422:
      return FailureReason::invalid_request;
    case 451:
      return FailureReason::input_unreachable;
    case 402:
      return FailureReason::provider_out_of_credits;
    case 429:
    case 455:
    case 550:
      return FailureReason::provider_busy;
    case 505:
      return FailureReason::model_unavailable;
    default:
      return FailureReason::generation_failed;
  }
}

}  // namespace kb::kie
