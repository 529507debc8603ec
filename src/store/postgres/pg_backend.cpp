// PostgreSQL sessions over libpqxx 6.4.
#include "store/postgres/pg_backend.hpp"

#include <pqxx/pqxx>

#include <unordered_map>

#include <fmt/format.h>

#include "core/log.hpp"
#include "store/db/fault.hpp"

namespace kb::store::postgres {
namespace {

using db::Fault;

constexpr unsigned kBoolOid = 16, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23, kOidOid = 26,
                   kFloat4Oid = 700, kFloat8Oid = 701;

std::string one_line(std::string s) {
  for (auto& c : s)
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
  while (!s.empty() && s.back() == ' ') s.pop_back();
  std::string out;
  for (char c : s)
    if (!(c == ' ' && !out.empty() && out.back() == ' ')) out += c;
  return out;
}

Fault classify_sqlstate(const std::string& state) {
  if (state == "40001" || state == "40P01") return Fault::transient;
  if (state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03")
    return Fault::broken;
  if (state == "23505") return Fault::unique;
  if (state == "23514" || state == "23502") return Fault::check;
  if (state == "23503") return Fault::foreign_key;
  if (state == "53100") return Fault::full;
  if (state == "25006") return Fault::read_only;
  if (state == "42P01") return Fault::undefined_table;
  if (state == "42501") return Fault::permission;
  return Fault::other;
}

// Routes server notices (e.g. "relation already exists, skipping") to the debug log instead of
// libpq's default of printing them on stderr.
class NoticeSink final : public pqxx::errorhandler {
 public:
  using pqxx::errorhandler::errorhandler;
  bool operator()(const char msg[]) noexcept override {
    log::debug("postgres_notice", {{"message", one_line(msg)}});
    return false;
  }
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

class PgSession final : public db::Session {
 public:
  PgSession(std::string url, std::string where) : url_(std::move(url)), where_(std::move(where)) {}
  ~PgSession() override { reset(); }

  db::Dialect dialect() const override { return db::Dialect::postgres; }
  bool connected() const override { return conn_ != nullptr; }

  void reset() noexcept override {
    tx_.reset();
    notices_.reset();
    prepared_.clear();
    conn_.reset();
  }

  Result<void> begin(db::TxMode mode) override {
    if (conn_ && !conn_->is_open()) reset();
    if (!conn_) KB_TRY(connect());
    try {
      if (mode == db::TxMode::read_write)
        tx_ = std::make_unique<pqxx::work>(*conn_);
      else
        tx_ = std::make_unique<pqxx::read_transaction>(*conn_);
      return {};
    } catch (...) {
      return translate(std::current_exception(), "BEGIN");
    }
  }

  Result<void> commit() override {
    if (!tx_) return fail(Errc::internal, "postgres: commit without a transaction");
    try {
      tx_->commit();
      tx_.reset();
      return {};
    } catch (const pqxx::in_doubt_error& e) {
      reset();
      return db::db_fail(Fault::broken,
                         fmt::format("postgres: connection lost during COMMIT, outcome unknown: {}",
                                     one_line(e.what())));
    } catch (...) {
      return translate(std::current_exception(), "COMMIT");
    }
  }

  void rollback() noexcept override {
    try {
      tx_.reset();  // the destructor aborts an open transaction
    } catch (...) {
    }
    if (conn_ && !conn_->is_open()) reset();
  }

  Result<void> exec_script(std::string_view sql) override {
    if (!tx_) return fail(Errc::internal, "postgres: script outside a transaction");
    try {
      tx_->exec(std::string(sql));
      return {};
    } catch (...) {
      return translate(std::current_exception(), "");
    }
  }

  Result<db::Rows> query_params(std::string_view sql, const db::Params& params) override {
    auto r = KB_TRY(run(sql, params));
    db::Rows rows;
    rows.reserve(r.size());
    auto columns = r.columns();
    std::vector<unsigned> types(columns);
    for (pqxx::row_size_type c = 0; c < columns; ++c) types[c] = r.column_type(c);
    for (const auto& row : r) {
      std::vector<db::SqlValue> values;
      values.reserve(columns);
      for (pqxx::row_size_type c = 0; c < columns; ++c) {
        const auto& f = row[c];
        if (f.is_null()) {
          values.emplace_back();
          continue;
        }
        const char* s = f.c_str();
        switch (types[c]) {
          case kBoolOid:
            values.emplace_back(s[0] == 't');
            break;
          case kInt8Oid:
          case kInt2Oid:
          case kInt4Oid:
          case kOidOid:
            values.emplace_back(static_cast<std::int64_t>(std::strtoll(s, nullptr, 10)));
            break;
          case kFloat4Oid:
          case kFloat8Oid:
            values.emplace_back(std::strtod(s, nullptr));
            break;
          default:
            values.emplace_back(std::string(s, f.size()));
        }
      }
      rows.emplace_back(std::move(values));
    }
    return rows;
  }

  Result<std::int64_t> exec_params(std::string_view sql, const db::Params& params) override {
    auto r = KB_TRY(run(sql, params));
    return static_cast<std::int64_t>(r.affected_rows());
  }

 private:
  Result<void> connect() {
    try {
      conn_ = std::make_unique<pqxx::connection>(url_);
      notices_ = std::make_unique<NoticeSink>(*conn_);
      return {};
    } catch (const std::exception& e) {
      conn_.reset();
      return db::db_fail(Fault::broken, fmt::format("postgres: cannot connect to {}: {}", where_,
                                                    one_line(e.what())));
    }
  }

  Result<pqxx::result> run(std::string_view sql, const db::Params& params) {
    if (!tx_) return fail(Errc::internal, "postgres: statement outside a transaction");
    const std::string* name = nullptr;
    if (auto it = prepared_.find(sql); it != prepared_.end()) {
      name = &it->second;
    } else {
      auto expanded = KB_TRY(db::expand_sql(sql, db::Dialect::postgres));
      std::string fresh = fmt::format("kb{}", prepared_.size() + 1);
      try {
        conn_->prepare(fresh, expanded);
      } catch (...) {
        return translate(std::current_exception(), expanded);
      }
      name = &prepared_.emplace(std::string(sql), std::move(fresh)).first->second;
    }
    std::vector<std::string> texts(params.size());
    std::vector<const char*> pointers(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const auto& v = params[i];
      if (std::holds_alternative<std::monostate>(v)) continue;
      if (auto p = std::get_if<std::int64_t>(&v))
        texts[i] = std::to_string(*p);
      else if (auto p = std::get_if<double>(&v))
        texts[i] = fmt::format("{}", *p);
      else if (auto p = std::get_if<std::string>(&v))
        texts[i] = *p;
      else
        texts[i] = std::get<bool>(v) ? "true" : "false";
      pointers[i] = texts[i].c_str();
    }
    try {
      return tx_->exec_prepared(*name, pqxx::prepare::make_dynamic_params(pointers));
    } catch (...) {
      return translate(std::current_exception(), sql.substr(0, 120));
    }
  }

  Unexpected translate(std::exception_ptr ex, std::string_view context) {
    std::string suffix =
        context.empty() ? "" : fmt::format(" [{}]", one_line(std::string(context)));
    try {
      std::rethrow_exception(ex);
    } catch (const pqxx::broken_connection& e) {
      reset();
      return db::db_fail(Fault::broken, fmt::format("postgres: connection to {} lost: {}", where_,
                                                    one_line(e.what())));
    } catch (const pqxx::statement_completion_unknown& e) {
      reset();
      return db::db_fail(Fault::broken, fmt::format("postgres: statement outcome unknown: {}{}",
                                                    one_line(e.what()), suffix));
    } catch (const pqxx::transaction_rollback& e) {
      // Serialization failures and deadlocks (40001, 40P01): the unit is run again.
      return db::db_fail(Fault::transient,
                         fmt::format("postgres: {}{}", one_line(e.what()), suffix));
    } catch (const pqxx::in_doubt_error& e) {
      reset();
      return db::db_fail(Fault::broken, fmt::format("postgres: transaction outcome unknown: {}",
                                                    one_line(e.what())));
    } catch (const pqxx::sql_error& e) {
      auto fault = classify_sqlstate(e.sqlstate());
      if (fault == Fault::broken) reset();
      return db::db_fail(fault, fmt::format("postgres: {} (SQLSTATE {}){}", one_line(e.what()),
                                            e.sqlstate(), suffix));
    } catch (const std::exception& e) {
      if (conn_ && !conn_->is_open()) {
        reset();
        return db::db_fail(Fault::broken, fmt::format("postgres: connection to {} lost: {}", where_,
                                                      one_line(e.what())));
      }
      return db::db_fail(Fault::other, fmt::format("postgres: {}{}", one_line(e.what()), suffix));
    }
  }

  std::string url_;
  std::string where_;
  std::unique_ptr<pqxx::connection> conn_;
  std::unique_ptr<NoticeSink> notices_;
  std::unique_ptr<pqxx::transaction_base> tx_;
  std::unordered_map<std::string, std::string, StringHash, std::equal_to<>> prepared_;
};

class PgBackend final : public db::Backend {
 public:
  explicit PgBackend(PostgresOptions options)
      : url_(connection_url(options)), where_(describe_url(options.url)) {}
  db::Dialect dialect() const override { return db::Dialect::postgres; }
  std::unique_ptr<db::Session> make_session() override {
    return std::make_unique<PgSession>(url_, where_);
  }
  std::string describe() const override { return "postgres " + where_; }

 private:
  std::string url_;
  std::string where_;
};

}  // namespace

std::string connection_url(const PostgresOptions& options) {
  std::string url = options.url;
  auto has = [&](std::string_view key) {
    auto q = url.find('?');
    if (q == std::string::npos) return false;
    std::string_view query(url);
    query.remove_prefix(q + 1);
    while (!query.empty()) {
      auto amp = query.find('&');
      auto item = query.substr(0, amp);
      if (item.substr(0, item.find('=')) == key) return true;
      if (amp == std::string_view::npos) break;
      query.remove_prefix(amp + 1);
    }
    return false;
  };
  auto add = [&](std::string_view key, std::string value) {
    if (has(key)) return;
    url += url.find('?') == std::string::npos ? '?' : '&';
    url += fmt::format("{}={}", key, value);
  };
  add("connect_timeout", std::to_string(options.connect_timeout_seconds));
  add("application_name", "kiebot");
  // Detect a dead server or network path within about a minute instead of the OS default (hours).
  add("keepalives", "1");
  add("keepalives_idle", "30");
  add("keepalives_interval", "10");
  add("keepalives_count", "3");
  return url;
}

std::string describe_url(const std::string& url) {
  auto scheme = url.find("://");
  std::string_view rest(url);
  if (scheme != std::string::npos) rest.remove_prefix(scheme + 3);
  auto q = rest.find('?');
  rest = rest.substr(0, q);
  auto at = rest.rfind('@');
  if (at != std::string_view::npos) rest.remove_prefix(at + 1);
  return rest.empty() ? "(default)" : std::string(rest);
}

std::unique_ptr<db::Backend> make_postgres_backend(PostgresOptions options) {
  return std::make_unique<PgBackend>(std::move(options));
}

}  // namespace kb::store::postgres
