// Result<T>: the error-as-value type used for every expected failure (bad input, upstream errors,
// timeouts).
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <version>
#if defined(__cpp_lib_expected)
#include <expected>
#define KB_HAVE_STD_EXPECTED 1
#else
#include "core/expected_fallback.hpp"
#endif

namespace kb {

// Broad classes of failure; callers branch on these, humans read `message`.
enum class Errc {
  invalid_input,  // the caller sent something wrong (user input, malformed body)
  not_found,
  conflict,  // uniqueness / state conflict (duplicate key, wrong state)
  unauthorized,
  rate_limited,
  timeout,
  unavailable,  // a dependency is down or refused the connection
  upstream,     // a dependency answered with an error
  io,           // local I/O (disk full, read-only file)
  insufficient_funds,
  internal,  // our own bug or an unexpected condition
};

std::string_view errc_name(Errc code);

struct Error {
  Errc code = Errc::internal;
  std::string message;
  int status = 0;  // protocol status when there is one (HTTP status, upstream business code)

  std::string describe() const;
};

#ifdef KB_HAVE_STD_EXPECTED
template <class T>
using Result = std::expected<T, Error>;
using Unexpected = std::unexpected<Error>;
#else
template <class T>
using Result = detail::Expected<T, Error>;
using Unexpected = detail::Unexpected<Error>;
#endif

inline Unexpected fail(Errc code, std::string message, int status = 0) {
  return Unexpected(Error{code, std::move(message), status});
}
inline Unexpected fail(Error error) {
  return Unexpected(std::move(error));
}

}  // namespace kb

// Propagates an error from an expression returning Result<T>; yields the value otherwise.
#define KB_TRY(expr)                                                                 \
  ({                                                                                 \
    auto kb_try_result_ = (expr);                                                    \
    if (!kb_try_result_) return ::kb::Unexpected(std::move(kb_try_result_).error()); \
    std::move(kb_try_result_).value();                                               \
  })

// The same inside a coroutine.
#define KB_CO_TRY(expr)                                                                 \
  ({                                                                                    \
    auto kb_try_result_ = (expr);                                                       \
    if (!kb_try_result_) co_return ::kb::Unexpected(std::move(kb_try_result_).error()); \
    std::move(kb_try_result_).value();                                                  \
  })
