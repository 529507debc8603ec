// Typed access to result rows.
#include "store/db/value.hpp"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace kb::store::db {
namespace {

[[noreturn]] void type_error(std::size_t i, std::string_view wanted, const SqlValue& v) {
  throw ColumnTypeError(fmt::format("column {}: expected {}, got {}", i, wanted, describe(v)));
}

std::optional<std::int64_t> parse_integer(std::string_view s) {
  std::int64_t out = 0;
  // PostgreSQL renders integral numerics as "12" and sometimes "12.000".
  auto dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  if (dot != std::string_view::npos)
    for (char c : s.substr(dot + 1))
      if (c != '0') return std::nullopt;
  auto [p, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), out);
  if (ec != std::errc() || p != whole.data() + whole.size()) return std::nullopt;
  return out;
}

}  // namespace

std::string describe(const SqlValue& v) {
  switch (v.index()) {
    case 0:
      return "null";
    case 1:
      return fmt::format("integer {}", std::get<std::int64_t>(v));
    case 2:
      return fmt::format("real {}", std::get<double>(v));
    case 3:
      return fmt::format("text '{}'", std::get<std::string>(v).substr(0, 40));
    default:
      return std::get<bool>(v) ? "true" : "false";
  }
}

const SqlValue& Row::at(std::size_t i) const {
  if (i >= values_.size())
    throw ColumnTypeError(fmt::format("column {} out of range ({} columns)", i, values_.size()));
  return values_[i];
}

bool Row::is_null(std::size_t i) const {
  return std::holds_alternative<std::monostate>(at(i));
}

std::int64_t Row::i64(std::size_t i) const {
  const auto& v = at(i);
  if (auto p = std::get_if<std::int64_t>(&v)) return *p;
  if (auto p = std::get_if<bool>(&v)) return *p ? 1 : 0;
  if (auto p = std::get_if<double>(&v)) {
    if (std::trunc(*p) == *p && std::abs(*p) < 9.0e15) return static_cast<std::int64_t>(*p);
  }
  if (auto p = std::get_if<std::string>(&v))
    if (auto n = parse_integer(*p)) return *n;
  type_error(i, "integer", v);
}

std::optional<std::int64_t> Row::opt_i64(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return i64(i);
}

double Row::f64(std::size_t i) const {
  const auto& v = at(i);
  if (auto p = std::get_if<double>(&v)) return *p;
  if (auto p = std::get_if<std::int64_t>(&v)) return static_cast<double>(*p);
  if (auto p = std::get_if<std::string>(&v)) {
    double out = 0;
    auto [end, ec] = std::from_chars(p->data(), p->data() + p->size(), out);
    if (ec == std::errc() && end == p->data() + p->size()) return out;
  }
  type_error(i, "real", v);
}

std::string Row::text(std::size_t i) const {
  const auto& v = at(i);
  if (auto p = std::get_if<std::string>(&v)) return *p;
  type_error(i, "text", v);
}

std::optional<std::string> Row::opt_text(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return text(i);
}

bool Row::boolean(std::size_t i) const {
  const auto& v = at(i);
  if (auto p = std::get_if<bool>(&v)) return *p;
  if (auto p = std::get_if<std::int64_t>(&v)) {
    if (*p == 0 || *p == 1) return *p == 1;
  }
  if (auto p = std::get_if<std::string>(&v)) {
    if (*p == "t" || *p == "true") return true;
    if (*p == "f" || *p == "false") return false;
  }
  type_error(i, "boolean", v);
}

std::optional<bool> Row::opt_bool(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return boolean(i);
}

bool RowCursor::is_null() const {
  return row_.is_null(index_);
}
std::int64_t RowCursor::i64() {
  return row_.i64(index_++);
}
std::optional<std::int64_t> RowCursor::opt_i64() {
  return row_.opt_i64(index_++);
}
double RowCursor::f64() {
  return row_.f64(index_++);
}
std::string RowCursor::text() {
  return row_.text(index_++);
}
std::optional<std::string> RowCursor::opt_text() {
  return row_.opt_text(index_++);
}
bool RowCursor::boolean() {
  return row_.boolean(index_++);
}
std::optional<bool> RowCursor::opt_bool() {
  return row_.opt_bool(index_++);
}

}  // namespace kb::store::db
