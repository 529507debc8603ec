// The KIE callback HTTP endpoint (see callback_route.hpp).
#include "kie/callback_route.hpp"

#include <charconv>
#include <exception>

#include "core/log.hpp"

namespace kb::kie {
namespace {

// `?job=<id>` as a positive integer, or nothing (a hostile value is ignored, not an error).
std::optional<std::int64_t> job_id_of(const net::Request& req) {
  auto raw = req.query_param("job");
  if (!raw || raw->empty() || raw->size() > 18) return std::nullopt;
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), id);
  if (ec != std::errc() || end != raw->data() + raw->size() || id <= 0) return std::nullopt;
  return id;
}

// Byte-for-byte what the server answers for an unknown path.
net::Response not_found() {
  return net::Response::json(404, R"({"ok":false,"error":"not found"})");
}

}  // namespace

void add_kie_callback_route(net::Router& router, CallbackVerifier& verifier,
                            KieCallbackSink& sink) {
  CallbackVerifier* v = &verifier;
  KieCallbackSink* s = &sink;
  router.add("POST", "/kie/callback/{token}", [v, s](net::Request& req) -> Task<net::Response> {
    auto decision = v->check(req.param("token"), req.body, req.headers.get("X-Webhook-Timestamp"),
                             req.headers.get("X-Webhook-Signature"));
    switch (decision.status) {
      case 200:
        break;
      case 404:
        // No log line per probe at WARN: scanners would flood it.
        log::debug("kie_callback_rejected", {{"reason", decision.reason}});
        co_return not_found();
      case 413:
        log::warn("kie_callback_rejected",
                  {{"reason", decision.reason}, {"bytes", req.body.size()}});
        co_return net::Response::json(413, R"({"ok":false,"error":"payload too large"})");
      case 401:
        log::warn("kie_callback_rejected", {{"reason", decision.reason}});
        co_return net::Response::json(401, R"({"ok":false,"error":"unauthorized"})");
      default:
        log::warn("kie_callback_rejected", {{"reason", decision.reason}});
        co_return net::Response::json(400, R"({"ok":false,"error":"bad request"})");
    }
    log::info("kie_callback_received", {{"task_id", decision.task_id}});
    try {
      if (auto job_id = job_id_of(req))
        s->on_callback_for_job(*job_id, decision.task_id);
      else
        s->on_callback_hint(decision.task_id);
    } catch (const std::exception& e) {
      // Answer 200 anyway: the provider retrying would not help; polling will catch up.
      log::error("kie_callback_sink_failed", {{"task_id", decision.task_id}, {"error", e.what()}});
    }
    co_return net::Response::json(200, R"({"ok":true})");
  });
  // Other methods get the unknown-path answer rather than a 405 that confirms the route exists.
  for (const char* method : {"GET", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    router.add(method, "/kie/callback/{token}",
               [](net::Request&) -> Task<net::Response> { co_return not_found(); });
  }
}

}  // namespace kb::kie
