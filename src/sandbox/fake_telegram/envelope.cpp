// Envelope construction.
#include "sandbox/fake_telegram/envelope.hpp"

#include <fmt/format.h>

namespace kb::sandbox::tg {
namespace {

ApiError with_prefix(int code, std::string_view prefix, std::string_view text) {
  if (text.empty()) return ApiError{code, std::string(prefix), {}, {}};
  return ApiError{code, fmt::format("{}: {}", prefix, text), {}, {}};
}

}  // namespace

ApiError bad_request(std::string_view text) {
  return with_prefix(400, "Bad Request", text);
}
ApiError forbidden(std::string_view text) {
  return with_prefix(403, "Forbidden", text);
}
ApiError not_found(std::string_view text) {
  return with_prefix(404, "Not Found", text);
}
ApiError conflict(std::string_view text) {
  return with_prefix(409, "Conflict", text);
}
ApiError unauthorized(std::string_view text) {
  return with_prefix(401, "Unauthorized", text);
}
ApiError too_many_requests(int retry_after) {
  return ApiError{
      429, fmt::format("Too Many Requests: retry after {}", retry_after), retry_after, {}};
}
ApiError missing_parameter(std::string_view name) {
  return bad_request(fmt::format("parameter \"{}\" is required", name));
}

Outcome Outcome::ok(Json result, std::string description) {
  Outcome o;
  o.result = std::move(result);
  o.description = std::move(description);
  return o;
}

std::string ok_body(const Json& result, std::string_view description) {
  Json body;
  body["ok"] = true;
  body["result"] = result;
  if (!description.empty()) body["description"] = description;
  return body.dump();
}

std::string error_body(const ApiError& error) {
  Json body;
  body["ok"] = false;
  body["error_code"] = error.code;
  body["description"] = error.description;
  if (error.retry_after || error.migrate_to_chat_id) {
    Json parameters = Json::object();
    if (error.migrate_to_chat_id) parameters["migrate_to_chat_id"] = *error.migrate_to_chat_id;
    if (error.retry_after) parameters["retry_after"] = *error.retry_after;
    body["parameters"] = std::move(parameters);
  }
  return body.dump();
}

int http_status_of(const Outcome& outcome) {
  return outcome.error ? outcome.error->code : 200;
}

}  // namespace kb::sandbox::tg
