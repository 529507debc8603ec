// Shared fixture of the media proxy integration tests: a fake Bot API holding the users' files, a
// real BotClient, a SQLite database for media references, the proxy behind a real HTTP server on
// loopback, and an HTTP client to fetch from it. One FakeClock drives token expiry and caching.
#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "net/http_client.hpp"
#include "net/router.hpp"
#include "sandbox/fake_telegram/fake_telegram.hpp"
#include "services/media/media_input.hpp"
#include "services/media/media_proxy.hpp"
#include "services/media/media_token.hpp"
#include "store/database.hpp"
#include "support/async_test.hpp"
#include "telegram/client.hpp"

namespace kb::services::media_test {

inline constexpr const char* kMediaSecret = "media-proxy-secret-for-tests-0123456789";

// A user's file as the wizard stored it.
struct StoredMedia {
  std::int64_t ref_id = 0;
  std::string reference;  // "kbmedia:<id>"
  std::string file_id;    // the Telegram file id saved with it
  std::string bytes;      // what the fake Bot API holds for that file id
  std::string mime_type;
};

class MediaFixture : public testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Builds the proxy (and its server) with these options; tests that need others call it again.
  void start_proxy(MediaProxyOptions options = {});

  // The user sends a file; the wizard's media step stores it (take_media_input).
  StoredMedia user_sends_document(std::string bytes, std::string mime, std::string name);
  StoredMedia user_sends_photo(int width, int height);
  StoredMedia user_sends_video(std::string bytes);

  // A signed /media/<token> URL for a stored reference.
  std::string media_url(std::int64_t ref_id, std::chrono::seconds ttl = std::chrono::seconds(7200),
                        std::string extension = "") const;

  Result<net::ClientResponse> fetch(const std::string& url, std::string method = "GET",
                                    net::Headers headers = {});
  // The same, failing the test on a transport error.
  net::ClientResponse must_fetch(const std::string& url, std::string method = "GET",
                                 net::Headers headers = {});
  net::ClientResponse fetch_range(const std::string& url, const std::string& range);

  static std::string pattern_bytes(std::size_t size, unsigned seed = 7);

  FakeClock clock;
  test::IoThread io{2};
  net::HttpClient http;
  std::unique_ptr<sandbox::FakeTelegram> tg;
  std::unique_ptr<telegram::BotClient> bot;
  sandbox::tg::User alice;
  std::string db_dir;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<MediaTokenSigner> signer;
  net::Router router;
  std::unique_ptr<MediaProxy> proxy;
  std::unique_ptr<test::TestServer> server;

 private:
  StoredMedia store_from(const sandbox::tg::UserMessage& sent, catalog::InputType type);
};

}  // namespace kb::services::media_test
