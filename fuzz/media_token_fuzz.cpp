// Fuzzes media token verification with a fixed key and clock: any string gives a typed verdict,
// and tokens signed from input-derived claims verify back to those claims (and fail once altered).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <fuzzer/FuzzedDataProvider.h>

#include "services/media/media_token.hpp"

namespace {

using namespace kb::services;

constexpr std::int64_t kNow = 1769670760;

void check_failed(const char* what, int line) {
  std::fprintf(stderr, "%s:%d: property violated: %s\n", __FILE__, line, what);
  std::abort();
}
#define check(condition) ((condition) ? void() : check_failed(#condition, __LINE__))

const MediaTokenSigner& signer() {
  static const MediaTokenSigner s("fuzz-media-proxy-secret");
  return s;
}

const MediaTokenSigner& other_signer() {
  static const MediaTokenSigner s("fuzz-media-proxy-secret-2");
  return s;
}

bool valid_extension(std::string_view ext) {
  if (ext.empty() || ext.size() > 8) return false;
  for (char c : ext)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

// The payload's numbers: positive, at most 18 digits (the verifier reads no more).
bool number_ok(std::int64_t v) {
  return v > 0 && v < 1'000'000'000'000'000'000;
}

// Any string: a verdict, and a verdict other than tampered only for what the signer would emit.
void verify_arbitrary(std::string_view token) {
  auto check_result = signer().verify(token, kNow);
  if (check_result.status == TokenStatus::tampered) return;
  check(token.size() <= kMaxMediaTokenLength);
  check(signer().sign(check_result.claims) == token);
  check((check_result.status == TokenStatus::expired) == (kNow > check_result.claims.expires_at));
  check(other_signer().verify(token, kNow).status == TokenStatus::tampered);
}

void round_trip(FuzzedDataProvider& in) {
  MediaTokenClaims claims;
  claims.kind = in.ConsumeBool() ? MediaTokenKind::result_file : MediaTokenKind::user_media;
  claims.expires_at = in.ConsumeIntegral<std::int64_t>();
  claims.media_ref_id = in.ConsumeIntegral<std::int64_t>();
  claims.extension = in.ConsumeRandomLengthString(12);
  claims.file_name = in.ConsumeRandomLengthString(160);
  auto flip_at = in.ConsumeIntegral<std::size_t>();
  auto flip_to = in.ConsumeIntegral<char>();
  claims.url = in.ConsumeRemainingBytesAsString();

  std::string token = signer().sign(claims);
  auto got = signer().verify(token, kNow);
  bool result = claims.kind == MediaTokenKind::result_file;
  bool should_verify = token.size() <= kMaxMediaTokenLength && number_ok(claims.expires_at) &&
                       (result ? !claims.url.empty() : number_ok(claims.media_ref_id));
  if (!should_verify) {
    check(got.status == TokenStatus::tampered);
    return;
  }
  check(got.status != TokenStatus::tampered);
  check((got.status == TokenStatus::expired) == (kNow > claims.expires_at));
  check(got.claims.kind == claims.kind);
  check(got.claims.expires_at == claims.expires_at);
  check(got.claims.extension == (valid_extension(claims.extension) ? claims.extension : ""));
  if (result) {
    check(got.claims.url == claims.url);
    check(got.claims.file_name == sanitize_file_name(claims.file_name));
  } else {
    check(got.claims.media_ref_id == claims.media_ref_id);
  }
  // Only the holder of the key signs; any altered character is refused.
  check(other_signer().verify(token, kNow).status == TokenStatus::tampered);
  std::size_t at = flip_at % token.size();
  if (token[at] != flip_to) {
    std::string altered = token;
    altered[at] = flip_to;
    check(signer().verify(altered, kNow).status == TokenStatus::tampered);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  verify_arbitrary(std::string_view(reinterpret_cast<const char*>(data), size));
  FuzzedDataProvider in(data, size);
  round_trip(in);
  return 0;
}
