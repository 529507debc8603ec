// Structured logging: one line per event (text or JSON), secrets redacted before anything is
// written.
//
// The logger is the one deliberately process-wide object: every component logs, and threading a
// logger reference through every constructor buys nothing. It is configured once in app/.
#pragma once

#include <concepts>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/redact.hpp"

namespace kb::log {

// Level policy: expected conditions (user mistakes, rate limits, upstream 4xx, retries) are INFO or
// WARN; ERROR is reserved for real faults that an operator must look at.
enum class Level { debug = 0, info = 1, warn = 2, error = 3, off = 4 };
enum class Format { text, json };

struct Field {
  std::string_view key;
  std::string value;
  bool quoted = true;  // strings are quoted in JSON; numbers and booleans are not

  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const std::string& v) : key(k), value(v) {}
  Field(std::string_view k, const char* v) : key(k), value(v ? v : "") {}
  Field(std::string_view k, bool v) : key(k), value(v ? "true" : "false"), quoted(false) {}
  template <std::integral T>
  requires(!std::same_as<T, bool>) Field(std::string_view k, T v)
      : key(k), value(std::to_string(v)), quoted(false) {}
  Field(std::string_view k, double v);
};

using Fields = std::initializer_list<Field>;

void configure(Level level, Format format);
Level level();
Redactor& redactor();

bool enabled(Level level);
void emit(Level level, std::string_view event, Fields fields);
void emit(Level level, std::string_view event, const std::vector<Field>& fields);

inline void debug(std::string_view event, Fields f = {}) {
  if (enabled(Level::debug)) emit(Level::debug, event, f);
}
inline void info(std::string_view event, Fields f = {}) {
  emit(Level::info, event, f);
}
inline void warn(std::string_view event, Fields f = {}) {
  emit(Level::warn, event, f);
}
inline void error(std::string_view event, Fields f = {}) {
  emit(Level::error, event, f);
}

// Formats one line without writing it (exposed for tests and benchmarks).
std::string format_line(Format format, Level level, std::int64_t unix_ms, std::string_view event,
                        const std::vector<Field>& fields);

std::optional<Level> parse_level(std::string_view text);
std::string_view level_name(Level level);

// Test hook: receives every line (already redacted) while alive.
class Capture {
 public:
  Capture();
  ~Capture();
  Capture(const Capture&) = delete;
  Capture& operator=(const Capture&) = delete;

  std::vector<std::string> lines() const;
  std::size_t count(Level level) const;
  bool contains(std::string_view needle) const;

 private:
  struct State;
  std::shared_ptr<State> state_;
  std::uint64_t id_ = 0;
};

}  // namespace kb::log
