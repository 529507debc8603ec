// Exact signed decimals.
#include "catalog/number.hpp"

#include <gtest/gtest.h>

namespace kb::catalog {
namespace {

TEST(Number, ParsesAndNormalizes) {
  EXPECT_EQ(parse_number("0.7").value(), (Number{7, 1}));
  EXPECT_EQ(parse_number("0,70").value(), (Number{7, 1}));
  EXPECT_EQ(parse_number("1.0").value(), Number::integer(1));
  EXPECT_EQ(parse_number("-12").value(), Number::integer(-12));
  EXPECT_EQ(parse_number(" 22 ").value(), Number::integer(22));
  EXPECT_EQ(parse_number("-0").value(), Number::integer(0));
}

TEST(Number, RejectsWhatIsNotAPlainDecimal) {
  for (auto bad :
       {"", "-", "+1", "1e3", ".5", "5.", "1.2.3", "0x10", "1 000", "--1", "1.0000000001"})
    EXPECT_FALSE(parse_number(bad).has_value()) << bad;
}

TEST(Number, ComparesAcrossScales) {
  EXPECT_LT(parse_number("0.7").value(), parse_number("1").value());
  EXPECT_GT(parse_number("1.25").value(), parse_number("1.2").value());
  EXPECT_LT(parse_number("-1.5").value(), parse_number("-1").value());
  EXPECT_EQ(parse_number("2.50").value(), parse_number("2.5").value());
}

TEST(Number, Formats) {
  EXPECT_EQ(format_number({7, 1}), "0.7");
  EXPECT_EQ(format_number({-5, 2}), "-0.05");
  EXPECT_EQ(format_number(Number::integer(22)), "22");
}

}  // namespace
}  // namespace kb::catalog
