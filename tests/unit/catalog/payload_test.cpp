// The createTask `input` object: typed values, defaults, hidden and skipped inputs, errors.
#include "catalog/payload.hpp"

#include <gtest/gtest.h>

#include "catalog_fixture.hpp"

namespace kb::catalog::test {
namespace {

using nlohmann::json;

const Model& video_model() {
  static const Catalog c = parse_ok(with_model(kMinimalCatalog, kVideoModel));
  return c.models.at(1);
}

json payload(const Model& m, const InputValues& values) {
  auto p = build_payload(m, values);
  EXPECT_TRUE(p.has_value()) << (p ? "" : p.error().message);
  return p.value_or(json());
}

TEST(BuildPayload, RequiredDefaultsAndHiddenInputsAreSentSkippedOptionalsAreNot) {
  json p = payload(video_model(), {{"prompt", std::string("a ship")}});
  EXPECT_EQ(
      p, json::parse(R"({"prompt":"a ship","duration":"5","sound":false,"upload_method":"s3"})"));
}

TEST(BuildPayload, TypedValues) {
  json p = payload(video_model(),
                   {{"prompt", std::string("a ship")},
                    {"duration", std::string("10")},
                    {"sound", true},
                    {"count", std::int64_t{3}},
                    {"speed", parse_number("0.85").value()},
                    {"image_urls", MediaUrls{"https://m.test/1.png", "https://m.test/2.png"}}});
  EXPECT_EQ(p["duration"], json("10"));  // a string enum stays a string
  EXPECT_EQ(p["sound"], json(true));
  EXPECT_TRUE(p["count"].is_number_integer());
  EXPECT_EQ(p["count"], json(3));
  EXPECT_TRUE(p["speed"].is_number_float());
  EXPECT_EQ(p["speed"].dump(), "0.85");
  EXPECT_EQ(p["image_urls"], json::parse(R"(["https://m.test/1.png","https://m.test/2.png"])"));
}

TEST(BuildPayload, WholeNumbersOfANumberInputAreSentAsIntegers) {
  json p = payload(video_model(), {{"prompt", std::string("x")}, {"speed", Number::integer(1)}});
  EXPECT_EQ(p["speed"].dump(), "1");
}

TEST(BuildPayload, HiddenInputsIgnoreTheUsersValue) {
  json p =
      payload(video_model(), {{"prompt", std::string("x")}, {"upload_method", std::string("oss")}});
  EXPECT_EQ(p["upload_method"], json("s3"));
}

TEST(BuildPayload, SingleMediaIsAStringArraysAreLists) {
  std::string yaml = replaced(with_model(kMinimalCatalog, kVideoModel),
                              "        array: true\n        max_items: 3\n", "");
  Catalog c = parse_ok(yaml);
  json p = payload(c.models.at(1), {{"prompt", std::string("x")},
                                    {"image_urls", MediaUrls{"https://m.test/1.png"}}});
  EXPECT_EQ(p["image_urls"], json("https://m.test/1.png"));
}

TEST(BuildPayload, SendAsIntegerAndNumber) {
  std::string yaml =
      replaced(with_model(kMinimalCatalog, kVideoModel), "        values: [\"5\", \"10\"]\n",
               "        values: [\"5\", \"10\"]\n        send_as: integer\n");
  Catalog c = parse_ok(yaml);
  json p = payload(c.models.at(1), {{"prompt", std::string("x")}});
  EXPECT_EQ(p["duration"].dump(), "5");
  yaml = replaced(with_model(kMinimalCatalog, kVideoModel), "        values: [\"5\", \"10\"]\n",
                  "        values: [\"5\", \"10\"]\n        send_as: number\n");
  Catalog n = parse_ok(yaml);
  EXPECT_EQ(payload(n.models.at(1), {{"prompt", std::string("x")}, {"duration", std::string("10")}})
                .at("duration")
                .dump(),
            "10");
}

TEST(BuildPayload, MissingRequiredInputIsAnErrorNamingIt) {
  auto p = build_payload(video_model(), {});
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().code, Errc::invalid_input);
  EXPECT_EQ(p.error().message, "missing required input prompt");
}

TEST(BuildPayload, NeverAnUnknownKey) {
  auto p = build_payload(video_model(), {{"prompt", std::string("x")}, {"nsfw_checker", false}});
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().message, "model test/video-model has no input nsfw_checker");
}

TEST(BuildPayload, InvalidValuesAreRejected) {
  auto not_a_value =
      build_payload(video_model(), {{"prompt", std::string("x")}, {"duration", std::string("7")}});
  ASSERT_FALSE(not_a_value.has_value());
  EXPECT_EQ(not_a_value.error().message, "input duration: not_one_of values=5, 10");
  auto out_of_range =
      build_payload(video_model(), {{"prompt", std::string("x")}, {"count", std::int64_t{9}}});
  EXPECT_FALSE(out_of_range.has_value());
  auto wrong_kind =
      build_payload(video_model(), {{"prompt", std::string("x")}, {"sound", std::string("yes")}});
  EXPECT_FALSE(wrong_kind.has_value());
  auto not_a_link = build_payload(video_model(), {{"prompt", std::string("x")},
                                                  {"image_urls", MediaUrls{"file:///etc/passwd"}}});
  EXPECT_FALSE(not_a_link.has_value());
}

TEST(InputValuesStorage, RoundTripsEveryTypeExactly) {
  InputValues v{{"prompt", std::string("a ship")},
                {"duration", std::string("10")},
                {"sound", true},
                {"count", std::int64_t{3}},
                {"speed", parse_number("0.85").value()},
                {"image_urls", MediaUrls{"https://m.test/1.png"}}};
  json stored = values_to_json(v);
  EXPECT_EQ(stored["speed"], json("0.85"));  // exact, never a double
  auto back = values_from_json(video_model(), json::parse(stored.dump()));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, v);
}

TEST(InputValuesStorage, RejectsUnknownNamesAndWrongTypes) {
  EXPECT_FALSE(values_from_json(video_model(), json::parse(R"({"style":"x"})")).has_value());
  EXPECT_FALSE(values_from_json(video_model(), json::parse(R"({"sound":"true"})")).has_value());
  EXPECT_FALSE(values_from_json(video_model(), json::parse(R"({"count":1.5})")).has_value());
  EXPECT_FALSE(values_from_json(video_model(), json::parse(R"([1])")).has_value());
}

}  // namespace
}  // namespace kb::catalog::test
