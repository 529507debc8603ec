// GET /healthz, /readyz and /metrics.
#pragma once

#include <string>

#include "net/metrics.hpp"
#include "net/readiness.hpp"
#include "net/router.hpp"

namespace kb::net {

struct BuiltinEndpointsOptions {
  std::string version;
  std::string commit;
  std::string metrics_token;  // empty: /metrics is open
};

void add_builtin_routes(Router& router, const Readiness& readiness, MetricsRegistry& metrics,
                        BuiltinEndpointsOptions options);

// Resident set size of this process in bytes (from /proc/self/statm), 0 when unknown.
std::size_t resident_memory_bytes();

}  // namespace kb::net
