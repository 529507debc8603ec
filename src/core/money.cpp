// Exact decimal parsing and formatting for ruble amounts and rates.
#include "core/money.hpp"

#include <cctype>
#include <limits>

#include <fmt/format.h>

namespace kb {

Result<Decimal> parse_decimal(std::string_view text, int max_scale) {
  if (text.empty()) return fail(Errc::invalid_input, "empty number");
  Decimal d;
  bool seen_dot = false;
  bool seen_digit = false;
  for (char c : text) {
    if (c == '.' || c == ',') {
      if (seen_dot) return fail(Errc::invalid_input, "two decimal points");
      seen_dot = true;
      continue;
    }
    if (!std::isdigit(static_cast<unsigned char>(c)))
      return fail(Errc::invalid_input, fmt::format("not a number: '{}'", text));
    seen_digit = true;
    if (seen_dot) {
      if (d.scale == max_scale) return fail(Errc::invalid_input, "too many decimal places");
      ++d.scale;
    }
    if (d.units > (std::numeric_limits<std::int64_t>::max() - 9) / 10)
      return fail(Errc::invalid_input, "number too large");
    d.units = d.units * 10 + (c - '0');
  }
  if (!seen_digit) return fail(Errc::invalid_input, fmt::format("not a number: '{}'", text));
  return d;
}

std::string format_decimal(Decimal d) {
  std::string digits = std::to_string(d.units);
  if (d.scale == 0) return digits;
  while (static_cast<int>(digits.size()) <= d.scale) digits.insert(digits.begin(), '0');
  digits.insert(digits.end() - d.scale, '.');
  return digits;
}

Result<Kopecks> parse_rubles(std::string_view text) {
  auto d = parse_decimal(text, 2);
  if (!d)
    return fail(Errc::invalid_input, d.error().message == "too many decimal places"
                                         ? "at most two decimal places (kopecks)"
                                         : d.error().message);
  Kopecks k = d->units;
  for (int s = d->scale; s < 2; ++s) {
    if (k > std::numeric_limits<Kopecks>::max() / 10)
      return fail(Errc::invalid_input, "amount too large");
    k *= 10;
  }
  return k;
}

std::string format_rubles(Kopecks amount) {
  bool negative = amount < 0;
  std::uint64_t abs =
      negative ? static_cast<std::uint64_t>(-(amount + 1)) + 1 : static_cast<std::uint64_t>(amount);
  std::uint64_t rub = abs / 100, kop = abs % 100;
  std::string out = negative ? "-" : "";
  out += std::to_string(rub);
  if (kop != 0) out += fmt::format(".{:02d}", kop);
  return out;
}

}  // namespace kb
