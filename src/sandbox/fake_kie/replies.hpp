// HTTP answers of the fake KIE server: JSON envelopes, fault replies and a cut connection.
#pragma once

#include <nlohmann/json.hpp>

#include "net/http_types.hpp"
#include "sandbox/fake_kie/fault_queue.hpp"

namespace kb::sandbox {

net::Response json_reply(int http_status, const nlohmann::json& body);
// {"code":code,"msg":msg,"data":null} (the upload routes add "success":false).
net::Response error_reply(int http_status, int code, const std::string& msg,
                          bool upload_shape = false, bool message_key = false);
// A response whose head is sent and whose body then breaks off: the client cannot tell whether
// the call was processed.
net::Response cut_reply();
// A wrong or missing Bearer key: {"code":401,"msg":"You do not have access permissions"} (HTTP 200
// or 401); the upload routes answer {"success":false,"code":401,"msg":"Authentication failed: …"}.
net::Response auth_failure_reply(bool as_http_401, bool upload_shape = false);
net::Response reply_for_fault(const FaultReply& fault, bool upload_shape = false);

}  // namespace kb::sandbox
