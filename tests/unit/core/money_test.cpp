#include "core/money.hpp"

#include <gtest/gtest.h>

namespace kb {
namespace {

TEST(Money, ParsesRubleAmountsExactly) {
  EXPECT_EQ(parse_rubles("12").value(), 1200);
  EXPECT_EQ(parse_rubles("12.5").value(), 1250);
  EXPECT_EQ(parse_rubles("12,05").value(), 1205);
  EXPECT_EQ(parse_rubles("0.01").value(), 1);
  EXPECT_FALSE(parse_rubles("1.001"));
  EXPECT_FALSE(parse_rubles("-1"));
  EXPECT_FALSE(parse_rubles("1e3"));
  EXPECT_FALSE(parse_rubles(""));
  EXPECT_FALSE(parse_rubles("."));
  EXPECT_FALSE(parse_rubles("99999999999999999999"));
}

TEST(Money, FormatsKopecks) {
  EXPECT_EQ(format_rubles(1250), "12.50");
  EXPECT_EQ(format_rubles(1200), "12");
  EXPECT_EQ(format_rubles(5), "0.05");
  EXPECT_EQ(format_rubles(-5), "-0.05");
  EXPECT_EQ(format_rubles(0), "0");
}

TEST(Money, DecimalsRoundTrip) {
  auto d = parse_decimal("95.3712").value();
  EXPECT_EQ(d.units, 953712);
  EXPECT_EQ(d.scale, 4);
  EXPECT_EQ(format_decimal(d), "95.3712");
  EXPECT_EQ(format_decimal(parse_decimal("0.004").value()), "0.004");
}

}  // namespace
}  // namespace kb
