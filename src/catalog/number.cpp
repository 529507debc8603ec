// Exact signed decimal parsing, comparison and formatting.
#include "catalog/number.hpp"

#include <fmt/format.h>

#include "core/money.hpp"
#include "core/text.hpp"

namespace kb::catalog {
namespace {

__int128 scaled(const Number& n) {
  __int128 v = n.units;
  for (int s = n.scale; s < Number::kMaxScale; ++s) v *= 10;
  return v;
}

}  // namespace

std::strong_ordering operator<=>(const Number& a, const Number& b) {
  return scaled(a) <=> scaled(b);
}

Result<Number> parse_number(std::string_view text) {
  text = trim(text);
  bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  // parse_decimal accepts "5." and ".5"; a number a person types must have digits on both sides.
  if (text.empty() || text.front() == '.' || text.front() == ',' || text.back() == '.' ||
      text.back() == ',')
    return fail(Errc::invalid_input, "not a number");
  auto d = parse_decimal(text, Number::kMaxScale);
  if (!d) return fail(Errc::invalid_input, "not a number");
  Number n{negative ? -d->units : d->units, d->scale};
  while (n.scale > 0 && n.units % 10 == 0) {
    n.units /= 10;
    --n.scale;
  }
  if (n.units == 0) n.scale = 0;
  return n;
}

std::string format_number(Number n) {
  bool negative = n.units < 0;
  std::uint64_t magnitude = negative ? static_cast<std::uint64_t>(-(n.units + 1)) + 1
                                     : static_cast<std::uint64_t>(n.units);
  std::string digits = std::to_string(magnitude);
  if (n.scale > 0) {
    while (static_cast<int>(digits.size()) <= n.scale) digits.insert(digits.begin(), '0');
    digits.insert(digits.end() - n.scale, '.');
  }
  return negative ? "-" + digits : digits;
}

}  // namespace kb::catalog
