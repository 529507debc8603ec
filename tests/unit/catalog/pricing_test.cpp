// Prices: exact derivation, rounding, tables, per-unit counts, fixed RUB, overrides.
#include "catalog/pricing.hpp"

#include <gtest/gtest.h>

#include "catalog/input_value.hpp"
#include "catalog_fixture.hpp"

namespace kb::catalog::test {
namespace {

const Catalog& shipped() {
  static const Catalog catalog = [] {
    auto r = load_catalog({});
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r.catalog : Catalog{};
  }();
  return catalog;
}

const Model& shipped_model(std::string_view id) {
  const Model* m = shipped().find(id);
  EXPECT_NE(m, nullptr) << id;
  static const Model empty;
  return m ? *m : empty;
}

Kopecks price(const Model& m, const InputValues& values = {}) {
  auto p = price_of(m, values);
  EXPECT_TRUE(p.has_value()) << (p ? "" : p.error().message);
  return p.value_or(-1);
}

Pricing pricing(std::int64_t fx, Decimal markup, Kopecks round) {
  return Pricing{Decimal{fx, 0}, markup, round};
}

TEST(UsdToKopecks, MultipliesExactlyAndRoundsUpToTheStep) {
  // 0.004 × 95 × 2 × 100 = 76 kopecks → whole rubles: 100.
  EXPECT_EQ(usd_to_kopecks({4, 3}, pricing(95, {20, 1}, 100)).value(), 100);
  // The same at kopeck precision stays exact.
  EXPECT_EQ(usd_to_kopecks({4, 3}, pricing(95, {20, 1}, 1)).value(), 76);
  // 0.09 × 190 × 100 = 1710 → 1800.
  EXPECT_EQ(usd_to_kopecks({9, 2}, pricing(95, {2, 0}, 100)).value(), 1800);
  // An exact multiple is not bumped: 0.10 × 190 × 100 = 1900.
  EXPECT_EQ(usd_to_kopecks({10, 2}, pricing(95, {2, 0}, 100)).value(), 1900);
  // Rounding to 10 kopecks: 0.0325 × 190 × 100 = 617.5 → 620.
  EXPECT_EQ(usd_to_kopecks({325, 4}, pricing(95, {2, 0}, 10)).value(), 620);
}

TEST(UsdToKopecks, NoFloatingPointDrift) {
  // 0.07 × 3 with doubles is 0.21000000000000002; exact arithmetic gives 21 kopecks exactly.
  EXPECT_EQ(usd_to_kopecks({7, 2}, Pricing{{3, 0}, {1, 0}, 1}).value(), 21);
  // A fractional rate: 0.1 × 95.37 × 1.15 × 100 = 1096.755 → 1097 at kopeck precision.
  EXPECT_EQ(usd_to_kopecks({1, 1}, Pricing{{9537, 2}, {115, 2}, 1}).value(), 1097);
}

TEST(UsdToKopecks, OverflowIsAnErrorNotAWrongPrice) {
  auto p = usd_to_kopecks({999'999'999'999'999, 0}, Pricing{{999'999'999, 0}, {999'999'999, 0}, 1});
  EXPECT_FALSE(p.has_value());
}

TEST(PriceOf, FreeModelsStillHaveAPrice) {
  const Model& z = shipped_model("z-image");
  EXPECT_TRUE(z.free);
  EXPECT_EQ(price(z), 100);  // $0.004 → 0.76 RUB → 1 RUB
}

TEST(PriceOf, TableOnBooleanAndEnumKeys) {
  const Model& kling = shipped_model("kling-2.6/text-to-video");
  // Defaults: sound=false, duration=5 → $0.275 × 190 = 52.25 RUB → 53 RUB.
  EXPECT_EQ(price(kling), 5300);
  EXPECT_EQ(price(kling, {{"sound", false}, {"duration", std::string("10")}}), 10500);
  EXPECT_EQ(price(kling, {{"sound", true}, {"duration", std::string("5")}}), 10500);
  EXPECT_EQ(price(kling, {{"sound", true}, {"duration", std::string("10")}}), 20900);
}

TEST(PriceOf, TableFallsBackToTheBasePriceForUnlistedCombinations) {
  std::string yaml = replaced(kMinimalCatalog, "      usd: \"0.04\"\n",
                              "      usd: \"0.04\"\n      table:\n        keys: [aspect_ratio]\n"
                              "        usd: {\"16:9\": \"0.10\"}\n");
  Catalog c = parse_ok(yaml);
  const Model& m = c.models.at(0);
  EXPECT_EQ(price(m, {{"aspect_ratio", std::string("16:9")}}), 1900);
  EXPECT_EQ(price(m, {{"aspect_ratio", std::string("1:1")}}), 800);  // unlisted → base $0.04
  EXPECT_EQ(price(m), 800);                                          // default 1:1
}

TEST(PriceOf, AnOptionalKeyWithoutDefaultIsPricedByTheBase) {
  std::string yaml = replaced(kMinimalCatalog, "      usd: \"0.04\"\n",
                              "      usd: \"0.04\"\n      table:\n        keys: [aspect_ratio]\n"
                              "        usd: {\"1:1\": \"0.10\", \"16:9\": \"0.10\"}\n");
  yaml = replaced(yaml, "        default: \"1:1\"\n", "");
  Catalog c = parse_ok(yaml);
  EXPECT_EQ(price(c.models.at(0)), 800);  // skipped: KIE applies its default, we charge the base
  EXPECT_EQ(price(c.models.at(0), {{"aspect_ratio", std::string("1:1")}}), 1900);
}

TEST(PriceOf, PerUnitMultipliesTheRoundedUnitPrice) {
  const Model& imagen = shipped_model("google/imagen4-fast");
  // $0.02 → 3.80 RUB → 4 RUB per image.
  EXPECT_EQ(price(imagen), 400);
  EXPECT_EQ(price(imagen, {{"num_images", std::string("3")}}), 1200);
  EXPECT_EQ(price(imagen, {{"num_images", std::string("4")}}), 1600);
}

TEST(PriceOf, PerUnitOnAnIntegerInput) {
  std::string yaml = with_model(kMinimalCatalog, kVideoModel);
  yaml = replaced(yaml, "      table:\n", "      per_unit: count\n      table:\n");
  Catalog c = parse_ok(yaml);
  const Model& m = c.models.at(1);
  EXPECT_EQ(price(m), 5300);
  EXPECT_EQ(price(m, {{"count", std::int64_t{3}}}), 15900);
}

TEST(PriceOf, FixedRubReplacesTheDerivation) {
  std::string yaml = replaced(kMinimalCatalog, "usd: \"0.04\"", "rub: \"19.90\"");
  PricingOverrides o;
  o.fx_rub_per_usd = "500";  // irrelevant for a fixed RUB price
  Catalog c = parse_ok(yaml, o);
  EXPECT_EQ(price(c.models.at(0)), 1990);
}

TEST(PriceOf, FxAndMarkupOverridesReplaceTheFileValues) {
  PricingOverrides o;
  o.fx_rub_per_usd = "100";
  o.markup = "1.5";
  Catalog c = parse_ok(kMinimalCatalog, o);
  EXPECT_EQ(c.pricing.fx_rub_per_usd.units, 100);
  // $0.04 × 100 × 1.5 × 100 = 600 kopecks.
  EXPECT_EQ(price(c.models.at(0)), 600);
  Catalog file_values = parse_ok(kMinimalCatalog);
  EXPECT_EQ(price(file_values.models.at(0)), 800);
}

TEST(PriceOf, HiddenInputsArePricedByTheirDefaultWhateverTheUserSent) {
  std::string yaml = replaced(kMinimalCatalog, "      usd: \"0.04\"\n",
                              "      usd: \"0.04\"\n      table:\n        keys: [aspect_ratio]\n"
                              "        usd: {\"16:9\": \"0.10\"}\n");
  yaml = replaced(yaml, "        default: \"1:1\"\n",
                  "        default: \"1:1\"\n        hidden: true\n");
  Catalog c = parse_ok(yaml);
  EXPECT_EQ(price(c.models.at(0), {{"aspect_ratio", std::string("16:9")}}), 800);
}

TEST(PriceOf, AnInvalidKeyValueIsAnErrorNotTheBasePrice) {
  const Model& kling = shipped_model("kling-2.6/text-to-video");
  EXPECT_FALSE(price_of(kling, {{"duration", std::string("7")}}).has_value());
  EXPECT_FALSE(price_of(kling, {{"sound", std::string("yes")}}).has_value());
  const Model& imagen = shipped_model("google/imagen4-fast");
  EXPECT_FALSE(price_of(imagen, {{"num_images", std::string("9")}}).has_value());
}

TEST(PriceOf, ShownEqualsChargedThroughStorage) {
  // The confirm screen prices the wizard's values; the ledger prices the values read back from the
  // job row. Both go through price_of, and the stored form round-trips exactly.
  const Model& kling = shipped_model("kling-2.6/text-to-video");
  InputValues wizard{{"prompt", std::string("a ship")},
                     {"sound", true},
                     {"duration", std::string("10")},
                     {"aspect_ratio", std::string("16:9")}};
  Kopecks shown = price(kling, wizard);
  auto stored = values_from_json(kling, nlohmann::json::parse(values_to_json(wizard).dump()));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(*stored, wizard);
  EXPECT_EQ(price(kling, *stored), shown);
}

TEST(PriceRange, CoversEveryOption) {
  auto kling = price_range(shipped_model("kling-2.6/text-to-video"));
  ASSERT_TRUE(kling.has_value());
  EXPECT_EQ(kling->min, 5300);
  EXPECT_EQ(kling->max, 20900);
  auto imagen = price_range(shipped_model("google/imagen4-fast"));
  ASSERT_TRUE(imagen.has_value());
  EXPECT_EQ(imagen->min, 400);
  EXPECT_EQ(imagen->max, 1600);
  auto z = price_range(shipped_model("z-image"));
  ASSERT_TRUE(z.has_value());
  EXPECT_EQ(z->min, z->max);
}

TEST(AffectsPrice, TableKeysAndPerUnitOnly) {
  const Model& kling = shipped_model("kling-2.6/text-to-video");
  EXPECT_TRUE(affects_price(kling, "sound"));
  EXPECT_TRUE(affects_price(kling, "duration"));
  EXPECT_FALSE(affects_price(kling, "aspect_ratio"));
  EXPECT_TRUE(affects_price(shipped_model("google/imagen4-fast"), "num_images"));
}

TEST(ShippedCatalog, EveryEnabledModelHasAPositivePriceRange) {
  for (const auto& m : shipped().models) {
    auto r = price_range(m);
    ASSERT_TRUE(r.has_value()) << m.id << ": " << r.error().message;
    EXPECT_GT(r->min, 0) << m.id;
    EXPECT_LE(r->min, r->max) << m.id;
  }
}

}  // namespace
}  // namespace kb::catalog::test
