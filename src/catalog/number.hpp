// Exact signed decimal numbers for input ranges and user-entered values (never floating point).
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace kb::catalog {

// value = units / 10^scale, normalized: no trailing fractional zeros, so equal values compare equal
// member by member ("1.50" and "1.5" are both {15, 1}).
struct Number {
  std::int64_t units = 0;
  int scale = 0;  // 0..kMaxScale

  static constexpr int kMaxScale = 9;
  static Number integer(std::int64_t value) { return {value, 0}; }
  bool is_integer() const { return scale == 0; }

  friend std::strong_ordering operator<=>(const Number& a, const Number& b);
  friend bool operator==(const Number& a, const Number& b) = default;
};

// "-1", "0.7", "0,7" (a comma is a decimal separator too), " 22 " (outer spaces ignored). No
// exponents, no "+", no thousands separators, at most 9 fractional digits.
Result<Number> parse_number(std::string_view text);
// Canonical text: "0.7", "-1", "22".
std::string format_number(Number n);

}  // namespace kb::catalog
