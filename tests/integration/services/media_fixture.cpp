// The media proxy test fixture.
#include "media_fixture.hpp"

#include <cstdlib>
#include <filesystem>

#include "sandbox/media/png_encoder.hpp"
#include "services/media/media_resolver.hpp"
#include "store/open.hpp"
#include "telegram/parse.hpp"

namespace kb::services::media_test {

void MediaFixture::SetUp() {
  sandbox::FakeTelegramOptions options;
  options.clock = &clock;
  options.limits.enabled = false;
  tg = std::make_unique<sandbox::FakeTelegram>(io.io(), http, options);
  auto port = tg->start();
  ASSERT_TRUE(port) << port.error().describe();
  telegram::ClientConfig config;
  config.token = tg->token();
  config.api_url = tg->api_url();
  config.file_url = tg->file_url();
  config.retry.max_attempts = 2;
  config.retry.initial_backoff = std::chrono::milliseconds(10);
  config.retry.max_backoff = std::chrono::milliseconds(20);
  config.retry.jitter = 0;
  bot = std::make_unique<telegram::BotClient>(io.io().get_executor(), http, config);
  alice = tg->make_user("Alice", "en");

  char tmpl[] = "/tmp/kiebot-media.XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  db_dir = tmpl;
  store::DatabaseOptions db_options;
  db_options.url = "sqlite://" + db_dir + "/kiebot.db";
  db_options.sqlite_synchronous_full = false;
  db_options.pool_size = 2;
  auto opened = store::open_database(db_options, clock, nullptr);
  ASSERT_TRUE(opened) << opened.error().describe();
  db = std::move(*opened);

  signer = std::make_unique<MediaTokenSigner>(kMediaSecret);
  start_proxy();
}

void MediaFixture::start_proxy(MediaProxyOptions options) {
  server.reset();
  proxy = std::make_unique<MediaProxy>(*db, *bot, http, *signer, clock, options);
  router = net::Router();
  add_media_routes(router, *proxy);
  server = std::make_unique<test::TestServer>(router, net::ServerOptions{}, nullptr, 2);
}

void MediaFixture::TearDown() {
  server.reset();
  proxy.reset();
  bot.reset();
  if (tg) io.run<void>([this]() { return tg->stop(std::chrono::milliseconds(500)); });
  tg.reset();
  db.reset();
  if (!db_dir.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(db_dir, ec);
  }
}

StoredMedia MediaFixture::store_from(const sandbox::tg::UserMessage& sent,
                                     catalog::InputType type) {
  StoredMedia out;
  std::optional<telegram::Message> message;
  for (const auto& update : tg->updates()) {
    if (update.value("update_id", std::int64_t{0}) != sent.update_id) continue;
    auto parsed = telegram::parse_update_value(update);
    if (parsed && parsed->message) message = parsed->message;
  }
  if (!message) {
    ADD_FAILURE() << "the fake produced no message update";
    return out;
  }
  catalog::Input input;
  input.name = "image_urls";
  input.type = type;
  input.max_mb = 20;
  auto now = clock.now_ms();
  auto taken = db->transact_blocking<MediaInputOutcome>(
      [&](store::Tx& tx) { return take_media_input(tx, *message, input, false, now); });
  if (!taken) {
    ADD_FAILURE() << taken.error().describe();
    return out;
  }
  auto* accepted = std::get_if<AcceptedMediaInput>(&*taken);
  if (!accepted || accepted->values.size() != 1) {
    ADD_FAILURE() << "the media step refused the file";
    return out;
  }
  out.reference = accepted->values.front();
  out.ref_id = parse_media_ref(out.reference).value_or(0);
  const auto& item = accepted->media.items.front();
  out.file_id = item.file_id;
  out.mime_type = item.mime_type;
  out.bytes = tg->file_content(item.file_id).value_or("");
  EXPECT_FALSE(out.bytes.empty());
  return out;
}

StoredMedia MediaFixture::user_sends_document(std::string bytes, std::string mime,
                                              std::string name) {
  auto type = mime.starts_with("video/")   ? catalog::InputType::video
              : mime.starts_with("audio/") ? catalog::InputType::audio
                                           : catalog::InputType::image;
  auto sent = tg->send_document(alice, std::move(bytes), mime, std::move(name));
  return store_from(sent, type);
}

StoredMedia MediaFixture::user_sends_photo(int width, int height) {
  std::string rgb(static_cast<std::size_t>(width) * height * 3, '\0');
  for (std::size_t i = 0; i < rgb.size(); ++i) rgb[i] = static_cast<char>((i * 31 + 3) & 0xff);
  auto sent = tg->send_photo(alice, ::kb::media::encode_png_rgb(width, height, rgb));
  return store_from(sent, catalog::InputType::image);
}

StoredMedia MediaFixture::user_sends_video(std::string bytes) {
  auto sent = tg->send_video(alice, std::move(bytes));
  return store_from(sent, catalog::InputType::video);
}

std::string MediaFixture::media_url(std::int64_t ref_id, std::chrono::seconds ttl,
                                    std::string extension) const {
  MediaTokenClaims claims;
  claims.kind = MediaTokenKind::user_media;
  claims.media_ref_id = ref_id;
  claims.expires_at = clock.now_seconds() + ttl.count();
  claims.extension = std::move(extension);
  return server->url("/media/" + signer->sign(claims));
}

Result<net::ClientResponse> MediaFixture::fetch(const std::string& url, std::string method,
                                                net::Headers headers) {
  net::ClientRequest request;
  request.method = std::move(method);
  request.url = url;
  request.headers = std::move(headers);
  request.timeout = std::chrono::milliseconds(20'000);
  return io.run<Result<net::ClientResponse>>([this, request]() { return http.send(request); });
}

net::ClientResponse MediaFixture::must_fetch(const std::string& url, std::string method,
                                             net::Headers headers) {
  auto r = fetch(url, std::move(method), std::move(headers));
  EXPECT_TRUE(r) << r.error().describe();
  return r ? *r : net::ClientResponse{};
}

net::ClientResponse MediaFixture::fetch_range(const std::string& url, const std::string& range) {
  net::Headers h;
  h.set("Range", range);
  return must_fetch(url, "GET", h);
}

std::string MediaFixture::pattern_bytes(std::size_t size, unsigned seed) {
  std::string out(size, '\0');
  std::uint32_t x = seed * 2654435761u + 1;
  for (std::size_t i = 0; i < size; ++i) {
    x = x * 1664525u + 1013904223u;
    out[i] = static_cast<char>(x >> 24);
  }
  return out;
}

}  // namespace kb::services::media_test
