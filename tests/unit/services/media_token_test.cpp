// Media tokens: round trips, every single-byte change refused, expiry, key rotation and the key
// derivation.
#include <algorithm>

#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "services/media/media_token.hpp"

namespace kb::services {
namespace {

constexpr std::int64_t kNow = 1'767'225'600;  // 2026-01-01T00:00:00Z

MediaTokenClaims media_claims(std::int64_t id = 42, std::string ext = "jpg") {
  MediaTokenClaims c;
  c.kind = MediaTokenKind::user_media;
  c.expires_at = kNow + 7200;
  c.media_ref_id = id;
  c.extension = std::move(ext);
  return c;
}

MediaTokenClaims result_claims() {
  MediaTokenClaims c;
  c.kind = MediaTokenKind::result_file;
  c.expires_at = kNow + 86400;
  c.url = "https://tempfile.aiquickdraw.com/r/abc/video.mp4?x=1&y=2";
  c.file_name = "result-7-1.mp4";
  c.extension = "mp4";
  return c;
}

bool url_safe(std::string_view token) {
  for (char c : token) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

TEST(MediaToken, UserMediaRoundTrip) {
  MediaTokenSigner signer("k1-secret-for-tests");
  auto token = signer.sign(media_claims());
  EXPECT_TRUE(url_safe(token)) << token;
  EXPECT_TRUE(token.ends_with(".jpg")) << token;
  auto check = signer.verify(token, kNow);
  ASSERT_EQ(check.status, TokenStatus::valid);
  EXPECT_EQ(check.claims.kind, MediaTokenKind::user_media);
  EXPECT_EQ(check.claims.media_ref_id, 42);
  EXPECT_EQ(check.claims.expires_at, kNow + 7200);
  EXPECT_EQ(check.claims.extension, "jpg");
}

TEST(MediaToken, ResultRoundTripKeepsUrlAndName) {
  MediaTokenSigner signer("k1-secret-for-tests");
  auto token = signer.sign(result_claims());
  EXPECT_TRUE(url_safe(token)) << token;
  auto check = signer.verify(token, kNow);
  ASSERT_EQ(check.status, TokenStatus::valid);
  EXPECT_EQ(check.claims.kind, MediaTokenKind::result_file);
  EXPECT_EQ(check.claims.url, result_claims().url);
  EXPECT_EQ(check.claims.file_name, "result-7-1.mp4");
}

TEST(MediaToken, WithoutExtension) {
  MediaTokenSigner signer("k");
  auto token = signer.sign(media_claims(7, ""));
  EXPECT_EQ(std::count(token.begin(), token.end(), '.'), 1);
  EXPECT_EQ(signer.verify(token, kNow).status, TokenStatus::valid);
  // An invalid extension is dropped rather than signed.
  auto odd = signer.sign(media_claims(7, "J P G"));
  EXPECT_EQ(std::count(odd.begin(), odd.end(), '.'), 1);
}

// Every byte of the token replaced by every other byte value: always refused as tampered.
void expect_every_byte_change_refused(const MediaTokenSigner& signer, const std::string& token) {
  ASSERT_EQ(signer.verify(token, kNow).status, TokenStatus::valid);
  int checked = 0;
  for (std::size_t i = 0; i < token.size(); ++i) {
    for (int b = 0; b < 256; ++b) {
      if (static_cast<char>(b) == token[i]) continue;
      std::string changed = token;
      changed[i] = static_cast<char>(b);
      auto check = signer.verify(changed, kNow);
      ASSERT_EQ(check.status, TokenStatus::tampered)
          << "position " << i << " byte " << b << " token " << changed;
      ++checked;
    }
  }
  EXPECT_EQ(checked, static_cast<int>(token.size()) * 255);
}

TEST(MediaToken, EverySingleByteChangeOfAMediaTokenIsTampered) {
  MediaTokenSigner signer("k1-secret-for-tests");
  expect_every_byte_change_refused(signer, signer.sign(media_claims()));
  expect_every_byte_change_refused(signer, signer.sign(media_claims(123456789, "")));
}

TEST(MediaToken, EverySingleByteChangeOfAResultTokenIsTampered) {
  MediaTokenSigner signer("k1-secret-for-tests");
  expect_every_byte_change_refused(signer, signer.sign(result_claims()));
}

TEST(MediaToken, TruncatedExtendedAndEmptyTokensAreTampered) {
  MediaTokenSigner signer("k");
  auto token = signer.sign(media_claims());
  for (std::size_t n = 0; n < token.size(); ++n)
    EXPECT_EQ(signer.verify(token.substr(0, n), kNow).status, TokenStatus::tampered) << n;
  for (std::string suffix : {"A", ".", ".png", "=", "%00", "/"})
    EXPECT_EQ(signer.verify(token + suffix, kNow).status, TokenStatus::tampered) << suffix;
  EXPECT_EQ(signer.verify("", kNow).status, TokenStatus::tampered);
  EXPECT_EQ(signer.verify(std::string(kMaxMediaTokenLength + 1, 'A'), kNow).status,
            TokenStatus::tampered);
}

TEST(MediaToken, ExpiresAfterItsLastSecond) {
  FakeClock clock(kNow * 1000);
  MediaTokenSigner signer("k");
  auto token = signer.sign(media_claims());
  EXPECT_EQ(signer.verify(token, clock.now_seconds()).status, TokenStatus::valid);
  clock.advance(std::chrono::seconds(7200));
  EXPECT_EQ(signer.verify(token, clock.now_seconds()).status, TokenStatus::valid);
  clock.advance(std::chrono::seconds(1));
  auto check = signer.verify(token, clock.now_seconds());
  EXPECT_EQ(check.status, TokenStatus::expired);
  EXPECT_EQ(check.claims.media_ref_id, 42);
  // A changed expired token is tampered, not expired: the signature is checked first.
  std::string changed = token;
  changed[3] = changed[3] == 'A' ? 'B' : 'A';
  EXPECT_EQ(signer.verify(changed, clock.now_seconds()).status, TokenStatus::tampered);
}

TEST(MediaToken, RotatingTheKeyInvalidatesOldTokens) {
  MediaTokenSigner old_signer("old-secret");
  MediaTokenSigner new_signer("new-secret");
  auto token = old_signer.sign(media_claims());
  EXPECT_EQ(new_signer.verify(token, kNow).status, TokenStatus::tampered);
  EXPECT_EQ(new_signer.verify(new_signer.sign(media_claims()), kNow).status, TokenStatus::valid);
}

TEST(MediaToken, SigningKeyIsTheSecretOrTheDocumentedDerivation) {
  const std::string bot_token = "7000000001:AAFakeTokenForTests-0123456789abcdefXYZ";
  auto configured = media_signing_key("configured-secret-1234", bot_token);
  ASSERT_TRUE(configured);
  EXPECT_EQ(*configured, "configured-secret-1234");

  auto derived = media_signing_key("", bot_token);
  ASSERT_TRUE(derived);
  EXPECT_EQ(*derived, crypto::derive_key(bot_token, "media-proxy"));
  EXPECT_EQ(*derived, crypto::hmac_sha256(bot_token, "kiebot/media-proxy"));
  EXPECT_EQ(derived->find(bot_token), std::string::npos);
  EXPECT_NE(*derived, crypto::derive_key(bot_token, "webhook"));

  // A different bot token derives a different key: its URLs do not verify.
  auto other = media_signing_key("", "7000000002:AAAnotherTokenForTests-0123456789abcdXYZ");
  ASSERT_TRUE(other);
  MediaTokenSigner a(*derived), b(*other);
  EXPECT_EQ(b.verify(a.sign(media_claims()), kNow).status, TokenStatus::tampered);

  auto none = media_signing_key("", "");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, Errc::invalid_input);
}

TEST(MediaToken, FileNamesAreSanitized) {
  EXPECT_EQ(sanitize_file_name("result-1.mp4"), "result-1.mp4");
  EXPECT_EQ(sanitize_file_name("a b\n\"c\".png"), "a_b__c_.png");
  EXPECT_EQ(sanitize_file_name(""), "file");
  EXPECT_EQ(sanitize_file_name(".."), "file");
  EXPECT_EQ(sanitize_file_name(std::string(300, 'x')).size(), 100u);
  EXPECT_EQ(extension_of("A.MP4"), "mp4");
  EXPECT_EQ(extension_of("noext"), "");
  EXPECT_EQ(extension_of("x.toolongextension"), "");
  EXPECT_EQ(extension_of("x.p-g"), "");

  // A name with newlines cannot smuggle fields into the payload.
  MediaTokenSigner signer("k");
  auto claims = result_claims();
  claims.file_name = "evil\nhttps://attacker.example/x";
  auto check = signer.verify(signer.sign(claims), kNow);
  ASSERT_EQ(check.status, TokenStatus::valid);
  EXPECT_EQ(check.claims.url, result_claims().url);
  EXPECT_EQ(check.claims.file_name, "evil_https___attacker.example_x");
}

}  // namespace
}  // namespace kb::services
