// DATABASE_URL -> backend choice.
#include "store/open.hpp"

#include <gtest/gtest.h>

#include "store/postgres/pg_backend.hpp"

namespace kb::store {
namespace {

using Kind = DatabaseTarget::Kind;

TEST(DatabaseTargetTest, UnsetMeansSqliteInTheDataDirectory) {
  auto t = resolve_database_target("", "./data");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->kind, Kind::sqlite);
  EXPECT_EQ(t->sqlite_path, "./data/kiebot.db");
  EXPECT_EQ(resolve_database_target("", "/var/lib/kiebot/")->sqlite_path,
            "/var/lib/kiebot/kiebot.db");
}

TEST(DatabaseTargetTest, SqliteUrls) {
  EXPECT_EQ(resolve_database_target("sqlite:///srv/bot.db", "x")->sqlite_path, "/srv/bot.db");
  EXPECT_EQ(resolve_database_target("sqlite:rel/bot.db", "x")->sqlite_path, "rel/bot.db");
  EXPECT_EQ(resolve_database_target("sqlite:/abs.db", "x")->sqlite_path, "/abs.db");
}

TEST(DatabaseTargetTest, PostgresUrls) {
  auto t = resolve_database_target("postgresql://u:p@h:5432/db", "x");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->kind, Kind::postgres);
  EXPECT_EQ(t->postgres_url, "postgresql://u:p@h:5432/db");
  EXPECT_EQ(resolve_database_target("postgres://h/db", "x")->kind, Kind::postgres);
}

TEST(DatabaseTargetTest, BadUrlsNameTheVariable) {
  for (auto url : {"mysql://h/db", "sqlite:", "sqlite://host/path", "sqlite:///", "file.db"}) {
    auto t = resolve_database_target(url, "x");
    ASSERT_FALSE(t) << url;
    EXPECT_NE(t.error().message.find("DATABASE_URL"), std::string::npos) << url;
  }
}

TEST(PostgresUrlTest, AddsConnectionSettingsWithoutOverridingTheOperators) {
  auto url = postgres::connection_url({"postgres://u:p@h/db", 5});
  EXPECT_EQ(url.find("postgres://u:p@h/db?connect_timeout=5&application_name=kiebot"), 0u) << url;
  EXPECT_NE(url.find("keepalives_idle=30"), std::string::npos);
  auto kept = postgres::connection_url({"postgres://h/db?connect_timeout=9&sslmode=require", 5});
  EXPECT_NE(kept.find("connect_timeout=9"), std::string::npos);
  EXPECT_EQ(kept.find("connect_timeout=5"), std::string::npos);
  EXPECT_NE(kept.find("&application_name=kiebot"), std::string::npos);
}

TEST(PostgresUrlTest, DescriptionNeverContainsThePassword) {
  EXPECT_EQ(
      postgres::describe_url("postgresql://user:s3cret@db.example:5432/kiebot?sslmode=require"),
      "db.example:5432/kiebot");
  EXPECT_EQ(postgres::describe_url("postgres://db/kiebot"), "db/kiebot");
}

TEST(MigrationReportTest, DescribesWhatRan) {
  MigrationReport r;
  r.applied = {{1, "users_and_ledger"}};
  r.skipped = {{7, "broadcasts", "permission denied"}};
  r.already_applied = 2;
  auto text = describe_migration("sqlite /tmp/x.db", r);
  EXPECT_NE(text.find("applied     1 users_and_ledger"), std::string::npos) << text;
  EXPECT_NE(text.find("skipped     7 broadcasts (optional): permission denied"), std::string::npos);
  MigrationReport none;
  none.already_applied = 8;
  EXPECT_NE(describe_migration("x", none).find("up to date (8 migrations)"), std::string::npos);
}

}  // namespace
}  // namespace kb::store
