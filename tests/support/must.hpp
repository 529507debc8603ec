// Unwrapping a Result in tests: the value, or an exception naming the call site (GoogleTest
// reports it as the test's failure).
#pragma once

#include <source_location>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

#include "core/result.hpp"

namespace kb::test {

template <class T>
T must(Result<T> r, std::source_location where = std::source_location::current()) {
  if (!r)
    throw std::runtime_error(fmt::format("{}:{}: unexpected error: {}", where.file_name(),
                                         where.line(), r.error().describe()));
  if constexpr (!std::is_void_v<T>) return std::move(*r);
}

}  // namespace kb::test
