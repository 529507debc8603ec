// The signed media proxy of the whole application: a valid token streams the user's file; a
// forged, tampered or expired token (and a token anywhere but its path segment) reads nothing:
// 403 / 410 / 404, no getFile, no byte of the file. Path traversal reads no file from disk, and
// a hostile stored MIME type cannot inject response headers.
#include "core/crypto.hpp"
#include "security_rig.hpp"
#include "services/media/media_token.hpp"
#include "store/tx.hpp"

namespace kb::security_test {
namespace {

using services::MediaTokenClaims;
using services::MediaTokenKind;

class SecurityMedia : public SecurityTest {
 protected:
  // A file the user sent, registered as the wizard does (a media_refs row).
  std::int64_t stored_file(const User& u, const std::string& bytes, const std::string& mime) {
    auto sent = telegram().send_document(u, bytes, mime, "secret.png");
    settle(sent.update_id);
    auto message = telegram().message(sent.chat_id, sent.message_id);
    EXPECT_TRUE(message);
    store::MediaRef ref;
    ref.telegram_file_id = message->file_id;
    ref.file_unique_id = message->file_unique_id;
    ref.mime_type = mime;
    ref.file_size = static_cast<std::int64_t>(bytes.size());
    return store::test::must(db().transact_blocking<std::int64_t>(
        [&](store::Tx& tx) { return tx.media().put(ref, clock_.now_ms()); }));
  }
  services::MediaTokenSigner signer(std::string key = "") const {
    if (key.empty())
      key = *services::media_signing_key(config().media_proxy_secret, config().bot_token);
    return services::MediaTokenSigner(key);
  }
  std::string token(std::int64_t ref_id, std::int64_t expires_in_s, std::string key = "") const {
    MediaTokenClaims c;
    c.kind = MediaTokenKind::user_media;
    c.expires_at = clock_.now_seconds() + expires_in_s;
    c.media_ref_id = ref_id;
    c.extension = "png";
    return signer(std::move(key)).sign(c);
  }
};
KB_SECURITY_BACKENDS(SecurityMedia);

TEST_P(SecurityMedia, ForgedTamperedAndMisplacedTokensReadNothing) {
  auto alice = user("Alice");
  const std::string bytes =
      "\x89PNG-private-bytes-of-alice-" + crypto::hex(crypto::random_bytes(8));
  auto ref = stored_file(alice, bytes, "image/png");
  auto good = token(ref, 600);

  // Forged: other keys (a guess, the bot token itself, the webhook secret), other refs, garbage.
  std::vector<std::pair<std::string, int>> cases = {
      {token(ref, 600, "guessed-key"), 403},
      {token(ref, 600, config().bot_token), 403},
      {token(ref, 600, webhook_secret()), 403},
      {"AAAA.BBBB", 403},
      {std::string(200, 'A'), 403},
      {std::string(7000, 'A'), 403},
      {"%00", 403},
  };
  // Tampered: every character position changed once (a sample across the token).
  for (std::size_t pos = 0; pos < good.size(); pos += 7) {
    auto t = good;
    t[pos] = t[pos] == 'A' ? 'B' : 'A';
    if (t[pos] == '.' || good[pos] == '.') continue;
    cases.emplace_back(t, 403);
  }
  cases.emplace_back(good.substr(0, good.size() - 1), 403);
  cases.emplace_back(good + "A", 403);
  cases.emplace_back(good.substr(0, good.rfind('.')) + ".jpg", 403);  // the extension is signed
  // Another reference id under the same key is a different token: only what was signed opens.
  cases.emplace_back(token(ref + 1, 600), 404);
  // Expired: signed correctly, but past its time.
  cases.emplace_back(token(ref, -1), 410);
  cases.emplace_back(token(ref, -86400), 410);

  const auto get_file_before = telegram().call_count("getFile");
  for (const auto& [t, status] : cases) {
    auto r = request("GET", "/media/" + t);
    EXPECT_EQ(r.status, status) << t;
    EXPECT_EQ(r.body.find("private-bytes"), std::string::npos);
    EXPECT_FALSE(r.headers.has("Location"));
  }
  // A user-media token is not a result-file token, and vice versa.
  EXPECT_EQ(request("GET", "/media/r/" + good).status, 403);
  MediaTokenClaims result;
  result.kind = MediaTokenKind::result_file;
  result.expires_at = clock_.now_seconds() + 600;
  result.url = telegram().api_url() + "/file/bot" + config().bot_token + "/documents/file_0";
  result.file_name = "x.png";
  EXPECT_EQ(request("GET", "/media/" + signer().sign(result)).status, 403);

  // The token anywhere but its path segment opens nothing (403 or 404, never the file).
  const std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>>
      misplaced = {{"/media/?token=" + good, {}},
                   {"/media?token=" + good, {}},
                   {"/media/" + good + "/extra", {}},
                   {"/media/x/" + good, {}},
                   {"/media/forged?token=" + good, {}},
                   {"/media/forged", {{"Authorization", "Bearer " + good}}},
                   {"/media/forged", {{"Cookie", "token=" + good}}},
                   {"/media/forged", {{"X-Media-Token", good}}},
                   {"/" + good, {}},
                   {"/media/r?u=" + good, {}}};
  for (const auto& [path, headers] : misplaced) {
    auto r = request("GET", path, "", headers);
    EXPECT_TRUE(r.status == 403 || r.status == 404) << path << " → " << r.status;
    EXPECT_EQ(r.body.find("private-bytes"), std::string::npos) << path;
  }
  EXPECT_EQ(request("POST", "/media/" + good, "x").status, 405);
  EXPECT_EQ(telegram().call_count("getFile"), get_file_before);

  // The valid token does open the file (the refusals above are not a broken route).
  auto ok = request("GET", "/media/" + good);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, bytes);
  EXPECT_GT(telegram().call_count("getFile"), get_file_before);
}

TEST_P(SecurityMedia, TraversalAndUnknownRoutesReadNoFile) {
  const auto get_file_before = telegram().call_count("getFile");
  for (const char* path :
       {"/media/../../../../etc/passwd", "/media/..%2f..%2f..%2fetc%2fpasswd",
        "/media/%2e%2e/%2e%2e/etc/passwd", "/media/r/../../etc/passwd", "/media/....//etc/passwd",
        "/media/%252e%252e%252fetc%252fpasswd", "/media/..\\..\\etc\\passwd", "//etc/passwd",
        "/etc/passwd", "/../../etc/passwd", "/static/../../etc/passwd", "/media/%00",
        "/media/r/%2e%2e%2f%2e%2e%2fproc%2fself%2fenviron", "/proc/self/environ", "/.env",
        "/data/kiebot.db", "/kiebot.db", "/admin", "/sandbox/api/users"}) {
    RawSocket s(port());
    ASSERT_TRUE(s.connected());
    s.send(std::string("GET ") + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    auto reply = s.read_all();
    EXPECT_TRUE(reply.starts_with("HTTP/1.1 404") || reply.starts_with("HTTP/1.1 403") ||
                reply.starts_with("HTTP/1.1 400"))
        << path << " → " << reply.substr(0, 40);
    EXPECT_EQ(reply.find("root:"), std::string::npos) << path;
    EXPECT_EQ(reply.find("SQLite format"), std::string::npos) << path;
    EXPECT_EQ(reply.find(config().bot_token), std::string::npos) << path;
  }
  EXPECT_EQ(telegram().call_count("getFile"), get_file_before);
  EXPECT_EQ(request("GET", "/healthz").status, 200);
}

TEST_P(SecurityMedia, AHostileStoredMimeTypeInjectsNoResponseHeader) {
  auto alice = user("Alice");
  auto ref =
      stored_file(alice, "GIF89a-bytes", "image/gif\r\nSet-Cookie: pwned=1\r\nX-Injected: 1");
  RawSocket s(port());
  ASSERT_TRUE(s.connected());
  s.send("GET /media/" + token(ref, 600) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  auto reply = s.read_all();
  auto head = reply.substr(0, reply.find("\r\n\r\n"));
  EXPECT_EQ(head.find("\r\nSet-Cookie"), std::string::npos) << head;
  EXPECT_EQ(head.find("\r\nX-Injected"), std::string::npos) << head;
  // The file is still served, typed by its name instead of the hostile stored type.
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 200")) << head;
  EXPECT_NE(head.find("\r\nContent-Type: "), std::string::npos) << head;
  EXPECT_TRUE(reply.ends_with("GIF89a-bytes")) << reply;
  // The server keeps serving.
  EXPECT_EQ(request("GET", "/healthz").status, 200);
}

}  // namespace
}  // namespace kb::security_test
