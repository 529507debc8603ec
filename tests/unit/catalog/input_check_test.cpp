// Wizard answers → typed values or structured errors.
#include "catalog/input_check.hpp"

#include <gtest/gtest.h>

namespace kb::catalog {
namespace {

Input text_input(std::optional<std::int64_t> min, std::optional<std::int64_t> max) {
  Input in;
  in.name = "prompt";
  in.type = InputType::text;
  in.min_length = min;
  in.max_length = max;
  return in;
}

Input numeric_input(InputType type, std::string_view min, std::string_view max) {
  Input in;
  in.name = "value";
  in.type = type;
  in.min = parse_number(min).value();
  in.max = parse_number(max).value();
  return in;
}

Input enum_input() {
  Input in;
  in.name = "aspect_ratio";
  in.type = InputType::enumeration;
  in.values = {"1:1", "16:9", "auto"};
  in.value_labels.emplace("auto", Localized{"Авто", "Automatic"});
  return in;
}

Input media_input(bool array, std::int64_t min, std::int64_t max) {
  Input in;
  in.name = "image_urls";
  in.type = InputType::image;
  in.array = array;
  in.min_items = min;
  in.max_items = max;
  return in;
}

InputError error_of(const InputCheck& c) {
  EXPECT_FALSE(c.ok());
  return c.ok() ? InputError{} : c.error();
}

TEST(ParseAnswer, TextIsTrimmedAndKept) {
  auto c = parse_answer(text_input(std::nullopt, 10), "  a cat \n");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(std::get<std::string>(c.value()), "a cat");
}

TEST(ParseAnswer, TextLimitsCountCodePoints) {
  // 10 Cyrillic letters: 20 bytes, 10 characters.
  auto ok = parse_answer(text_input(std::nullopt, 10), "кошкакошка");
  EXPECT_TRUE(ok.ok());
  auto too_long = error_of(parse_answer(text_input(std::nullopt, 10), "кошкакошкак"));
  EXPECT_EQ(too_long, (InputError{InputErrorCode::too_long, {{"max", "10"}, {"length", "11"}}}));
  EXPECT_EQ(too_long.param("max"), "10");
  auto too_short = error_of(parse_answer(text_input(3, 10), "ab"));
  EXPECT_EQ(too_short, (InputError{InputErrorCode::too_short, {{"min", "3"}, {"length", "2"}}}));
  auto emoji = parse_answer(text_input(std::nullopt, 2), "🐱🐶");
  EXPECT_TRUE(emoji.ok());
}

TEST(ParseAnswer, EmptyOrBlankIsEmpty) {
  EXPECT_EQ(error_of(parse_answer(text_input(std::nullopt, 10), "   ")).code,
            InputErrorCode::empty);
  EXPECT_EQ(error_of(parse_answer(enum_input(), "")).code, InputErrorCode::empty);
}

TEST(ParseAnswer, IntegersRejectFractionsAndGarbage) {
  Input in = numeric_input(InputType::integer, "6", "30");
  auto ok = parse_answer(in, " 12 ");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(std::get<std::int64_t>(ok.value()), 12);
  EXPECT_EQ(error_of(parse_answer(in, "12.5")).code, InputErrorCode::not_an_integer);
  EXPECT_EQ(error_of(parse_answer(in, "12,0")).code, InputErrorCode::not_an_integer);
  EXPECT_EQ(error_of(parse_answer(in, "twelve")).code, InputErrorCode::not_a_number);
  EXPECT_EQ(error_of(parse_answer(in, "1e1")).code, InputErrorCode::not_a_number);
  EXPECT_EQ(error_of(parse_answer(in, "40")),
            (InputError{InputErrorCode::out_of_range, {{"min", "6"}, {"max", "30"}}}));
  EXPECT_EQ(error_of(parse_answer(in, "-7")).code, InputErrorCode::out_of_range);
}

TEST(ParseAnswer, NumbersAcceptACommaAndStayExact) {
  Input in = numeric_input(InputType::number, "0.7", "1.2");
  auto comma = parse_answer(in, "0,85");
  ASSERT_TRUE(comma.ok());
  EXPECT_EQ(std::get<Number>(comma.value()), (Number{85, 2}));
  auto edge = parse_answer(in, "1.2");
  EXPECT_TRUE(edge.ok());
  EXPECT_EQ(error_of(parse_answer(in, "1.21")),
            (InputError{InputErrorCode::out_of_range, {{"min", "0.7"}, {"max", "1.2"}}}));
  EXPECT_EQ(error_of(parse_answer(in, "fast")).code, InputErrorCode::not_a_number);
  EXPECT_EQ(error_of(parse_answer(in, "1.")).code, InputErrorCode::not_a_number);
}

TEST(ParseAnswer, OneSidedRangeNamesOnlyItsBound) {
  Input in;
  in.type = InputType::number;
  in.min = Number::integer(1);
  EXPECT_EQ(error_of(parse_answer(in, "0.5")),
            (InputError{InputErrorCode::out_of_range, {{"min", "1"}}}));
}

TEST(ParseAnswer, EnumsAcceptValuesAndCaptionsInAnyCase) {
  Input in = enum_input();
  EXPECT_EQ(std::get<std::string>(parse_answer(in, "16:9").value()), "16:9");
  EXPECT_EQ(std::get<std::string>(parse_answer(in, "AUTO").value()), "auto");
  EXPECT_EQ(std::get<std::string>(parse_answer(in, "авто").value()), "auto");
  EXPECT_EQ(std::get<std::string>(parse_answer(in, "automatic").value()), "auto");
  EXPECT_EQ(error_of(parse_answer(in, "2:1")),
            (InputError{InputErrorCode::not_one_of, {{"values", "1:1, 16:9, auto"}}}));
}

TEST(ParseAnswer, BooleansInBothLanguages) {
  Input in;
  in.type = InputType::boolean;
  for (auto yes : {"yes", "Да", "ДА", "true", "on", "1", "вкл"})
    EXPECT_EQ(std::get<bool>(parse_answer(in, yes).value()), true) << yes;
  for (auto no : {"no", "Нет", "false", "off", "0", "выкл"})
    EXPECT_EQ(std::get<bool>(parse_answer(in, no).value()), false) << no;
  EXPECT_EQ(error_of(parse_answer(in, "maybe")).code, InputErrorCode::not_a_boolean);
}

TEST(ParseAnswer, MediaAcceptsLinks) {
  Input single = media_input(false, 1, 1);
  auto ok = parse_answer(single, " https://example.com/cat.png ");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(std::get<MediaUrls>(ok.value()), MediaUrls{"https://example.com/cat.png"});
  EXPECT_EQ(error_of(parse_answer(single, "a cat")).code, InputErrorCode::not_a_link);
  EXPECT_EQ(error_of(parse_answer(single, "ftp://example.com/x.png")).code,
            InputErrorCode::not_a_link);
  Input album = media_input(true, 1, 2);
  auto two = parse_answer(album, "https://a.test/1.png\nhttp://a.test/2.png");
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(std::get<MediaUrls>(two.value()).size(), 2u);
}

TEST(ChooseOption, OnlyListedValues) {
  Input in = enum_input();
  EXPECT_TRUE(choose_option(in, "1:1").ok());
  EXPECT_EQ(error_of(choose_option(in, "AUTO")).code, InputErrorCode::not_one_of);
  EXPECT_EQ(error_of(choose_option(text_input(std::nullopt, 5), "x")).code,
            InputErrorCode::wrong_kind);
}

TEST(AttachMedia, ItemLimits) {
  Input album = media_input(true, 2, 3);
  EXPECT_TRUE(attach_media(album, {"https://a/1", "https://a/2"}).ok());
  EXPECT_EQ(error_of(attach_media(album, {"https://a/1"})),
            (InputError{InputErrorCode::too_few_files, {{"min", "2"}, {"count", "1"}}}));
  EXPECT_EQ(
      error_of(attach_media(album, {"https://a/1", "https://a/2", "https://a/3", "https://a/4"})),
      (InputError{InputErrorCode::too_many_files, {{"max", "3"}, {"count", "4"}}}));
  Input single = media_input(false, 1, 1);
  EXPECT_EQ(error_of(attach_media(single, {"https://a/1", "https://a/2"})).code,
            InputErrorCode::too_many_files);
  EXPECT_EQ(error_of(attach_media(single, {})).code, InputErrorCode::empty);
}

TEST(CheckValue, WrongKindIsReported) {
  EXPECT_EQ(check_value(enum_input(), InputValue{true})->code, InputErrorCode::wrong_kind);
  EXPECT_EQ(check_value(media_input(false, 1, 1), InputValue{std::string("https://a")})->code,
            InputErrorCode::wrong_kind);
  EXPECT_FALSE(check_value(enum_input(), InputValue{std::string("auto")}).has_value());
}

TEST(InputError, DescribeAndCodeNames) {
  InputError e{InputErrorCode::too_long, {{"max", "1000"}, {"length", "1200"}}};
  EXPECT_EQ(e.describe(), "too_long max=1000 length=1200");
  EXPECT_EQ(input_error_code_name(InputErrorCode::not_a_number), "not_a_number");
  EXPECT_EQ(e.param("missing"), "");
}

}  // namespace
}  // namespace kb::catalog
