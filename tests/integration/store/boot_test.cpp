// Database start-up for `serve`: final errors versus PostgreSQL being retried in the background;
// metrics of units of work.
#include <filesystem>

#include "support/child_process.hpp"
#include "net/metrics.hpp"
#include "store/boot.hpp"
#include "store_fixture.hpp"
#include "support/async_test.hpp"

namespace kb::store::test {
namespace {

class BootTest : public testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/kiebot-boot.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  FakeClock clock_;
  std::string dir_;
};

TEST_F(BootTest, SqliteOpensAtOnceAndAnswersTheReadinessCheck) {
  DatabaseOptions o;
  o.data_dir = dir_;
  DatabaseBoot boot(o, clock_, nullptr);
  ASSERT_TRUE(boot.start());
  ASSERT_NE(boot.database(), nullptr);
  int ready_calls = 0;
  boot.on_ready([&](Database&) { ++ready_calls; });
  EXPECT_EQ(ready_calls, 1);
  kb::test::IoThread io;
  auto check = io.run<Result<void>>([&]() { return boot.check(); });
  EXPECT_TRUE(check) << check.error().describe();
}

TEST_F(BootTest, ABusySqliteFileIsAFinalError) {
  DatabaseOptions o;
  o.data_dir = dir_;
  DatabaseBoot first(o, clock_, nullptr);
  ASSERT_TRUE(first.start());
  DatabaseBoot second(o, clock_, nullptr);
  auto r = second.start();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::conflict);
  EXPECT_EQ(second.database(), nullptr);
}

TEST_F(BootTest, AnUnreachablePostgresIsRetriedInTheBackground) {
  DatabaseOptions o;
  o.url = fmt::format("postgresql://postgres@127.0.0.1:{}/kiebot", free_tcp_port());
  DatabaseBoot boot(o, clock_, nullptr);
  boot.first_pause = std::chrono::milliseconds(50);
  bool ready = false;
  boot.on_ready([&](Database&) { ready = true; });
  ASSERT_TRUE(boot.start());  // not fatal
  EXPECT_EQ(boot.database(), nullptr);
  kb::test::IoThread io;
  auto check = io.run<Result<void>>([&]() { return boot.check(); });
  ASSERT_FALSE(check);
  EXPECT_NE(check.error().message.find("not connected yet"), std::string::npos)
      << check.error().message;
  EXPECT_NE(check.error().message.find("cannot connect"), std::string::npos)
      << check.error().message;
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // a few retries
  boot.stop();                                                  // returns promptly while retrying
  EXPECT_FALSE(ready);
}

TEST_F(BootTest, ABadUrlIsAFinalError) {
  DatabaseOptions o;
  o.url = "mysql://x/y";
  DatabaseBoot boot(o, clock_, nullptr);
  auto r = boot.start();
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("DATABASE_URL"), std::string::npos);
}

TEST_F(BootTest, UnitsOfWorkAreCounted) {
  net::MetricsRegistry metrics;
  DatabaseOptions o;
  o.data_dir = dir_;
  auto db = must(open_database(o, clock_, &metrics));
  (void)db->transact_blocking<int>([](Tx&) -> Result<int> { return 1; });
  (void)db->transact_blocking<int>([](Tx&) -> Result<int> { return fail(Errc::conflict, "x"); });
  (void)db->read_blocking<int>([](Tx&) -> Result<int> { return 1; });
  auto text = metrics.expose();
  EXPECT_NE(text.find(R"(kiebot_db_units_total{mode="write",outcome="error"} 1)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(kiebot_db_units_total{mode="read",outcome="ok"})"), std::string::npos);
  EXPECT_NE(text.find("kiebot_db_queue_depth 0"), std::string::npos);
  EXPECT_NE(text.find("kiebot_db_up 1"), std::string::npos);
}

}  // namespace
}  // namespace kb::store::test
