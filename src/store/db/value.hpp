// SQL values and result rows shared by both backends: parameters in, typed rows out.
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace kb::store::db {

// null, integer, floating point, text, boolean. Times are integers (epoch milliseconds, UTC) and
// money is integers (kopecks) on the C++ side of every query.
using SqlValue = std::variant<std::monostate, std::int64_t, double, std::string, bool>;

// Thrown by a Row getter when a column does not hold what the code expects: a schema/code
// mismatch (a bug). The unit-of-work boundary turns it into Errc::internal and a rollback.
class ColumnTypeError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

inline SqlValue to_sql(std::nullopt_t) {
  return SqlValue{};
}
inline SqlValue to_sql(const SqlValue& v) {
  return v;
}
inline SqlValue to_sql(bool v) {
  return SqlValue{v};
}
template <std::integral T>
requires(!std::same_as<T, bool>) SqlValue to_sql(T v) {
  return SqlValue{static_cast<std::int64_t>(v)};
}
inline SqlValue to_sql(double v) {
  return SqlValue{v};
}
inline SqlValue to_sql(std::string v) {
  return SqlValue{std::move(v)};
}
inline SqlValue to_sql(std::string_view v) {
  return SqlValue{std::string(v)};
}
inline SqlValue to_sql(const char* v) {
  return v ? SqlValue{std::string(v)} : SqlValue{};
}
template <class T>
SqlValue to_sql(const std::optional<T>& v) {
  return v ? to_sql(*v) : SqlValue{};
}

using Params = std::vector<SqlValue>;

template <class... A>
Params params(A&&... args) {
  Params p;
  p.reserve(sizeof...(args));
  (p.push_back(to_sql(std::forward<A>(args))), ...);
  return p;
}

class Row;

// Reads a row's columns left to right; keeps long column lists readable and in one place.
class RowCursor {
 public:
  explicit RowCursor(const Row& row) : row_(row) {}
  bool is_null() const;
  std::int64_t i64();
  std::optional<std::int64_t> opt_i64();
  double f64();
  std::string text();
  std::optional<std::string> opt_text();
  bool boolean();
  std::optional<bool> opt_bool();
  void skip() { ++index_; }

 private:
  const Row& row_;
  std::size_t index_ = 0;
};

class Row {
 public:
  Row() = default;
  explicit Row(std::vector<SqlValue> values) : values_(std::move(values)) {}

  std::size_t size() const { return values_.size(); }
  const SqlValue& at(std::size_t i) const;
  bool is_null(std::size_t i) const;
  // Lenient across backends: PostgreSQL numeric aggregates arrive as text, SQLite booleans as
  // integers. A value that cannot be read as asked throws ColumnTypeError.
  std::int64_t i64(std::size_t i) const;
  std::optional<std::int64_t> opt_i64(std::size_t i) const;
  double f64(std::size_t i) const;
  std::string text(std::size_t i) const;
  std::optional<std::string> opt_text(std::size_t i) const;
  bool boolean(std::size_t i) const;
  std::optional<bool> opt_bool(std::size_t i) const;
  RowCursor cursor() const { return RowCursor(*this); }

 private:
  std::vector<SqlValue> values_;
};

using Rows = std::vector<Row>;

std::string describe(const SqlValue& v);

}  // namespace kb::store::db
