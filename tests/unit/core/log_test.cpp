#include "core/log.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace kb::log {
namespace {

TEST(Log, TextLineQuotesValuesThatNeedIt) {
  auto line = format_line(Format::text, Level::warn, 1767225600123, "upstream_retry",
                          {{"update_id", 42}, {"reason", "timed out"}, {"ok", false}});
  EXPECT_EQ(
      line,
      "2026-01-01T00:00:00.123Z WARN upstream_retry update_id=42 reason=\"timed out\" ok=false");
}

TEST(Log, JsonLineIsOneValidObjectWithTypedFields) {
  auto line =
      format_line(Format::json, Level::info, 1767225600000, "job_done",
                  {{"job_id", 7}, {"model", "z-image"}, {"note", "line\nbreak \"quoted\""}});
  EXPECT_EQ(line.find('\n'), std::string::npos);
  auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["level"], "info");
  EXPECT_EQ(j["event"], "job_done");
  EXPECT_EQ(j["job_id"], 7);
  EXPECT_EQ(j["model"], "z-image");
  EXPECT_EQ(j["note"], "line\nbreak \"quoted\"");
}

TEST(Log, CaptureSeesRedactedLinesAndCountsLevels) {
  Capture capture;
  redactor().add_secret("capture-test-secret");
  info("something", {{"key", "capture-test-secret"}});
  error("broken", {});
  EXPECT_EQ(capture.count(Level::error), 1u);
  EXPECT_FALSE(capture.contains("capture-test-secret"));
  EXPECT_TRUE(capture.contains("key=***"));
}

TEST(Log, ParsesLevels) {
  EXPECT_EQ(parse_level("WARNING"), Level::warn);
  EXPECT_EQ(parse_level("debug"), Level::debug);
  EXPECT_FALSE(parse_level("verbose").has_value());
}

}  // namespace
}  // namespace kb::log
