// Metric storage and text exposition.
#include "net/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace kb::net {
namespace {

std::string escape_label_value(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out.push_back(c);
  }
  return out;
}

std::string escape_help(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out.push_back(c);
  }
  return out;
}

std::string format_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15)
    return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{}", v);
}

}  // namespace

std::string render_labels(const Labels& labels, std::string_view extra_key,
                          std::string_view extra_value) {
  if (labels.empty() && extra_key.empty()) return "";
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (!first) out.push_back(',');
    first = false;
    out += fmt::format("{}=\"{}\"", k, escape_label_value(v));
  }
  if (!extra_key.empty()) {
    if (!first) out.push_back(',');
    out += fmt::format("{}=\"{}\"", extra_key, escape_label_value(extra_value));
  }
  out.push_back('}');
  return out;
}

Histogram::Histogram(std::vector<double> upper_bounds) : bounds_(std::move(upper_bounds)) {
  std::sort(bounds_.begin(), bounds_.end());
  buckets_ = std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size());
  for (std::size_t i = 0; i < bounds_.size(); ++i) buckets_[i] = 0;
}

void Histogram::observe(double v) {
  auto it = std::lower_bound(bounds_.begin(), bounds_.end(), v);
  if (it != bounds_.end()) buckets_[it - bounds_.begin()].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::cumulative_counts() const {
  std::vector<std::uint64_t> out(bounds_.size());
  std::uint64_t running = 0;
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    out[i] = running;
  }
  return out;
}

std::vector<double> latency_buckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

MetricsRegistry::Family& MetricsRegistry::family(std::string_view name, std::string_view help,
                                                 Type type) {
  auto it = families_.find(name);
  if (it == families_.end()) {
    it = families_.emplace(std::string(name), Family{type, std::string(help), {}}).first;
  } else if (it->second.type != type) {
    throw std::logic_error(fmt::format("metric {} registered with two types", name));
  }
  return it->second;
}

Counter& MetricsRegistry::counter(std::string_view name, std::string_view help,
                                  const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& s = family(name, help, Type::counter).series[render_labels(labels)];
  if (!s.counter) s.counter = std::make_unique<Counter>();
  return *s.counter;
}

Gauge& MetricsRegistry::gauge(std::string_view name, std::string_view help, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& s = family(name, help, Type::gauge).series[render_labels(labels)];
  if (!s.gauge) s.gauge = std::make_unique<Gauge>();
  return *s.gauge;
}

Histogram& MetricsRegistry::histogram(std::string_view name, std::string_view help,
                                      const Labels& labels, std::vector<double> bounds) {
  std::lock_guard lock(mutex_);
  auto& s = family(name, help, Type::histogram).series[render_labels(labels)];
  if (!s.histogram) s.histogram = std::make_unique<Histogram>(std::move(bounds));
  return *s.histogram;
}

void MetricsRegistry::gauge_callback(std::string_view name, std::string_view help,
                                     const Labels& labels, std::function<double()> read) {
  std::lock_guard lock(mutex_);
  family(name, help, Type::gauge).series[render_labels(labels)].callback = std::move(read);
}

std::string MetricsRegistry::expose() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, fam] : families_) {
    const char* type = fam.type == Type::counter ? "counter"
                       : fam.type == Type::gauge ? "gauge"
                                                 : "histogram";
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, escape_help(fam.help), name, type);
    for (const auto& [labels, s] : fam.series) {
      if (s.counter) {
        out += fmt::format("{}{} {}\n", name, labels, format_value(s.counter->value()));
      } else if (s.callback) {
        out += fmt::format("{}{} {}\n", name, labels, format_value(s.callback()));
      } else if (s.gauge) {
        out += fmt::format("{}{} {}\n", name, labels, format_value(s.gauge->value()));
      } else if (s.histogram) {
        // Re-render the label set with `le` appended: strip the closing brace of the stored set.
        std::string base = labels.empty() ? "{" : labels.substr(0, labels.size() - 1) + ",";
        auto counts = s.histogram->cumulative_counts();
        auto total =
            std::max(s.histogram->count(), counts.empty() ? std::uint64_t{0} : counts.back());
        const auto& bounds = s.histogram->bounds();
        for (std::size_t i = 0; i < bounds.size(); ++i)
          out += fmt::format("{}_bucket{}le=\"{}\"}} {}\n", name, base, format_value(bounds[i]),
                             counts[i]);
        out += fmt::format("{}_bucket{}le=\"+Inf\"}} {}\n", name, base, total);
        out += fmt::format("{}_sum{} {}\n", name, labels, format_value(s.histogram->sum()));
        out += fmt::format("{}_count{} {}\n", name, labels, total);
      }
    }
  }
  return out;
}

}  // namespace kb::net
