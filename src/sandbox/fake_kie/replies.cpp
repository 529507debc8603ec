// Reply builders.
#include "sandbox/fake_kie/replies.hpp"

#include "sandbox/fake_kie/task_record.hpp"

namespace kb::sandbox {
namespace {

class BrokenBody final : public net::BodySource {
 public:
  Task<Result<std::optional<std::string>>> next_chunk() override {
    co_return fail(Errc::upstream, "fault injection: connection cut");
  }
};

}  // namespace

net::Response json_reply(int http_status, const nlohmann::json& body) {
  return net::Response::json(http_status, body.dump());
}

net::Response error_reply(int http_status, int code, const std::string& msg, bool upload_shape,
                          bool message_key) {
  auto body = envelope(code, msg, nullptr, message_key);
  if (upload_shape) body["success"] = false;
  return json_reply(http_status, body);
}

net::Response auth_failure_reply(bool as_http_401, bool upload_shape) {
  const int status = as_http_401 ? 401 : 200;
  if (upload_shape) return error_reply(status, 401, "Authentication failed: Invalid API Key", true);
  return error_reply(status, 401, standard_message(401));
}

net::Response cut_reply() {
  net::Response r;
  r.status = 200;
  r.headers.set("Content-Type", "application/json");
  r.stream = std::make_shared<BrokenBody>();
  r.content_length = 64;  // announced but never sent
  return r;
}

net::Response reply_for_fault(const FaultReply& fault, bool upload_shape) {
  switch (fault.kind) {
    case FaultReply::Kind::cut:
      return cut_reply();
    case FaultReply::Kind::malformed:
      // A truncated body, as a proxy cutting the upstream answer would produce.
      return net::Response::json(fault.http_status, R"({"code":200,"msg":"success","data":{"ta)");
    case FaultReply::Kind::envelope:
      return error_reply(fault.http_status, fault.code, fault.msg, upload_shape);
    case FaultReply::Kind::none:
      break;
  }
  return error_reply(500, 500, standard_message(500), upload_shape);
}

}  // namespace kb::sandbox
