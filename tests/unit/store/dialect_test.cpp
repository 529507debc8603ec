// Portable SQL expansion for SQLite and PostgreSQL.
#include "store/db/dialect.hpp"

#include <gtest/gtest.h>

namespace kb::store::db {
namespace {

std::string sqlite(std::string_view sql) {
  auto r = expand_sql(sql, Dialect::sqlite);
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  return r ? *r : "";
}
std::string pg(std::string_view sql) {
  auto r = expand_sql(sql, Dialect::postgres);
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  return r ? *r : "";
}

TEST(DialectTest, ParametersBecomeNumberedQuestionMarksOnSqlite) {
  EXPECT_EQ(sqlite("SELECT a FROM t WHERE b = $2 AND c = $10 AND d = $1"),
            "SELECT a FROM t WHERE b = ?2 AND c = ?10 AND d = ?1");
  EXPECT_EQ(pg("SELECT a FROM t WHERE b = $2 AND c = $10"),
            "SELECT a FROM t WHERE b = $2 AND c = $10");
}

TEST(DialectTest, TimeMacros) {
  EXPECT_EQ(sqlite("INSERT INTO t VALUES (@ts($3))"), "INSERT INTO t VALUES (?3)");
  EXPECT_EQ(pg("INSERT INTO t VALUES (@ts($3))"),
            "INSERT INTO t VALUES (to_timestamp(($3)::bigint / 1000.0))");
  EXPECT_EQ(sqlite("SELECT @ms(created_at) FROM t"), "SELECT created_at FROM t");
  EXPECT_EQ(pg("SELECT @ms(created_at) FROM t"),
            "SELECT (extract(epoch from (created_at)) * 1000)::bigint FROM t");
}

TEST(DialectTest, NestedParenthesesInsideAMacroArgument) {
  EXPECT_EQ(sqlite("SELECT @ms(coalesce(a, (b))) FROM t"), "SELECT coalesce(a, (b)) FROM t");
  EXPECT_EQ(pg("SELECT @ts(($1 + $2))"), "SELECT to_timestamp((($1 + $2))::bigint / 1000.0)");
}

TEST(DialectTest, LockingMacros) {
  EXPECT_EQ(sqlite("SELECT a FROM t LIMIT 1 @skip_locked"), "SELECT a FROM t LIMIT 1 ");
  EXPECT_EQ(pg("SELECT a FROM t LIMIT 1 @skip_locked"),
            "SELECT a FROM t LIMIT 1 FOR UPDATE SKIP LOCKED");
  EXPECT_EQ(sqlite("SELECT a FROM t WHERE id = $1 @for_update"), "SELECT a FROM t WHERE id = ?1 ");
  EXPECT_EQ(pg("SELECT a FROM t WHERE id = $1 @for_update"),
            "SELECT a FROM t WHERE id = $1 FOR UPDATE");
}

TEST(DialectTest, LiteralsIdentifiersAndCommentsAreUntouched) {
  EXPECT_EQ(sqlite("SELECT '$1 @ts(x) ?', \"@col\" FROM t -- $2 @ms\n WHERE a = $1 /* @x ? */"),
            "SELECT '$1 @ts(x) ?', \"@col\" FROM t -- $2 @ms\n WHERE a = ?1 /* @x ? */");
  EXPECT_EQ(sqlite("SELECT 'it''s $1' , $1"), "SELECT 'it''s $1' , ?1");
}

TEST(DialectTest, MistakesAreErrors) {
  EXPECT_FALSE(expand_sql("SELECT @nope", Dialect::sqlite));
  EXPECT_FALSE(expand_sql("SELECT a WHERE b = ?", Dialect::postgres));
  EXPECT_FALSE(expand_sql("SELECT @ts($1", Dialect::postgres));
  EXPECT_FALSE(expand_sql("SELECT @ts", Dialect::sqlite));
  EXPECT_FALSE(expand_sql("SELECT 'open", Dialect::sqlite));
  EXPECT_FALSE(expand_sql("SELECT @ FROM t", Dialect::sqlite));
  EXPECT_FALSE(expand_sql("SELECT 1 /* open", Dialect::sqlite));
}

TEST(DialectTest, DollarWithoutDigitsIsKept) {
  // PostgreSQL dollar-quoting is never used in portable SQL, but a lone '$' must not be mangled.
  EXPECT_EQ(sqlite("SELECT a$b FROM t"), "SELECT a$b FROM t");
}

}  // namespace
}  // namespace kb::store::db
