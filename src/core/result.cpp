// Names and descriptions of error classes.
#include "core/result.hpp"

#include <fmt/format.h>

namespace kb {

std::string_view errc_name(Errc code) {
  switch (code) {
    case Errc::invalid_input:
      return "invalid_input";
    case Errc::not_found:
      return "not_found";
    case Errc::conflict:
      return "conflict";
    case Errc::unauthorized:
      return "unauthorized";
    case Errc::rate_limited:
      return "rate_limited";
    case Errc::timeout:
      return "timeout";
    case Errc::unavailable:
      return "unavailable";
    case Errc::upstream:
      return "upstream";
    case Errc::io:
      return "io";
    case Errc::insufficient_funds:
      return "insufficient_funds";
    case Errc::internal:
      return "internal";
  }
  return "unknown";
}

std::string Error::describe() const {
  if (status != 0) return fmt::format("{} ({}): {}", errc_name(code), status, message);
  return fmt::format("{}: {}", errc_name(code), message);
}

}  // namespace kb
