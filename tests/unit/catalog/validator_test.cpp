// One test per catalog error kind, each with the exact message `catalog check` prints.
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "catalog_fixture.hpp"

namespace kb::catalog::test {
namespace {

struct Case {
  std::string name;
  std::vector<std::pair<std::string, std::string>> edits;  // applied to minimal + video model
  std::vector<std::string> expected;
};

std::string both_models() {
  return with_model(kMinimalCatalog, kVideoModel);
}

const std::string kSixtyThree(63, 'a');

std::vector<Case> cases() {
  const std::string img = "model test/image-model: ";
  const std::string vid = "model test/video-model: ";
  return {
      {"UnknownTopLevelKey",
       {{"version: 1\n", "version: 1\nextra: 1\n"}},
       {"unknown key \"extra\""}},
      {"UnknownPricingKey",
       {{"  round_up_to_kopecks: 100\n", "  round_up_to_kopecks: 100\n  rounding: up\n"}},
       {"pricing: unknown key \"rounding\""}},
      {"UnknownModelKey",
       {{"    output: image\n", "    output: image\n    colour: red\n"}},
       {img + "unknown key \"colour\""}},
      {"UnknownInputKey",
       {{"        max_length: 100\n", "        max_length: 100\n        maxlength: 5\n"}},
       {img + "input prompt: unknown key \"maxlength\""}},
      {"UnknownPriceKey",
       {{"      usd: \"0.04\"\n", "      usd: \"0.04\"\n      eur: \"0.03\"\n"}},
       {img + "price: unknown key \"eur\""}},
      {"DuplicateKey",
       {{"    output: image\n", "    output: image\n    output: video\n"}},
       {img + "key \"output\" appears twice"}},
      {"MissingKey", {{"    format: image\n", ""}}, {img + "missing \"format\""}},
      {"NotAWholeNumber",
       {{"expected_seconds: 10\n", "expected_seconds: ten\n"}},
       {img + "expected_seconds: expected a whole number, got \"ten\""}},
      {"NumberOutOfBounds",
       {{"expected_seconds: 10\n", "expected_seconds: 0\n"}},
       {img + "expected_seconds: must be between 1 and 604800, got 0"}},
      {"BadBoolean",
       {{"        required: true\n        max_length: 100",
         "        required: yes\n        max_length: 100"}},
       {img + "input prompt: required: expected true or false, got \"yes\""}},
      {"UnknownFormat",
       {{"    format: image\n", "    format: picture\n"}},
       {img + "format: unknown format \"picture\" (image, video, audio or tools)"}},
      {"UnknownOutput",
       {{"    output: image\n", "    output: pdf\n"}},
       {img + "output: unknown output \"pdf\" (image, video, audio or text)"}},
      {"CategoryCharacters",
       {{"category: text-to-image", "category: Text To Image"}},
       {img + "category \"Text To Image\": only a-z, 0-9 and \"-\" are allowed"}},
      {"UnsupportedVersion",
       {{"version: 1\n", "version: 2\n"}},
       {"version: unsupported format version 2 (only 1 exists)"}},
      {"UntypedInput", {{"        type: text\n", ""}}, {img + "input prompt: missing \"type\""}},
      {"UnknownInputType",
       {{"        type: text\n", "        type: file\n"}},
       {img + "input prompt: type: unknown type \"file\" (text, enum, integer, number, boolean, "
              "image, video or audio)"}},
      {"KeyOfAnotherInputType",
       {{"        max_length: 100\n", "        max_length: 100\n        max_mb: 5\n"}},
       {img + "input prompt: \"max_mb\" applies only to media inputs"}},
      {"InputNameCharacters",
       {{"      - name: prompt\n        type: text\n        required: true\n        max_length",
         "      - name: the prompt\n        type: text\n        required: true\n        "
         "max_length"}},
       {img + "input the prompt: the name must be letters, digits and \"_\" (KIE's field name)"}},
      {"InputDefinedTwice",
       {{"      - name: aspect_ratio\n", "      - name: prompt\n"}},
       {img + "input prompt: defined twice"}},
      {"EnumDefaultNotAValue",
       {{"default: \"1:1\"", "default: \"2:1\""}},
       {img + "input aspect_ratio: default \"2:1\" is not one of the values"}},
      {"EnumValueListedTwice",
       {{"values: [\"1:1\", \"16:9\"]", "values: [\"1:1\", \"16:9\", \"1:1\"]"}},
       {img + "input aspect_ratio: values: \"1:1\" is listed twice"}},
      {"EnumWithoutValues",
       {{"values: [\"1:1\", \"16:9\"]", "values: []"},
        {"        default: \"1:1\"\n", ""},
        {"        value_labels:\n          \"16:9\": {ru: \"Широкий\", en: \"Wide\"}\n", ""}},
       {img + "input aspect_ratio: values: the list is empty"}},
      {"ValueLabelForNoValue",
       {{"\"16:9\": {ru: \"Широкий\"", "\"21:9\": {ru: \"Широкий\""}},
       {img + "input aspect_ratio: value_labels: \"21:9\" is not one of the values"}},
      {"SendAsIntegerNeedsWholeNumbers",
       {{"default: \"1:1\"\n", "default: \"1:1\"\n        send_as: integer\n"}},
       {img + "input aspect_ratio: value \"1:1\" cannot be sent as an integer",
        img + "input aspect_ratio: value \"16:9\" cannot be sent as an integer"}},
      {"UnknownSendAs",
       {{"default: \"1:1\"\n", "default: \"1:1\"\n        send_as: int\n"}},
       {img + "input aspect_ratio: send_as: expected string, integer or number, got \"int\""}},
      {"IntegerDefaultAboveMax",
       {{"max: 4\n        default: 1\n", "max: 4\n        default: 5\n"}},
       {vid + "input count: default 5 is greater than max 4"}},
      {"IntegerDefaultBelowMin",
       {{"max: 4\n        default: 1\n", "max: 4\n        default: 0\n"}},
       {vid + "input count: default 0 is less than min 1"}},
      {"NumberDefaultOutsideRange",
       {{"max: 1.2\n", "max: 1.2\n        default: 1.25\n"}},
       {vid + "input speed: default 1.25 is greater than max 1.2"}},
      {"DefaultOfWrongType",
       {{"max: 4\n        default: 1\n", "max: 4\n        default: one\n"}},
       {vid + "input count: default \"one\" is not a whole number"}},
      {"BooleanDefaultNotTrueOrFalse",
       {{"        default: false\n", "        default: no\n"}},
       {vid + "input sound: default \"no\" is not true or false"}},
      {"MinGreaterThanMax",
       {{"min: 0.7\n", "min: 1.5\n"}},
       {vid + "input speed: min 1.5 is greater than max 1.2"}},
      {"FractionalIntegerBound",
       {{"max: 4\n", "max: 4.5\n"}},
       {vid + "input count: max: 4.5 is not a whole number"}},
      {"MinLengthGreaterThanMaxLength",
       {{"        max_length: 100\n", "        max_length: 100\n        min_length: 200\n"}},
       {img + "input prompt: min_length 200 is greater than max_length 100"}},
      {"MaxItemsWithoutArray",
       {{"        array: true\n        max_items: 3\n", "        max_items: 3\n"}},
       {vid + "input image_urls: max_items 3 needs \"array: true\""}},
      {"MinItemsGreaterThanMaxItems",
       {{"        max_items: 3\n", "        max_items: 3\n        min_items: 5\n"}},
       {vid + "input image_urls: min_items 5 is greater than max_items 3"}},
      {"MediaDefault",
       {{"        max_items: 3\n",
         "        max_items: 3\n        default: https://x.test/a.png\n"}},
       {vid + "input image_urls: \"default\" applies only to non-media inputs"}},
      {"HiddenWithoutDefault",
       {{"        default: \"s3\"\n", ""}},
       {vid + "input upload_method: a hidden input needs a default"}},
      {"HiddenMedia",
       {{"        max_items: 3\n", "        max_items: 3\n        hidden: true\n"}},
       {vid + "input image_urls: a media input cannot be hidden",
        vid + "input image_urls: a hidden input needs a default"}},
      {"MissingTranslation",
       {{"title: {ru: \"Тест\", en: \"Test\"}", "title: {ru: \"Тест\"}"}},
       {img + "title: missing \"en\" translation"}},
      {"EmptyTranslation",
       {{"hint: {ru: \"До 100 символов.\"", "hint: {ru: \"\""}},
       {img + "input prompt: hint: missing \"ru\" translation"}},
      {"MissingValueLabelTranslation",
       {{"{ru: \"Широкий\", en: \"Wide\"}", "{ru: \"Широкий\"}"}},
       {img + "input aspect_ratio: value_labels \"16:9\": missing \"en\" translation"}},
      {"MissingExampleTranslation",
       {{"- {ru: \"Кот\", en: \"A cat\"}", "- {en: \"A cat\"}"}},
       {img + "example 1: missing \"ru\" translation"}},
      {"MissingLabel",
       {{"        label: {ru: \"Описание\", en: \"Prompt\"}\n", ""}},
       {img + "input prompt: missing \"label\""}},
      {"UnknownLanguage",
       {{"title: {ru: \"Тест\", en: \"Test\"}",
         "title: {ru: \"Тест\", en: \"Test\", de: \"Test\"}"}},
       {img + "title: unknown key \"de\""}},
      {"TranslationNotAMap",
       {{"title: {ru: \"Тест\", en: \"Test\"}", "title: \"Test\""}},
       {img + "title: expected {ru: \"…\", en: \"…\"}"}},
      {"ProviderBrandInUserText",
       {{"en: \"Draws a picture.\"", "en: \"Draws a picture on Kie.ai.\""},
        {"en: \"Prompt\"}", "en: \"KIE prompt\"}"},
        {"{ru: \"Широкий\", en: \"Wide\"}", "{ru: \"Широкий kie\", en: \"Wide\"}"},
        {"en: \"A cat\"", "en: \"A kie cat\""}},
       {img + "description.en: mentions \"kie\" (user-facing texts must not name the provider)",
        img + "example 1.en: mentions \"kie\" (user-facing texts must not name the provider)",
        img + "input prompt: label.en: mentions \"kie\" (user-facing texts must not name the "
              "provider)",
        img + "input aspect_ratio: value_labels \"16:9\".ru: mentions \"kie\" (user-facing texts "
              "must not name the provider)"}},
      {"TitleTooLong",
       {{"en: \"Test\"}", "en: \"" + std::string(41, 'T') + "\"}"}},
       {img + "title.en: longer than 40 characters"}},
      {"DuplicateId",
       {{"  - id: test/video-model\n", "  - id: test/image-model\n"}},
       {img + "the id is used by more than one model",
        img + "slug \"test-image-model\" is also the slug of model test/image-model"}},
      {"DuplicateSlug",
       {{"  - id: test/video-model\n", "  - id: test/video-model\n    slug: test-image-model\n"}},
       {vid + "slug \"test-image-model\" is also the slug of model test/image-model"}},
      {"UnsafeSlug",
       {{"    format: image\n", "    slug: Test_Model\n    format: image\n"}},
       {img + "slug \"Test_Model\": only a-z, 0-9 and \"-\" are allowed"}},
      {"SlugTooLongForDeepLink",
       {{"    format: image\n", "    slug: " + kSixtyThree + "\n    format: image\n"}},
       {img + "slug \"" + kSixtyThree +
        "\": longer than 62 characters (the deep link \"m-<slug>\" must fit Telegram's 64-byte "
        "start parameter)"}},
      {"DuplicatePopularity",
       {{"    format: image\n", "    format: image\n    popularity: 1\n"},
        {"    format: video\n", "    format: video\n    popularity: 1\n"}},
       {vid + "popularity 1 is also the popularity of model test/image-model"}},
      {"PatienceNotBelowHardLimit",
       {{"patience_seconds: 60\n", "patience_seconds: 600\n"}},
       {img + "patience_seconds (600) must be less than hard_limit_seconds (600)"}},
      {"ExpectedAbovePatience",
       {{"expected_seconds: 10\n", "expected_seconds: 61\n"}},
       {img + "expected_seconds (61) must not exceed patience_seconds (60)"}},
      {"PriceMissing", {{"    price:\n      usd: \"0.04\"\n", ""}}, {img + "missing \"price\""}},
      {"PriceWithoutAmount",
       {{"    price:\n      usd: \"0.04\"\n", "    price: {}\n"}},
       {img + "price: needs \"usd\", \"rub\" or a table"}},
      {"PriceNotADecimal",
       {{"usd: \"0.04\"", "usd: \"four cents\""}},
       {img + "price: usd: expected a decimal number like \"0.09\", got \"four cents\""}},
      {"PriceZero", {{"usd: \"0.04\"", "usd: \"0\""}}, {img + "price: usd must be greater than 0"}},
      {"UsdAndRub",
       {{"usd: \"0.04\"\n", "usd: \"0.04\"\n      rub: \"19.90\"\n"}},
       {img + "price: \"usd\" and \"rub\" cannot be combined"}},
      {"RubWithTable",
       {{"      table:\n", "      rub: \"50\"\n      table:\n"}},
       {vid + "price: \"rub\" cannot be combined with a table"}},
      {"RubNotRubles",
       {{"usd: \"0.04\"", "rub: \"19.999\""}},
       {img + "price: rub: expected rubles like \"19.90\", got \"19.999\""}},
      {"TableKeyNotAnInput",
       {{"keys: [sound, duration]", "keys: [sound, length]"}},
       {vid + "price: table: key \"length\" is not an input"}},
      {"TableKeyNotEnumOrBoolean",
       {{"keys: [sound, duration]", "keys: [sound, count]"}},
       {vid + "price: table: key \"count\" is not an enum or boolean input"}},
      {"TableEntryWithUnknownValue",
       {{"\"true|10\": \"1.10\"", "\"true|7\": \"1.10\""}},
       {vid + "price: table: \"true|7\": \"7\" is not a value of duration",
        vid + "price: table: no price for \"true|10\" and no base usd"}},
      {"TableEntryWithBadBoolean",
       {{"\"true|5\": \"0.55\"", "\"yes|5\": \"0.55\""}},
       {vid + "price: table: \"yes|5\": \"yes\" is not a value of sound (true or false)",
        vid + "price: table: no price for \"true|5\" and no base usd"}},
      {"TableEntryWithWrongPartCount",
       {{"\"true|10\": \"1.10\"", "\"true\": \"1.10\""}},
       {vid + "price: table: \"true\" needs 2 parts (sound|duration)",
        vid + "price: table: no price for \"true|10\" and no base usd"}},
      {"TableMissingCoverage",
       {{", \"true|10\": \"1.10\"}", "}"}},
       {vid + "price: table: no price for \"true|10\" and no base usd"}},
      {"TableKeyMayBeUnset",
       {{"        required: true\n        default: false\n", ""}},
       {vid + "price: table: key \"sound\" can be left unset (optional, no default) and there is "
              "no base usd"}},
      {"PerUnitNotAnInput",
       {{"usd: \"0.04\"\n", "usd: \"0.04\"\n      per_unit: copies\n"}},
       {img + "price: per_unit \"copies\" is not an input"}},
      {"PerUnitNotNumeric",
       {{"usd: \"0.04\"\n", "usd: \"0.04\"\n      per_unit: prompt\n"}},
       {img + "price: per_unit \"prompt\" must be an integer input or an enum of whole numbers"}},
      {"PerUnitEnumOfNonNumbers",
       {{"usd: \"0.04\"\n", "usd: \"0.04\"\n      per_unit: aspect_ratio\n"}},
       {img + "price: per_unit \"aspect_ratio\": value \"1:1\" is not a whole number of at least 1",
        img + "price: per_unit \"aspect_ratio\": value \"16:9\" is not a whole number of at least "
              "1"}},
      {"PerUnitIntegerWithoutBounds",
       {{"      table:\n", "      per_unit: count\n      table:\n"},
        {"        min: 1\n        max: 4\n", ""}},
       {vid + "price: per_unit \"count\": min must be at least 1",
        vid + "price: per_unit \"count\": needs a max"}},
      {"PerUnitOptionalWithoutDefault",
       {{"      table:\n", "      per_unit: count\n      table:\n"},
        {"max: 4\n        default: 1\n", "max: 4\n"}},
       {vid + "price: per_unit \"count\" needs a default (the input is optional)"}},
      {"PricingZeroRate",
       {{"fx_rub_per_usd: \"95\"", "fx_rub_per_usd: \"0\""}},
       {"pricing: fx_rub_per_usd must be greater than 0"}},
      {"PricingMissing",
       {{"pricing:\n  fx_rub_per_usd: \"95\"\n  markup: \"2.0\"\n  round_up_to_kopecks: 100\n",
         ""}},
       {"missing \"pricing\""}},
      {"EmptyModelList",
       {{"models:\n", "models: []\nold_models:\n"}},
       {"models: the list is empty", "unknown key \"old_models\""}},
  };
}

class CatalogError : public ::testing::TestWithParam<Case> {};

TEST_P(CatalogError, IsReportedWithItsExactMessage) {
  const Case& c = GetParam();
  std::string yaml = both_models();
  for (const auto& [from, to] : c.edits) yaml = replaced(yaml, from, to);
  auto result = parse_catalog(yaml);
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.errors, c.expected);
}

INSTANTIATE_TEST_SUITE_P(Kinds, CatalogError, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return info.param.name; });

TEST(CatalogValidation, TheFixtureItselfIsValid) {
  auto result = parse_catalog(both_models());
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(result.errors, std::vector<std::string>{});
}

TEST(CatalogValidation, SyntaxErrorsNameTheLineAndColumn) {
  auto result = parse_catalog("version: 1\nmodels: [\n  - {id: x\n");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_TRUE(result.errors[0].starts_with("line ")) << result.errors[0];
  EXPECT_NE(result.errors[0].find(", column "), std::string::npos) << result.errors[0];
}

TEST(CatalogValidation, ANonMapFileIsOneError) {
  auto result = parse_catalog("- just\n- a list\n");
  EXPECT_EQ(result.errors,
            std::vector<std::string>{"the file must be a YAML map (version, pricing, models)"});
}

TEST(CatalogValidation, EveryErrorIsReportedNotJustTheFirst) {
  std::string yaml = both_models();
  yaml = replaced(yaml, "default: \"1:1\"", "default: \"2:1\"");
  yaml = replaced(yaml, "patience_seconds: 300\n", "patience_seconds: 1200\n");
  yaml = replaced(yaml, ", \"true|10\": \"1.10\"}", "}");
  auto result = parse_catalog(yaml);
  EXPECT_EQ(result.errors,
            (std::vector<std::string>{
                "model test/image-model: input aspect_ratio: default \"2:1\" is not one of the "
                "values",
                "model test/video-model: patience_seconds (1200) must be less than "
                "hard_limit_seconds (1200)",
                "model test/video-model: price: table: no price for \"true|10\" and no base usd"}));
}

TEST(CatalogValidation, TitleLengthCountsCharactersNotBytes) {
  // 40 Cyrillic letters are 80 bytes but exactly at the limit.
  std::string forty;
  for (int i = 0; i < 40; ++i) forty += "ж";
  auto yaml = replaced(kMinimalCatalog, "title: {ru: \"Тест\"", "title: {ru: \"" + forty + "\"");
  EXPECT_TRUE(parse_catalog(yaml).ok());
}

TEST(CatalogValidation, InvalidPricingOverrideIsReported) {
  PricingOverrides o;
  o.fx_rub_per_usd = "ninety";
  auto result = parse_catalog(kMinimalCatalog, o);
  EXPECT_EQ(result.errors,
            std::vector<std::string>{
                "PRICE_FX_RUB_PER_USD: \"ninety\" is not a positive decimal number"});
}

TEST(CatalogValidation, UnreadableFileIsOneError) {
  auto result = load_catalog({"/nonexistent/catalog.yaml", {}});
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_TRUE(result.errors[0].starts_with("cannot read /nonexistent/catalog.yaml: "));
}

}  // namespace
}  // namespace kb::catalog::test
