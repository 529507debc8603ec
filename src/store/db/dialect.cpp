// Portable SQL -> backend SQL (see dialect.hpp for the macros).
#include "store/db/dialect.hpp"

#include <cctype>

#include <fmt/format.h>

namespace kb::store::db {
namespace {

bool is_ident(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Copies a quoted section starting at `i` (the opening quote) into `out`; returns the index after
// it, or npos when it is not closed.
std::size_t copy_quoted(std::string_view sql, std::size_t i, std::string& out) {
  char q = sql[i];
  std::size_t j = i + 1;
  while (j < sql.size()) {
    if (sql[j] == q) {
      if (j + 1 < sql.size() && sql[j + 1] == q) {  // doubled quote: an escaped quote
        j += 2;
        continue;
      }
      out.append(sql.substr(i, j + 1 - i));
      return j + 1;
    }
    ++j;
  }
  return std::string_view::npos;
}

Result<std::string> expand(std::string_view sql, Dialect dialect);

// Reads the parenthesised argument of a macro starting at `i` (which must be '('); returns the
// argument text and moves `i` past the closing parenthesis.
Result<std::string_view> macro_argument(std::string_view sql, std::size_t& i,
                                        std::string_view name) {
  if (i >= sql.size() || sql[i] != '(')
    return fail(Errc::internal,
                fmt::format("SQL macro @{} needs an argument in parentheses", name));
  int depth = 0;
  std::size_t start = i + 1;
  for (std::size_t j = i; j < sql.size(); ++j) {
    char c = sql[j];
    if (c == '\'' || c == '"') {
      std::string sink;
      j = copy_quoted(sql, j, sink);
      if (j == std::string_view::npos) break;
      --j;
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')' && --depth == 0) {
      i = j + 1;
      return sql.substr(start, j - start);
    }
  }
  return fail(Errc::internal, fmt::format("SQL macro @{}: unbalanced parentheses", name));
}

Result<void> expand_macro(std::string_view name, std::string_view sql, std::size_t& i,
                          Dialect dialect, std::string& out) {
  bool pg = dialect == Dialect::postgres;
  if (name == "for_update") {
    if (pg) out += "FOR UPDATE";
    return {};
  }
  if (name == "skip_locked") {
    if (pg) out += "FOR UPDATE SKIP LOCKED";
    return {};
  }
  if (name == "ts" || name == "ms") {
    auto raw = KB_TRY(macro_argument(sql, i, name));
    auto arg = KB_TRY(expand(raw, dialect));
    if (!pg)
      out += arg;
    else if (name == "ts")
      out += fmt::format("to_timestamp(({})::bigint / 1000.0)", arg);
    else
      out += fmt::format("(extract(epoch from ({})) * 1000)::bigint", arg);
    return {};
  }
  return fail(Errc::internal, fmt::format("unknown SQL macro @{}", name));
}

Result<std::string> expand(std::string_view sql, Dialect dialect) {
  std::string out;
  out.reserve(sql.size() + 32);
  std::size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'' || c == '"') {
      auto next = copy_quoted(sql, i, out);
      if (next == std::string_view::npos)
        return fail(Errc::internal, "SQL text has an unterminated quote");
      i = next;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      auto end = sql.find('\n', i);
      if (end == std::string_view::npos) end = sql.size();
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      auto end = sql.find("*/", i + 2);
      if (end == std::string_view::npos)
        return fail(Errc::internal, "SQL text has an unterminated comment");
      out.append(sql.substr(i, end + 2 - i));
      i = end + 2;
    } else if (c == '$' && i + 1 < sql.size() &&
               std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
      std::size_t j = i + 1;
      while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) ++j;
      out += dialect == Dialect::sqlite ? '?' : '$';
      out.append(sql.substr(i + 1, j - i - 1));
      i = j;
    } else if (c == '@') {
      std::size_t j = i + 1;
      while (j < sql.size() && is_ident(sql[j])) ++j;
      if (j == i + 1) return fail(Errc::internal, "SQL text has a bare '@'");
      auto name = sql.substr(i + 1, j - i - 1);
      i = j;
      KB_TRY(expand_macro(name, sql, i, dialect, out));
    } else if (c == '?') {
      return fail(Errc::internal, "SQL text uses '?': write parameters as $1..$n");
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

}  // namespace

Result<std::string> expand_sql(std::string_view sql, Dialect dialect) {
  return expand(sql, dialect);
}

}  // namespace kb::store::db
