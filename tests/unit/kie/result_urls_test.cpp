// Output URL extraction rules.
#include <gtest/gtest.h>

#include "kie/result_urls.hpp"

namespace kb::kie {
namespace {

using nlohmann::json;
using Urls = std::vector<std::string>;

TEST(ResultUrls, LooksLikeUrl) {
  EXPECT_TRUE(looks_like_url("https://a/b.png"));
  EXPECT_TRUE(looks_like_url("HTTP://a"));
  EXPECT_FALSE(looks_like_url("https://"));
  EXPECT_FALSE(looks_like_url("ftp://a"));
  EXPECT_FALSE(looks_like_url("https://a b"));
  EXPECT_FALSE(looks_like_url("javascript:alert(1)"));
  EXPECT_FALSE(looks_like_url(std::string("https://a\n", 10)));
}

TEST(ResultUrls, ResultFieldsWinOverMediaFields) {
  auto u = extract_result_urls(json::parse(
      R"({"resultUrls":["https://a/1"],"imageUrl":"https://a/cover","videoUrl":"https://a/v"})"));
  EXPECT_EQ(u.primary, Urls{"https://a/1"});
  EXPECT_EQ(u.extra.size(), 2u);
}

TEST(ResultUrls, VideoBeatsImageInTheSameObject) {
  auto u =
      extract_result_urls(json::parse(R"({"image_url":"https://a/i","video_url":"https://a/v"})"));
  EXPECT_EQ(u.primary, Urls{"https://a/v"});
  EXPECT_EQ(u.extra, Urls{"https://a/i"});
}

TEST(ResultUrls, ImageAloneIsTheOutput) {
  EXPECT_EQ(extract_result_urls(json::parse(R"({"image_url":"https://a/i"})")).primary,
            Urls{"https://a/i"});
}

TEST(ResultUrls, RequestEchoIsIgnored) {
  auto u = extract_result_urls(json::parse(
      R"({"param":{"input":{"image_url":"https://in/x"}},"input":{"image_urls":["https://in/y"]},
          "callBackUrl":"https://me/cb","resultUrls":["https://out/1"]})"));
  EXPECT_EQ(u.primary, Urls{"https://out/1"});
  EXPECT_TRUE(u.extra.empty());
}

TEST(ResultUrls, DuplicatesAppearOnce) {
  auto u = extract_result_urls(json::parse(
      R"({"resultUrls":["https://a/1","https://a/1"],"response":{"resultUrls":["https://a/1"]},
          "originUrls":["https://a/1"]})"));
  EXPECT_EQ(u.primary, Urls{"https://a/1"});
  EXPECT_TRUE(u.extra.empty());
}

TEST(ResultUrls, NonUrlStringsAndOtherTypesAreIgnored) {
  auto u = extract_result_urls(json::parse(
      R"({"resultUrls":["not a url",42,null,true,"https://a/ok"],"title":"https://not-a-url-key"})"));
  EXPECT_EQ(u.primary, Urls{"https://a/ok"});
}

TEST(ResultUrls, BareStringAndArrayResults) {
  EXPECT_EQ(extract_result_urls(json("https://a/x")).primary, Urls{"https://a/x"});
  EXPECT_EQ(extract_result_urls(json::parse(R"(["https://a/x","https://a/y"])")).primary,
            (Urls{"https://a/x", "https://a/y"}));
  EXPECT_TRUE(extract_result_urls(json()).primary.empty());
}

TEST(ResultUrls, HugeResultsAreBounded) {
  json many = json::array();
  for (int i = 0; i < 5000; ++i) many.push_back("https://a/" + std::to_string(i));
  auto u = extract_result_urls(json{{"resultUrls", many}});
  EXPECT_LE(u.primary.size(), 256u);
  EXPECT_FALSE(u.primary.empty());
}

}  // namespace
}  // namespace kb::kie
