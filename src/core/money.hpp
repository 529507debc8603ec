// Money: integer kopecks, parsing and formatting of ruble amounts without floating point.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace kb {

using Kopecks = std::int64_t;

// "12", "12.5", "12.50" → 1250. More than two decimals, signs or garbage are errors.
Result<Kopecks> parse_rubles(std::string_view text);
// 1250 → "12.50", 1200 → "12", -5 → "-0.05".
std::string format_rubles(Kopecks amount);

// An exact non-negative decimal number (e.g. an FX rate "95.3712") as value / 10^scale.
struct Decimal {
  std::int64_t units = 0;
  int scale = 0;
};
Result<Decimal> parse_decimal(std::string_view text, int max_scale = 9);
std::string format_decimal(Decimal d);

}  // namespace kb
