// A strict checker for the Prometheus text exposition format 0.0.4 (used to test /metrics).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kb::test {

// Returns the list of violations; empty means the text is valid exposition format.
std::vector<std::string> check_prometheus_text(std::string_view text);

}  // namespace kb::test
