// The user-media route against the fake Bot API: the bytes, types and lengths, HEAD, Range,
// tampered / expired / unknown tokens, the getFile cache, Telegram failures and the concurrency
// cap.
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "core/crypto.hpp"
#include "core/log.hpp"
#include "media_fixture.hpp"

namespace kb::services::media_test {
namespace {

using namespace std::chrono_literals;

class MediaProxyTest : public MediaFixture {};

TEST_F(MediaProxyTest, StreamsTheUsersFileWithTypeAndLengthAndNoRedirect) {
  auto media = user_sends_document(pattern_bytes(300'000), "image/png", "cat.png");
  ASSERT_GT(media.ref_id, 0);
  auto r = must_fetch(media_url(media.ref_id, 7200s, "png"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body.size(), media.bytes.size());
  EXPECT_TRUE(r.body == media.bytes);
  EXPECT_EQ(r.headers.get_or("Content-Type"), "image/png");
  EXPECT_EQ(r.headers.get_or("Content-Length"), std::to_string(media.bytes.size()));
  EXPECT_EQ(r.headers.get_or("Accept-Ranges"), "bytes");
  EXPECT_FALSE(r.headers.has("Location"));
  EXPECT_FALSE(r.headers.has("Content-Range"));
}

TEST_F(MediaProxyTest, PhotosAreServedAsJpegTypedByTheStoredMimeType) {
  auto media = user_sends_photo(64, 48);
  ASSERT_GT(media.ref_id, 0);
  EXPECT_EQ(media.mime_type, "image/jpeg");
  auto r = must_fetch(media_url(media.ref_id));
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body == media.bytes);
  EXPECT_EQ(r.headers.get_or("Content-Type"), "image/jpeg");
}

TEST_F(MediaProxyTest, HeadAnswersHeadersWithoutABody) {
  auto media = user_sends_video(pattern_bytes(123'457));
  auto url = media_url(media.ref_id, 7200s, "mp4");
  auto head = must_fetch(url, "HEAD");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.headers.get_or("Content-Length"), "123457");
  EXPECT_EQ(head.headers.get_or("Content-Type"), "video/mp4");
  EXPECT_EQ(head.headers.get_or("Accept-Ranges"), "bytes");

  net::Headers range;
  range.set("Range", "bytes=100-199");
  auto partial = must_fetch(url, "HEAD", range);
  EXPECT_EQ(partial.status, 206);
  EXPECT_TRUE(partial.body.empty());
  EXPECT_EQ(partial.headers.get_or("Content-Length"), "100");
  EXPECT_EQ(partial.headers.get_or("Content-Range"), "bytes 100-199/123457");
}

TEST_F(MediaProxyTest, RangesFirstBytesMiddleSuffixAndOpenEnded) {
  const std::size_t size = 200'000;
  auto media = user_sends_video(pattern_bytes(size, 3));
  auto url = media_url(media.ref_id);

  auto first = fetch_range(url, "bytes=0-99");
  EXPECT_EQ(first.status, 206);
  EXPECT_EQ(first.headers.get_or("Content-Range"), "bytes 0-99/200000");
  EXPECT_EQ(first.headers.get_or("Content-Length"), "100");
  EXPECT_TRUE(first.body == media.bytes.substr(0, 100));

  auto middle = fetch_range(url, "bytes=131000-140999");
  EXPECT_EQ(middle.status, 206);
  EXPECT_EQ(middle.headers.get_or("Content-Range"), "bytes 131000-140999/200000");
  EXPECT_TRUE(middle.body == media.bytes.substr(131000, 10000));

  auto suffix = fetch_range(url, "bytes=-500");
  EXPECT_EQ(suffix.status, 206);
  EXPECT_EQ(suffix.headers.get_or("Content-Range"), "bytes 199500-199999/200000");
  EXPECT_TRUE(suffix.body == media.bytes.substr(size - 500));

  auto open_ended = fetch_range(url, "bytes=199990-");
  EXPECT_EQ(open_ended.status, 206);
  EXPECT_TRUE(open_ended.body == media.bytes.substr(199990));

  auto clamped = fetch_range(url, "bytes=199000-999999");
  EXPECT_EQ(clamped.status, 206);
  EXPECT_EQ(clamped.headers.get_or("Content-Range"), "bytes 199000-199999/200000");
  EXPECT_EQ(clamped.body.size(), 1000u);

  auto last_byte = fetch_range(url, "bytes=199999-199999");
  EXPECT_EQ(last_byte.status, 206);
  EXPECT_TRUE(last_byte.body == media.bytes.substr(199999));
}

TEST_F(MediaProxyTest, InvalidRangesAre416WithTheSize) {
  auto media = user_sends_video(pattern_bytes(5000));
  auto url = media_url(media.ref_id);
  for (std::string range :
       {"bytes=5000-", "bytes=6000-7000", "bytes=10-5", "bytes=abc", "bytes=-0", "bytes=1-2-3"}) {
    auto r = fetch_range(url, range);
    EXPECT_EQ(r.status, 416) << range;
    EXPECT_EQ(r.headers.get_or("Content-Range"), "bytes */5000") << range;
  }
  // Other units and lists are served whole (allowed by RFC 9110).
  for (std::string range : {"items=0-5", "bytes=0-1,5-6"}) {
    auto r = fetch_range(url, range);
    EXPECT_EQ(r.status, 200) << range;
    EXPECT_EQ(r.body.size(), 5000u);
  }
}

// The sender's client chooses a document's MIME type: a hostile one is never stored, so nothing
// repeats it (the proxy's Content-Type, the provider upload's part type).
TEST_F(MediaProxyTest, AHostileMimeTypeFromTheSenderIsNotStored) {
  auto media = user_sends_document(pattern_bytes(1000), "image/png\r\nSet-Cookie: a=1", "a.png");
  ASSERT_GT(media.ref_id, 0);
  auto ref = db->read_blocking<std::optional<store::MediaRef>>(
      [&](store::Tx& tx) { return tx.media().get(media.ref_id); });
  ASSERT_TRUE(ref && *ref);
  EXPECT_FALSE((*ref)->mime_type.has_value()) << *(*ref)->mime_type;
  auto plain = user_sends_document(pattern_bytes(1000), "image/png", "b.png");
  auto kept = db->read_blocking<std::optional<store::MediaRef>>(
      [&](store::Tx& tx) { return tx.media().get(plain.ref_id); });
  ASSERT_TRUE(kept && *kept);
  EXPECT_EQ((*kept)->mime_type.value_or(""), "image/png");
}

TEST_F(MediaProxyTest, EverySingleCharacterChangeOfTheTokenIsForbidden) {
  auto media = user_sends_document(pattern_bytes(1000), "image/png", "a.png");
  const std::string base = server->url("/media/");
  const std::string url = media_url(media.ref_id, 7200s, "png");
  const std::string token = url.substr(base.size());
  ASSERT_EQ(must_fetch(url).status, 200);
  // Every character of the URL-safe alphabet (and the separator) at every position.
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
  int requests = 0;
  for (std::size_t i = 0; i < token.size(); ++i) {
    for (char c : alphabet) {
      if (c == token[i]) continue;
      std::string changed = token;
      changed[i] = c;
      auto r = fetch(base + changed);
      ASSERT_TRUE(r) << r.error().describe();
      ASSERT_EQ(r->status, 403) << "position " << i << " char " << c;
      ++requests;
    }
  }
  EXPECT_GT(requests, 60 * 64);
  EXPECT_EQ(must_fetch(url).status, 200);  // the original still works
}

TEST_F(MediaProxyTest, ExpiredTokenIs410) {
  auto media = user_sends_document(pattern_bytes(1000), "image/png", "a.png");
  auto url = media_url(media.ref_id, 7200s);
  clock.advance(7200s);
  EXPECT_EQ(must_fetch(url).status, 200);
  clock.advance(1s);
  auto r = must_fetch(url);
  EXPECT_EQ(r.status, 410);
  EXPECT_EQ(must_fetch(url, "HEAD").status, 410);
}

TEST_F(MediaProxyTest, UnknownReferenceIs404) {
  auto r = must_fetch(media_url(987654));
  EXPECT_EQ(r.status, 404);
}

TEST_F(MediaProxyTest, TokensOfTheOtherRouteOrAnotherKeyAreForbidden) {
  auto media = user_sends_document(pattern_bytes(1000), "image/png", "a.png");
  MediaTokenClaims result;
  result.kind = MediaTokenKind::result_file;
  result.expires_at = clock.now_seconds() + 60;
  result.url = "https://example.com/a.png";
  result.file_name = "a.png";
  EXPECT_EQ(must_fetch(server->url("/media/" + signer->sign(result))).status, 403);

  auto media_token = media_url(media.ref_id).substr(server->url("/media/").size());
  EXPECT_EQ(must_fetch(server->url("/media/r/" + media_token)).status, 403);

  // Rotating MEDIA_PROXY_SECRET invalidates URLs signed with the old one.
  MediaTokenSigner old_key("an-old-secret-that-was-rotated");
  MediaTokenClaims claims;
  claims.media_ref_id = media.ref_id;
  claims.expires_at = clock.now_seconds() + 60;
  EXPECT_EQ(must_fetch(server->url("/media/" + old_key.sign(claims))).status, 403);
  EXPECT_EQ(must_fetch(server->url("/media/not-a-token")).status, 403);
}

TEST_F(MediaProxyTest, GetFileIsCachedBelowTheLinkValidity) {
  auto media = user_sends_document(pattern_bytes(2000), "image/png", "a.png");
  auto url = media_url(media.ref_id, 7200s);
  tg->clear_calls();
  EXPECT_EQ(must_fetch(url).status, 200);
  EXPECT_EQ(fetch_range(url, "bytes=0-9").status, 206);
  EXPECT_EQ(must_fetch(url, "HEAD").status, 200);
  EXPECT_EQ(tg->call_count("getFile"), 1u);
  clock.advance(49min);
  EXPECT_EQ(must_fetch(url).status, 200);
  EXPECT_EQ(tg->call_count("getFile"), 1u);
  clock.advance(1min);  // 50 minutes: Telegram's link (>= 1 h) is not trusted that long
  EXPECT_EQ(must_fetch(url).status, 200);
  EXPECT_EQ(tg->call_count("getFile"), 2u);
}

TEST_F(MediaProxyTest, TelegramFailuresMapToStatuses) {
  auto media = user_sends_document(pattern_bytes(2000), "image/png", "a.png");
  auto url = media_url(media.ref_id);

  sandbox::tg::InjectedError wrong_id;
  wrong_id.error_code = 400;
  wrong_id.description = "Bad Request: wrong file identifier/HTTP URL specified";
  tg->inject_error("getFile", wrong_id);
  EXPECT_EQ(must_fetch(url).status, 404);

  tg->inject_error("getFile", sandbox::tg::InjectedError::server_error(502), 2);
  auto busy = must_fetch(url);
  EXPECT_EQ(busy.status, 503);
  EXPECT_EQ(busy.headers.get_or("Retry-After"), "5");
  tg->clear_faults();

  sandbox::tg::InjectedError too_big;
  too_big.error_code = 400;
  too_big.description = "Bad Request: file is too big";
  tg->inject_error("getFile", too_big);
  EXPECT_EQ(must_fetch(url).status, 502);

  EXPECT_EQ(must_fetch(url).status, 200);  // and then it works again
}

TEST_F(MediaProxyTest, ConcurrencyCapAnswers503WithRetryAfter) {
  MediaProxyOptions options;
  options.max_concurrent = 1;
  options.retry_after = 7s;
  start_proxy(options);
  auto media = user_sends_document(pattern_bytes(4000), "image/png", "a.png");
  auto url = media_url(media.ref_id);

  tg->inject_delay("getFile", 600ms);
  std::optional<net::ClientResponse> first;
  std::thread slow([&] { first = must_fetch(url); });
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (proxy->active_streams() == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(2ms);
  ASSERT_EQ(proxy->active_streams(), 1u);
  auto refused = must_fetch(url);
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(refused.headers.get_or("Retry-After"), "7");
  slow.join();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200);
  EXPECT_TRUE(first->body == media.bytes);
  EXPECT_EQ(proxy->active_streams(), 0u);
  EXPECT_EQ(must_fetch(url).status, 200);  // the slot was given back
}

TEST_F(MediaProxyTest, ConcurrentDownloadsEachGetTheirOwnBytes) {
  std::vector<StoredMedia> files;
  for (unsigned i = 0; i < 4; ++i)
    files.push_back(user_sends_video(pattern_bytes(150'000 + i * 1000, 10 + i)));
  constexpr int kClients = 12;
  std::vector<std::thread> clients;
  std::vector<std::optional<net::ClientResponse>> got(kClients);
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      const auto& f = files[c % files.size()];
      net::Headers h;
      if (c % 3 == 1) h.set("Range", "bytes=1000-50999");
      got[c] = must_fetch(media_url(f.ref_id), "GET", h);
    });
  }
  for (auto& t : clients) t.join();
  for (int c = 0; c < kClients; ++c) {
    const auto& f = files[c % files.size()];
    ASSERT_TRUE(got[c]);
    if (c % 3 == 1) {
      EXPECT_EQ(got[c]->status, 206);
      EXPECT_TRUE(got[c]->body == f.bytes.substr(1000, 50000)) << c;
    } else {
      EXPECT_EQ(got[c]->status, 200);
      EXPECT_TRUE(got[c]->body == f.bytes) << c;
    }
  }
  EXPECT_EQ(proxy->active_streams(), 0u);
}

TEST_F(MediaProxyTest, NoSecretInLogsOrResponseHeadersOrErrorBodies) {
  log::Capture capture;
  auto media = user_sends_document(pattern_bytes(3000), "image/png", "a.png");
  auto uncached = user_sends_document(pattern_bytes(3001), "image/png", "b.png");
  auto url = media_url(media.ref_id);
  std::vector<net::ClientResponse> answers;
  answers.push_back(must_fetch(url));
  answers.push_back(must_fetch(url, "HEAD"));
  answers.push_back(fetch_range(url, "bytes=10-20"));
  answers.push_back(fetch_range(url, "bytes=9000-"));
  answers.push_back(must_fetch(url + "x"));
  answers.push_back(must_fetch(media_url(424242)));
  tg->inject_error("getFile", sandbox::tg::InjectedError::server_error(500), 2);
  answers.push_back(must_fetch(media_url(uncached.ref_id, 7200s, "png")));
  tg->clear_faults();
  clock.advance(3h);
  answers.push_back(must_fetch(url));

  const std::string bot_token = tg->token();
  const std::string token_secret_part = bot_token.substr(bot_token.find(':') + 1);
  const std::string derived = crypto::derive_key(bot_token, "media-proxy");
  std::vector<std::string> secrets = {bot_token, token_secret_part, kMediaSecret,
                                      crypto::base64url(derived), crypto::hex(derived)};
  std::set<int> statuses;
  for (const auto& a : answers) {
    statuses.insert(a.status);
    for (const auto& [name, value] : a.headers.items())
      for (const auto& s : secrets) EXPECT_EQ(value.find(s), std::string::npos) << name;
    if (a.status >= 300) {
      for (const auto& s : secrets) EXPECT_EQ(a.body.find(s), std::string::npos) << a.body;
    }
  }
  EXPECT_EQ(statuses, (std::set<int>{200, 206, 403, 404, 410, 416, 503}));
  EXPECT_FALSE(capture.lines().empty());
  for (const auto& line : capture.lines())
    for (const auto& s : secrets) EXPECT_EQ(line.find(s), std::string::npos) << line;
}

}  // namespace
}  // namespace kb::services::media_test
