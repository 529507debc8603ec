// Line formatting, redaction and the spdlog sink behind kb::log.
#include "core/log.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace kb::log {
namespace {

struct Observer {
  std::uint64_t id;
  std::function<void(Level, const std::string&)> fn;
};

struct LoggerState {
  std::atomic<int> level{static_cast<int>(Level::info)};
  std::atomic<Format> format{Format::text};
  Redactor redactor;
  std::shared_ptr<spdlog::logger> sink_logger;
  std::mutex observers_mutex;
  std::vector<Observer> observers;
  std::atomic<bool> has_observers{false};
  std::atomic<std::uint64_t> next_observer{1};

  LoggerState() {
    sink_logger = std::make_shared<spdlog::logger>(
        "kiebot", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    sink_logger->set_pattern("%v");
    sink_logger->set_level(spdlog::level::trace);
    sink_logger->flush_on(spdlog::level::trace);
  }
};

LoggerState& state() {
  static LoggerState* s =
      new LoggerState();  // never destroyed: logging works during static teardown
  return *s;
}

bool needs_quotes(std::string_view v) {
  if (v.empty()) return true;
  return std::any_of(v.begin(), v.end(), [](char c) {
    return c == ' ' || c == '"' || c == '=' || c == '\n' || c == '\r' || c == '\t' || c == '\\';
  });
}

void append_text_value(std::string& out, std::string_view v) {
  if (!needs_quotes(v)) {
    out.append(v);
    return;
  }
  out.push_back('"');
  for (char c : v) {
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        out.push_back(c);
    }
  }
  out.push_back('"');
}

std::string timestamp(std::int64_t unix_ms) {
  auto secs = std::chrono::sys_seconds(std::chrono::seconds(unix_ms / 1000));
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", secs, static_cast<int>(unix_ms % 1000));
}

}  // namespace

Field::Field(std::string_view k, double v) : key(k), value(fmt::format("{}", v)), quoted(false) {}

std::string_view level_name(Level level) {
  switch (level) {
    case Level::debug:
      return "DEBUG";
    case Level::info:
      return "INFO";
    case Level::warn:
      return "WARN";
    case Level::error:
      return "ERROR";
    case Level::off:
      return "OFF";
  }
  return "INFO";
}

std::optional<Level> parse_level(std::string_view text) {
  std::string t(text);
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  if (t == "debug" || t == "trace") return Level::debug;
  if (t == "info") return Level::info;
  if (t == "warn" || t == "warning") return Level::warn;
  if (t == "error") return Level::error;
  if (t == "off") return Level::off;
  return std::nullopt;
}

void configure(Level level, Format format) {
  state().level = static_cast<int>(level);
  state().format = format;
}

Level level() {
  return static_cast<Level>(state().level.load());
}
Redactor& redactor() {
  return state().redactor;
}
bool enabled(Level l) {
  return static_cast<int>(l) >= state().level.load() || state().has_observers.load();
}

std::string format_line(Format format, Level level, std::int64_t unix_ms, std::string_view event,
                        const std::vector<Field>& fields) {
  if (format == Format::json) {
    nlohmann::ordered_json j;
    j["ts"] = timestamp(unix_ms);
    std::string lvl(level_name(level));
    std::transform(lvl.begin(), lvl.end(), lvl.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    j["level"] = lvl;
    j["event"] = std::string(event);
    for (const auto& f : fields) {
      std::string key(f.key);
      if (!f.quoted) {
        auto parsed = nlohmann::json::parse(f.value, nullptr, false);
        if (!parsed.is_discarded()) {
          j[key] = parsed;
          continue;
        }
      }
      j[key] = f.value;
    }
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  std::string out = timestamp(unix_ms);
  out.push_back(' ');
  out.append(level_name(level));
  out.push_back(' ');
  out.append(event);
  for (const auto& f : fields) {
    out.push_back(' ');
    out.append(f.key);
    out.push_back('=');
    append_text_value(out, f.value);
  }
  return out;
}

void emit(Level lvl, std::string_view event, const std::vector<Field>& fields) {
  auto& s = state();
  bool to_sink = static_cast<int>(lvl) >= s.level.load();
  bool to_observers = s.has_observers.load();
  if (!to_sink && !to_observers) return;
  auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  std::string line = s.redactor.redact(format_line(s.format.load(), lvl, now_ms, event, fields));
  if (to_sink) s.sink_logger->info(line);
  if (to_observers) {
    std::lock_guard lock(s.observers_mutex);
    for (auto& o : s.observers) o.fn(lvl, line);
  }
}

void emit(Level lvl, std::string_view event, Fields fields) {
  emit(lvl, event, std::vector<Field>(fields.begin(), fields.end()));
}

struct Capture::State {
  mutable std::mutex mutex;
  std::vector<std::pair<Level, std::string>> lines;
};

Capture::Capture() : state_(std::make_shared<State>()) {
  auto& s = state();
  std::lock_guard lock(s.observers_mutex);
  id_ = s.next_observer++;
  auto st = state_;
  s.observers.push_back({id_, [st](Level l, const std::string& line) {
                           std::lock_guard lk(st->mutex);
                           st->lines.emplace_back(l, line);
                         }});
  s.has_observers = true;
}

Capture::~Capture() {
  auto& s = state();
  std::lock_guard lock(s.observers_mutex);
  std::erase_if(s.observers, [this](const Observer& o) { return o.id == id_; });
  s.has_observers = !s.observers.empty();
}

std::vector<std::string> Capture::lines() const {
  std::lock_guard lk(state_->mutex);
  std::vector<std::string> out;
  for (auto& [l, line] : state_->lines) out.push_back(line);
  return out;
}

std::size_t Capture::count(Level level) const {
  std::lock_guard lk(state_->mutex);
  return std::count_if(state_->lines.begin(), state_->lines.end(),
                       [&](const auto& p) { return p.first == level; });
}

bool Capture::contains(std::string_view needle) const {
  std::lock_guard lk(state_->mutex);
  return std::any_of(state_->lines.begin(), state_->lines.end(),
                     [&](const auto& p) { return p.second.find(needle) != std::string::npos; });
}

}  // namespace kb::log
