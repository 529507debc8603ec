// Shared fixture of the intake, dispatcher and outbox tests: the store fixture (SQLite and
// PostgreSQL) plus the fake Bot API on loopback and a BotClient talking to it.
#pragma once

#include <functional>
#include <memory>

#include "integration/store/store_fixture.hpp"
#include "net/http_client.hpp"
#include "sandbox/fake_telegram/fake_telegram.hpp"
#include "support/async_test.hpp"
#include "telegram/client.hpp"

namespace kb::intake_test {

using store::test::must;

class PipelineTest : public store::test::StoreTest {
 protected:
  void SetUp() override;
  void TearDown() override;

  // The BotClient's options: no client-side retries, so the code under test sees each failure.
  static telegram::ClientConfig client_config(const sandbox::FakeTelegram& fake);

  template <class T>
  T run_async(std::function<Task<T>()> make) {
    return io.run<T>(std::move(make));
  }
  store::Database& database() { return db(); }

  kb::test::IoThread io{2};
  net::HttpClient http;
  std::unique_ptr<sandbox::FakeTelegram> fake;
  std::unique_ptr<telegram::BotClient> bot;
};

}  // namespace kb::intake_test
