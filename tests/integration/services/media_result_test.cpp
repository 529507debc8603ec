// The result-file route: SignedResultLinks URLs streamed from an origin that ignores Range (cut
// locally) or honours it (forwarded and relayed), HEAD, expiry after 24 h, refusals.
#include <algorithm>
#include <map>
#include <mutex>

#include <gtest/gtest.h>

#include "media_fixture.hpp"
#include "net/http_range.hpp"
#include "services/media/result_links.hpp"

namespace kb::services::media_test {
namespace {

using namespace std::chrono_literals;

// Serves files at /plain/<name> (Range ignored) and /ranged/<name> (Range honoured), and any
// status at /status/<code>; remembers the Range headers it received.
class Origin {
 public:
  Origin() {
    router_.add("GET", "/plain/{name}",
                [this](net::Request& r) -> Task<net::Response> { co_return serve(r, false); });
    router_.add("GET", "/ranged/{name}",
                [this](net::Request& r) -> Task<net::Response> { co_return serve(r, true); });
    router_.add("GET", "/status/{code}", [](net::Request& r) -> Task<net::Response> {
      co_return net::Response::text(std::stoi(std::string(r.param("code"))), "origin says no\n");
    });
    server_ = std::make_unique<::kb::test::TestServer>(router_);
  }
  void put(const std::string& name, std::string bytes, std::string type) {
    std::lock_guard lock(mu_);
    files_[name] = {std::move(bytes), std::move(type)};
  }
  std::string url(const std::string& path) const { return server_->url(path); }
  std::vector<std::string> ranges_seen() const {
    std::lock_guard lock(mu_);
    return ranges_;
  }

 private:
  net::Response serve(net::Request& r, bool honour_range) {
    std::lock_guard lock(mu_);
    ranges_.push_back(r.headers.get_or("Range", "-"));
    auto it = files_.find(std::string(r.param("name")));
    if (it == files_.end()) return net::Response::text(404, "no such file\n");
    const auto& [bytes, type] = it->second;
    net::Response res;
    res.headers.set("Content-Type", type);
    if (honour_range) {
      auto d = net::decide_range(r.headers.get("Range"), bytes.size());
      if (d.outcome == net::RangeOutcome::unsatisfiable) {
        res.status = 416;
        res.headers.set("Content-Range", "bytes */" + std::to_string(bytes.size()));
        return res;
      }
      if (d.outcome == net::RangeOutcome::partial) {
        res.status = 206;
        res.headers.set("Content-Range", d.range.content_range(bytes.size()));
        res.body = bytes.substr(d.range.first, d.range.length());
        return res;
      }
    }
    res.body = bytes;
    return res;
  }

  mutable std::mutex mu_;
  std::map<std::string, std::pair<std::string, std::string>> files_;
  std::vector<std::string> ranges_;
  net::Router router_;
  std::unique_ptr<::kb::test::TestServer> server_;
};

class MediaResultTest : public MediaFixture {
 protected:
  void SetUp() override {
    MediaFixture::SetUp();
    links = std::make_unique<SignedResultLinks>(*signer, clock,
                                                ResultLinkOptions{server->url("") + "/", 24h});
    bytes = pattern_bytes(250'000, 42);
    origin.put("video.mp4", bytes, "video/mp4");
    origin.put("blob", bytes, "application/octet-stream");
  }

  Origin origin;
  std::unique_ptr<SignedResultLinks> links;
  std::string bytes;
};

TEST_F(MediaResultTest, StreamsTheProviderFileWithItsTypeAndName) {
  auto link = links->link_for(origin.url("/plain/video.mp4"), "result-7-1.mp4");
  ASSERT_TRUE(link.starts_with(server->url("/media/r/"))) << link;
  EXPECT_TRUE(link.ends_with(".mp4"));
  auto r = must_fetch(link);
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body == bytes);
  EXPECT_EQ(r.headers.get_or("Content-Type"), "video/mp4");
  EXPECT_EQ(r.headers.get_or("Content-Length"), "250000");
  EXPECT_EQ(r.headers.get_or("Content-Disposition"), "inline; filename=\"result-7-1.mp4\"");
  EXPECT_FALSE(r.headers.has("Location"));
}

TEST_F(MediaResultTest, GenericProviderTypeIsReplacedByTheNamesType) {
  auto r = must_fetch(links->link_for(origin.url("/plain/blob"), "result-1-1.mp4"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.get_or("Content-Type"), "video/mp4");
}

TEST_F(MediaResultTest, RangesAreCutLocallyWhenTheOriginIgnoresThem) {
  auto link = links->link_for(origin.url("/plain/video.mp4"), "v.mp4");
  auto first = fetch_range(link, "bytes=0-99");
  EXPECT_EQ(first.status, 206);
  EXPECT_EQ(first.headers.get_or("Content-Range"), "bytes 0-99/250000");
  EXPECT_TRUE(first.body == bytes.substr(0, 100));
  auto middle = fetch_range(link, "bytes=100000-100999");
  EXPECT_EQ(middle.status, 206);
  EXPECT_TRUE(middle.body == bytes.substr(100000, 1000));
  auto suffix = fetch_range(link, "bytes=-10");
  EXPECT_EQ(suffix.status, 206);
  EXPECT_TRUE(suffix.body == bytes.substr(bytes.size() - 10));
  auto bad = fetch_range(link, "bytes=250000-");
  EXPECT_EQ(bad.status, 416);
  EXPECT_EQ(bad.headers.get_or("Content-Range"), "bytes */250000");
  // The Range was offered to the origin, which ignored it.
  auto seen = origin.ranges_seen();
  EXPECT_NE(std::find(seen.begin(), seen.end(), "bytes=100000-100999"), seen.end());
}

TEST_F(MediaResultTest, RangesAreForwardedWhenTheOriginHonoursThem) {
  auto link = links->link_for(origin.url("/ranged/video.mp4"), "v.mp4");
  auto middle = fetch_range(link, "bytes=1000-1999");
  EXPECT_EQ(middle.status, 206);
  EXPECT_EQ(middle.headers.get_or("Content-Range"), "bytes 1000-1999/250000");
  EXPECT_EQ(middle.headers.get_or("Content-Length"), "1000");
  EXPECT_TRUE(middle.body == bytes.substr(1000, 1000));
  auto suffix = fetch_range(link, "bytes=-7");
  EXPECT_EQ(suffix.status, 206);
  EXPECT_TRUE(suffix.body == bytes.substr(bytes.size() - 7));
  auto bad = fetch_range(link, "bytes=300000-");
  EXPECT_EQ(bad.status, 416);
  EXPECT_EQ(bad.headers.get_or("Content-Range"), "bytes */250000");
  auto whole = must_fetch(link);
  EXPECT_EQ(whole.status, 200);
  EXPECT_TRUE(whole.body == bytes);
}

TEST_F(MediaResultTest, HeadAnswersHeadersOnly) {
  auto link = links->link_for(origin.url("/plain/video.mp4"), "v.mp4");
  auto r = must_fetch(link, "HEAD");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(r.headers.get_or("Content-Length"), "250000");
  EXPECT_EQ(r.headers.get_or("Content-Type"), "video/mp4");
  net::Headers h;
  h.set("Range", "bytes=10-19");
  auto partial = must_fetch(link, "HEAD", h);
  EXPECT_EQ(partial.status, 206);
  EXPECT_EQ(partial.headers.get_or("Content-Range"), "bytes 10-19/250000");
  EXPECT_EQ(partial.headers.get_or("Content-Length"), "10");
}

TEST_F(MediaResultTest, LinksLiveTwentyFourHours) {
  auto link = links->link_for(origin.url("/plain/video.mp4"), "v.mp4");
  clock.advance(24h);
  EXPECT_EQ(must_fetch(link, "HEAD").status, 200);
  clock.advance(1s);
  EXPECT_EQ(must_fetch(link).status, 410);
}

TEST_F(MediaResultTest, TamperedLinksAreForbidden) {
  auto link = links->link_for(origin.url("/plain/video.mp4"), "v.mp4");
  const auto base = server->url("/media/r/");
  const auto token = link.substr(base.size());
  for (std::size_t i = 0; i < token.size(); i += 7) {
    std::string changed = token;
    changed[i] = changed[i] == 'x' ? 'y' : 'x';
    EXPECT_EQ(must_fetch(base + changed).status, 403) << i;
  }
}

TEST_F(MediaResultTest, OriginFailuresAndNonHttpTargets) {
  EXPECT_EQ(must_fetch(links->link_for(origin.url("/plain/missing"), "x.png")).status, 404);
  EXPECT_EQ(must_fetch(links->link_for(origin.url("/status/410"), "x.png")).status, 404);
  EXPECT_EQ(must_fetch(links->link_for(origin.url("/status/500"), "x.png")).status, 502);
  EXPECT_EQ(must_fetch(links->link_for(origin.url("/status/403"), "x.png")).status, 502);
  EXPECT_EQ(must_fetch(links->link_for("http://127.0.0.1:1/unreachable.png", "x.png")).status, 502);

  // Anything but http(s) is never signed, and never fetched even when signed.
  EXPECT_EQ(links->link_for("file:///etc/passwd", "p"), "file:///etc/passwd");
  MediaTokenClaims claims;
  claims.kind = MediaTokenKind::result_file;
  claims.expires_at = clock.now_seconds() + 60;
  claims.url = "file:///etc/passwd";
  claims.file_name = "p";
  EXPECT_EQ(must_fetch(server->url("/media/r/" + signer->sign(claims))).status, 403);
}

TEST_F(MediaResultTest, WithoutAPublicBaseUrlTheProviderUrlIsTheLink) {
  SignedResultLinks unsigned_links(*signer, clock, ResultLinkOptions{"", 24h});
  EXPECT_EQ(unsigned_links.link_for("https://cdn.example/r.mp4", "r.mp4"),
            "https://cdn.example/r.mp4");
}

}  // namespace
}  // namespace kb::services::media_test
