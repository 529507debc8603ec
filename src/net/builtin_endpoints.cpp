// Liveness, readiness and Prometheus endpoints.
#include "net/builtin_endpoints.hpp"

#include <chrono>
#include <fstream>

#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/crypto.hpp"

namespace kb::net {

std::size_t resident_memory_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t pages_total = 0, pages_resident = 0;
  if (!(statm >> pages_total >> pages_resident)) return 0;
  return pages_resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

void add_builtin_routes(Router& router, const Readiness& readiness, MetricsRegistry& metrics,
                        BuiltinEndpointsOptions options) {
  auto health_body = std::make_shared<std::string>(nlohmann::json{
      {"ok", true},
      {"version", options.version},
      {"commit", options.commit}}.dump());
  router.add("GET", "/healthz", [health_body](Request&) -> Task<Response> {
    auto r = Response::json(200, *health_body);
    r.headers.set("Cache-Control", "no-store");
    co_return r;
  });

  router.add("GET", "/readyz", [&readiness](Request&) -> Task<Response> {
    auto report = co_await readiness.evaluate();
    auto r = Response::json(report.ready() ? 200 : 503, report.to_json());
    r.headers.set("Cache-Control", "no-store");
    if (!report.ready()) r.headers.set("Retry-After", "5");
    co_return r;
  });

  auto started = std::chrono::steady_clock::now();
  metrics.gauge_callback("kiebot_process_resident_memory_bytes", "Resident memory of the process",
                         {}, [] { return static_cast<double>(resident_memory_bytes()); });
  metrics.gauge_callback(
      "kiebot_process_uptime_seconds", "Seconds since the process started", {}, [started] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      });
  metrics.gauge_callback("kiebot_build_info", "Build information",
                         {{"version", options.version}, {"commit", options.commit}},
                         [] { return 1.0; });

  auto expected = options.metrics_token.empty() ? std::string() : "Bearer " + options.metrics_token;
  router.add("GET", "/metrics", [&metrics, expected](Request& req) -> Task<Response> {
    if (!expected.empty() &&
        !crypto::constant_time_equals(req.headers.get_or("Authorization"), expected)) {
      auto r = Response::text(401, "unauthorized\n");
      r.headers.set("WWW-Authenticate", "Bearer");
      co_return r;
    }
    auto r = Response::text(200, metrics.expose());
    r.headers.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    co_return r;
  });
}

}  // namespace kb::net
