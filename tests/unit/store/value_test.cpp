// Typed row access and parameter conversion.
#include "store/db/value.hpp"

#include <gtest/gtest.h>

namespace kb::store::db {
namespace {

TEST(RowTest, ReadsWhatBothBackendsReturn) {
  Row row({SqlValue{std::int64_t{42}}, SqlValue{std::string("12.000")}, SqlValue{true},
           SqlValue{std::int64_t{0}}, SqlValue{std::string("t")}, SqlValue{}, SqlValue{2.5},
           SqlValue{std::string("hello")}});
  EXPECT_EQ(row.i64(0), 42);
  EXPECT_EQ(row.i64(1), 12);  // PostgreSQL numeric sums arrive as text
  EXPECT_TRUE(row.boolean(2));
  EXPECT_FALSE(row.boolean(3));  // SQLite booleans are integers
  EXPECT_TRUE(row.boolean(4));   // PostgreSQL text form
  EXPECT_TRUE(row.is_null(5));
  EXPECT_EQ(row.opt_i64(5), std::nullopt);
  EXPECT_EQ(row.opt_text(5), std::nullopt);
  EXPECT_DOUBLE_EQ(row.f64(6), 2.5);
  EXPECT_EQ(row.text(7), "hello");
}

TEST(RowTest, MismatchesThrowColumnTypeError) {
  Row row({SqlValue{std::string("abc")}, SqlValue{std::string("1.5")}, SqlValue{std::int64_t{7}},
           SqlValue{}});
  EXPECT_THROW(row.i64(0), ColumnTypeError);
  EXPECT_THROW(row.i64(1), ColumnTypeError);  // not integral
  EXPECT_THROW(row.text(2), ColumnTypeError);
  EXPECT_THROW(row.boolean(2), ColumnTypeError);
  EXPECT_THROW(row.i64(3), ColumnTypeError);  // null where a value is required
  EXPECT_THROW(row.i64(9), ColumnTypeError);  // out of range
}

TEST(RowTest, CursorReadsLeftToRight) {
  Row row({SqlValue{std::int64_t{1}}, SqlValue{std::string("x")}, SqlValue{}});
  auto c = row.cursor();
  EXPECT_EQ(c.i64(), 1);
  EXPECT_EQ(c.text(), "x");
  EXPECT_TRUE(c.is_null());
  EXPECT_EQ(c.opt_bool(), std::nullopt);
}

TEST(ParamsTest, ConvertsArguments) {
  std::optional<std::int64_t> none;
  std::optional<std::string> some = "s";
  auto p = params(1, std::int64_t{2}, true, "text", std::string_view("view"), none, some, 1.5);
  ASSERT_EQ(p.size(), 8u);
  EXPECT_EQ(std::get<std::int64_t>(p[0]), 1);
  EXPECT_EQ(std::get<std::int64_t>(p[1]), 2);
  EXPECT_EQ(std::get<bool>(p[2]), true);
  EXPECT_EQ(std::get<std::string>(p[3]), "text");
  EXPECT_EQ(std::get<std::string>(p[4]), "view");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(p[5]));
  EXPECT_EQ(std::get<std::string>(p[6]), "s");
  EXPECT_DOUBLE_EQ(std::get<double>(p[7]), 1.5);
}

}  // namespace
}  // namespace kb::store::db
