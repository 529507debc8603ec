// Maps provider codes and transport failures to a user-facing reason and a retry policy (pure).
//
// The rules follow kie-api.md §7 and §9. For createTask the one that matters most is: anything
// that may have reached the provider and got no clear "not accepted" answer is `Retry::ambiguous`,
// because createTask has no idempotency key and a repeat can create (and bill) a second task.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "kie/kie_types.hpp"

namespace kb::kie {

// An answer whose (authoritative) code is not 200. `message` is the provider's msg, used only to
// recognise the createTask "<field> is required" validation that arrives as code 500.
KieFailure classify_code(Endpoint endpoint, int code, int http_status, std::string_view message);

// An HTTP answer whose body could not be read as the JSON envelope.
KieFailure classify_unreadable(Endpoint endpoint, int http_status, std::string_view detail);

// An HTTP answer that parsed and said 200 but lacked what the endpoint promises (no task id…).
KieFailure classify_incomplete(Endpoint endpoint, int http_status, std::string_view detail);

// No HTTP answer: net::HttpClient's Errc says whether the request may have reached the server
// (Errc::unavailable = never sent; Errc::timeout / Errc::upstream = maybe acted on).
KieFailure classify_transport(Endpoint endpoint, const Error& error);

// The reason for a task that reached the `fail` state, from its failCode ("" when none).
FailureReason classify_task_failure(std::string_view fail_code, std::string_view raw_state);

// Provider text is logged, never shown; keep it short.
std::string cap_detail(std::string_view text);

}  // namespace kb::kie
