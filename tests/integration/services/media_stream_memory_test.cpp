// Bounded memory: a 50 MB file relayed through the proxy (a user's file from a --local Bot API
// server's disk, and a result file from an HTTP origin) while resident memory is sampled.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "media_fixture.hpp"
#include "services/media/result_links.hpp"

namespace kb::services::media_test {
namespace {

using namespace std::chrono_literals;

constexpr std::uint64_t kBigSize = 50ull * 1024 * 1024;
constexpr std::size_t kMaxGrowth = 8 * 1024 * 1024;

char pattern_at(std::uint64_t i) {
  return static_cast<char>(((i * 2654435761u) >> 11) ^ (i >> 20));
}

std::string pattern_block(std::uint64_t offset, std::size_t size) {
  std::string out(size, '\0');
  for (std::size_t k = 0; k < size; ++k) out[k] = pattern_at(offset + k);
  return out;
}

// A 50 MB body generated chunk by chunk (never held whole).
class PatternBody final : public net::BodySource {
 public:
  Task<Result<std::optional<std::string>>> next_chunk() override {
    if (offset_ >= kBigSize) co_return std::optional<std::string>();
    auto n = static_cast<std::size_t>(std::min<std::uint64_t>(64 * 1024, kBigSize - offset_));
    auto block = pattern_block(offset_, n);
    offset_ += n;
    co_return std::optional<std::string>(std::move(block));
  }

 private:
  std::uint64_t offset_ = 0;
};

struct StreamStats {
  int status = 0;
  std::uint64_t bytes = 0;
  bool content_ok = true;
  std::size_t peak_growth = 0;
  std::string error;
};

class MediaStreamMemoryTest : public MediaFixture {
 protected:
  // Reads `url` chunk by chunk, checking every byte against the pattern and sampling memory.
  StreamStats stream(const std::string& url) {
    // Warm up threads, connections and allocator arenas with a small ranged read first.
    net::Headers warm;
    warm.set("Range", "bytes=0-65535");
    EXPECT_EQ(must_fetch(url, "GET", warm).status, 206);
    const auto baseline = ::kb::test::resident_bytes();
    return io.run<StreamStats>([this, url, baseline]() -> Task<StreamStats> {
      StreamStats stats;
      net::ClientRequest request;
      request.url = url;
      request.timeout = 120s;
      auto opened = co_await http.open(request);
      if (!opened) {
        stats.error = opened.error().describe();
        co_return stats;
      }
      auto s = std::move(*opened);
      stats.status = s->status();
      for (;;) {
        auto chunk = co_await s->next_chunk();
        if (!chunk) {
          stats.error = chunk.error().describe();
          break;
        }
        if (!chunk->has_value()) break;
        const auto& data = **chunk;
        for (std::size_t k = 0; k < data.size() && stats.content_ok; ++k)
          if (data[k] != pattern_at(stats.bytes + k)) stats.content_ok = false;
        stats.bytes += data.size();
        auto rss = ::kb::test::resident_bytes();
        if (rss > baseline) stats.peak_growth = std::max(stats.peak_growth, rss - baseline);
      }
      co_return stats;
    });
  }
};

TEST_F(MediaStreamMemoryTest, UserFileOf50MbFromALocalBotApiServer) {
  // The file on disk, written block by block.
  const std::string path = db_dir + "/big_video.mp4";
  {
    std::ofstream out(path, std::ios::binary);
    for (std::uint64_t off = 0; off < kBigSize; off += 1 << 20) out << pattern_block(off, 1 << 20);
  }
  // A local Bot API server's getFile: the absolute path, no size limit.
  net::Router api_routes;
  auto answer = [path](net::Request&) -> Task<net::Response> {
    nlohmann::json j = {{"ok", true},
                        {"result",
                         {{"file_id", "BAACAgBigVideo"},
                          {"file_unique_id", "AgADBig"},
                          {"file_size", kBigSize},
                          {"file_path", path}}}};
    co_return net::Response::json(200, j.dump());
  };
  api_routes.add("POST", "/{bot}/getFile", answer);
  api_routes.add("GET", "/{bot}/getFile", answer);
  ::kb::test::TestServer api(api_routes);
  telegram::ClientConfig config;
  config.token = tg->token();
  config.api_url = api.url("");
  config.local_mode = true;
  telegram::BotClient local_bot(io.io().get_executor(), http, config);

  auto ref_id = db->transact_blocking<std::int64_t>([&](store::Tx& tx) {
    store::MediaRef ref;
    ref.telegram_file_id = "BAACAgBigVideo";
    ref.file_unique_id = "AgADBig";
    ref.mime_type = "video/mp4";
    ref.file_size = static_cast<std::int64_t>(kBigSize);
    return tx.media().put(ref, clock.now_ms());
  });
  ASSERT_TRUE(ref_id) << ref_id.error().describe();

  MediaProxy local_proxy(*db, local_bot, http, *signer, clock);
  net::Router routes;
  add_media_routes(routes, local_proxy);
  ::kb::test::TestServer local_server(routes, net::ServerOptions{}, nullptr, 2);
  MediaTokenClaims claims;
  claims.media_ref_id = *ref_id;
  claims.expires_at = clock.now_seconds() + 3600;
  auto stats = stream(local_server.url("/media/" + signer->sign(claims)));

  EXPECT_EQ(stats.error, "");
  EXPECT_EQ(stats.status, 200);
  EXPECT_EQ(stats.bytes, kBigSize);
  EXPECT_TRUE(stats.content_ok);
  EXPECT_LT(stats.peak_growth, kMaxGrowth) << "resident memory grew by " << stats.peak_growth;
  std::filesystem::remove(path);
}

TEST_F(MediaStreamMemoryTest, ResultFileOf50MbFromAnHttpOrigin) {
  net::Router origin_routes;
  origin_routes.add("GET", "/big.mp4", [](net::Request&) -> Task<net::Response> {
    net::Response r;
    r.headers.set("Content-Type", "video/mp4");
    r.content_length = kBigSize;
    r.stream = std::make_shared<PatternBody>();
    co_return r;
  });
  ::kb::test::TestServer origin(origin_routes);
  SignedResultLinks links(*signer, clock, ResultLinkOptions{server->url(""), 24h});
  auto stats = stream(links.link_for(origin.url("/big.mp4"), "big.mp4"));

  EXPECT_EQ(stats.error, "");
  EXPECT_EQ(stats.status, 200);
  EXPECT_EQ(stats.bytes, kBigSize);
  EXPECT_TRUE(stats.content_ok);
  EXPECT_LT(stats.peak_growth, kMaxGrowth) << "resident memory grew by " << stats.peak_growth;
}

}  // namespace
}  // namespace kb::services::media_test
