#include "net/metrics.hpp"

#include <gtest/gtest.h>

#include "support/prometheus_check.hpp"

namespace kb::net {
namespace {

TEST(Metrics, ExpositionIsValidAndComplete) {
  MetricsRegistry m;
  m.counter("kiebot_updates_total", "Updates", {{"kind", "message"}}).inc(3);
  m.counter("kiebot_updates_total", "Updates", {{"kind", "callback \"q\"\\x\n"}}).inc();
  m.gauge("kiebot_jobs", "Jobs in flight").set(7);
  auto& h = m.histogram("kiebot_latency_seconds", "Latency", {{"route", "/healthz"}});
  h.observe(0.0005);
  h.observe(0.2);
  h.observe(100);
  m.gauge_callback("kiebot_queue_depth", "Queue", {}, [] { return 4.0; });
  auto text = m.expose();
  auto errors = test::check_prometheus_text(text);
  EXPECT_TRUE(errors.empty()) << testing::PrintToString(errors) << "\n" << text;
  EXPECT_NE(text.find("kiebot_updates_total{kind=\"message\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("kiebot_latency_seconds_bucket{route=\"/healthz\",le=\"0.001\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("kiebot_latency_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("kiebot_latency_seconds_count{route=\"/healthz\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("kiebot_queue_depth 4\n"), std::string::npos);
}

TEST(Metrics, SameNameAndLabelsIsTheSameSeries) {
  MetricsRegistry m;
  m.counter("c_total", "c", {{"a", "1"}}).inc();
  m.counter("c_total", "c", {{"a", "1"}}).inc();
  EXPECT_EQ(m.counter("c_total", "c", {{"a", "1"}}).value(), 2.0);
  EXPECT_THROW(m.gauge("c_total", "c"), std::logic_error);
}

TEST(Metrics, CheckerRejectsBrokenText) {
  EXPECT_FALSE(test::check_prometheus_text("no_type 1\n").empty());
  EXPECT_FALSE(test::check_prometheus_text("# TYPE x counter\nx{a=\"b} 1\n").empty());
  EXPECT_FALSE(test::check_prometheus_text("# TYPE x counter\nx 1\nx 2\n").empty());
  EXPECT_FALSE(
      test::check_prometheus_text("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_count 2\n").empty());
  EXPECT_FALSE(test::check_prometheus_text("# TYPE x gauge\nx abc\n").empty());
}

}  // namespace
}  // namespace kb::net
