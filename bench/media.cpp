// Media proxy streaming: throughput and resident memory while N MB go through GET /media/<token>
// (a user's file, read from disk as with a --local Bot API server) and GET /media/r/<token> (a
// result file relayed from an HTTP origin), one download at a time and four at once. Everything
// runs in this process on loopback (proxy, origin and the downloading client), so the memory
// figures are an upper bound for the proxy alone.
// Usage: bench_media <megabytes>     Prints Markdown table rows:
// | route | downloads | MB each | MB/s total | RSS before MiB | peak RSS MiB |
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "net/builtin_endpoints.hpp"
#include "net/http_client.hpp"
#include "net/http_server.hpp"
#include "services/media/media_proxy.hpp"
#include "services/media/result_links.hpp"
#include "store/open.hpp"
#include "telegram/client.hpp"

namespace {

using namespace kb;
using SteadyClock = std::chrono::steady_clock;

constexpr const char* kToken = "7000000001:AAFakeTokenForBenchmarks-0123456789abcdef";

std::string block(std::size_t size) {
  std::string out(size, '\0');
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<char>((i * 2654435761u) >> 11);
  return out;
}

// A body of `size` bytes produced 64 KiB at a time.
class GeneratedBody final : public net::BodySource {
 public:
  explicit GeneratedBody(std::uint64_t size) : left_(size), piece_(block(64 * 1024)) {}
  Task<Result<std::optional<std::string>>> next_chunk() override {
    if (left_ == 0) co_return std::optional<std::string>();
    auto n = static_cast<std::size_t>(std::min<std::uint64_t>(left_, piece_.size()));
    left_ -= n;
    co_return std::optional<std::string>(piece_.substr(0, n));
  }

 private:
  std::uint64_t left_;
  std::string piece_;
};

// Runs a coroutine on `io` and waits for it.
template <class T>
T run(asio::io_context& io, std::function<Task<T>()> make) {
  std::promise<T> promise;
  auto future = promise.get_future();
  asio::co_spawn(
      io, [&]() -> Task<void> { promise.set_value(co_await make()); }, asio::detached);
  return future.get();
}

Task<std::uint64_t> download(net::HttpClient& http, std::string url) {
  net::ClientRequest request;
  request.url = std::move(url);
  request.timeout = std::chrono::minutes(10);
  auto opened = co_await http.open(std::move(request));
  if (!opened || (*opened)->status() != 200) co_return 0;
  std::uint64_t bytes = 0;
  for (;;) {
    auto chunk = co_await (*opened)->next_chunk();
    if (!chunk || !chunk->has_value()) break;
    bytes += (*chunk)->size();
  }
  co_return bytes;
}

struct Measure {
  double seconds = 0;
  std::uint64_t bytes = 0;
  std::size_t rss_before = 0;
  std::size_t rss_peak = 0;
};

Measure measure(asio::io_context& io, net::HttpClient& http, const std::vector<std::string>& urls) {
  Measure m;
  m.rss_before = net::resident_memory_bytes();
  std::atomic<bool> done{false};
  std::atomic<std::size_t> peak{m.rss_before};
  std::thread sampler([&] {
    while (!done) {
      auto rss = net::resident_memory_bytes();
      if (rss > peak) peak = rss;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  auto started = SteadyClock::now();
  std::vector<std::thread> clients;
  std::atomic<std::uint64_t> total{0};
  for (const auto& url : urls)
    clients.emplace_back(
        [&, url] { total += run<std::uint64_t>(io, [&]() { return download(http, url); }); });
  for (auto& c : clients) c.join();
  m.seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
  done = true;
  sampler.join();
  m.bytes = total;
  m.rss_peak = peak;
  return m;
}

void row(const char* route, std::size_t downloads, std::uint64_t mb, const Measure& m,
         std::uint64_t expected) {
  if (m.bytes != expected) {
    std::fprintf(stderr, "bench_media: %s: got %llu of %llu bytes\n", route,
                 static_cast<unsigned long long>(m.bytes),
                 static_cast<unsigned long long>(expected));
    std::exit(1);
  }
  fmt::print("| {} | {} | {} | {:.0f} | {:.1f} | {:.1f} |\n", route, downloads, mb,
             static_cast<double>(m.bytes) / (1024.0 * 1024.0) / m.seconds,
             static_cast<double>(m.rss_before) / (1024.0 * 1024.0),
             static_cast<double>(m.rss_peak) / (1024.0 * 1024.0));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_media <megabytes>\n");
    return 2;
  }
  const std::uint64_t mb = std::strtoull(argv[1], nullptr, 10);
  const std::uint64_t size = mb * 1024 * 1024;
  log::configure(log::Level::warn, log::Format::text);

  auto dir =
      std::filesystem::temp_directory_path() / fmt::format("kiebot-bench-media.{}", ::getpid());
  std::filesystem::create_directories(dir);
  const auto file_path = (dir / "video.mp4").string();
  {
    std::ofstream out(file_path, std::ios::binary);
    auto piece = block(1 << 20);
    for (std::uint64_t off = 0; off < size; off += piece.size())
      out.write(piece.data(),
                static_cast<std::streamsize>(std::min<std::uint64_t>(piece.size(), size - off)));
  }

  asio::io_context io;
  auto work = asio::make_work_guard(io);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) threads.emplace_back([&] { io.run(); });

  SystemClock clock;
  net::HttpClient http;
  store::DatabaseOptions db_options;
  db_options.url = "sqlite://" + (dir / "bench.db").string();
  db_options.sqlite_synchronous_full = false;
  auto db = store::open_database(db_options, clock, nullptr);
  if (!db) {
    std::fprintf(stderr, "bench_media: %s\n", db.error().describe().c_str());
    return 1;
  }
  auto ref_id = (*db)->transact_blocking<std::int64_t>([&](store::Tx& tx) {
    store::MediaRef ref;
    ref.telegram_file_id = "BAACAgBenchVideo";
    ref.file_unique_id = "AgADBench";
    ref.mime_type = "video/mp4";
    ref.file_size = static_cast<std::int64_t>(size);
    return tx.media().put(ref, clock.now_ms());
  });

  // A --local Bot API server's getFile (absolute path) and an HTTP origin for result files.
  net::Router upstream_routes;
  auto get_file = [&](net::Request&) -> Task<net::Response> {
    nlohmann::json j = {{"ok", true},
                        {"result",
                         {{"file_id", "BAACAgBenchVideo"},
                          {"file_unique_id", "AgADBench"},
                          {"file_size", size},
                          {"file_path", file_path}}}};
    co_return net::Response::json(200, j.dump());
  };
  upstream_routes.add("POST", "/{bot}/getFile", get_file);
  upstream_routes.add("GET", "/{bot}/getFile", get_file);
  upstream_routes.add("GET", "/result.mp4", [&](net::Request&) -> Task<net::Response> {
    net::Response r;
    r.headers.set("Content-Type", "video/mp4");
    r.content_length = size;
    r.stream = std::make_shared<GeneratedBody>(size);
    co_return r;
  });
  net::HttpServer upstream(io, {}, upstream_routes);
  auto upstream_port = upstream.listen("127.0.0.1", 0);
  upstream.start();

  telegram::ClientConfig tg_config;
  tg_config.token = kToken;
  tg_config.api_url = fmt::format("http://127.0.0.1:{}", *upstream_port);
  tg_config.local_mode = true;
  telegram::BotClient bot(io.get_executor(), http, tg_config);

  services::MediaTokenSigner signer(*services::media_signing_key("", kToken));
  services::MediaProxy proxy(**db, bot, http, signer, clock);
  net::Router proxy_routes;
  services::add_media_routes(proxy_routes, proxy);
  net::HttpServer server(io, {}, proxy_routes);
  auto port = server.listen("127.0.0.1", 0);
  server.start();
  const auto base = fmt::format("http://127.0.0.1:{}", *port);

  services::MediaTokenClaims claims;
  claims.media_ref_id = *ref_id;
  claims.expires_at = clock.now_seconds() + 3600;
  const auto media_url = base + "/media/" + signer.sign(claims);
  services::SignedResultLinks links(signer, clock, {base, std::chrono::hours(24)});
  const auto result_url =
      links.link_for(fmt::format("http://127.0.0.1:{}/result.mp4", *upstream_port), "result.mp4");

  // Warm-up (threads, connections, page cache), not measured.
  measure(io, http, {media_url});
  row("/media/<token> (user file, disk)", 1, mb, measure(io, http, {media_url}), size);
  row("/media/<token> (user file, disk)", 4, mb,
      measure(io, http, {media_url, media_url, media_url, media_url}), 4 * size);
  row("/media/r/<token> (result, HTTP origin)", 1, mb, measure(io, http, {result_url}), size);
  row("/media/r/<token> (result, HTTP origin)", 4, mb,
      measure(io, http, {result_url, result_url, result_url, result_url}), 4 * size);

  run<int>(io, [&]() -> Task<int> {
    co_await server.drain(std::chrono::milliseconds(500));
    co_await upstream.drain(std::chrono::milliseconds(500));
    co_return 0;
  });
  work.reset();
  io.stop();
  for (auto& t : threads) t.join();
  db->reset();
  std::filesystem::remove_all(dir);
  return 0;
}
