// Fuzzes callback parsing and verification: body, timestamp and signature are split from the
// input at 0x00 bytes. Properties: no crash; only a correctly signed, fresh callback for the id in
// the body is accepted; a correctly signed callback is never refused.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "kie/callback_verifier.hpp"

namespace {

using namespace kb::kie;

constexpr std::string_view kKey = "fuzz-webhook-hmac-key";
constexpr std::int64_t kNowMs = 1769670760000;

void check(bool condition) {
  if (!condition) std::abort();
}

std::string_view next_field(std::string_view& rest) {
  auto cut = rest.find('\0');
  auto field = rest.substr(0, cut);
  rest = cut == std::string_view::npos ? std::string_view() : rest.substr(cut + 1);
  return field;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  std::string_view body = next_field(rest);
  std::string_view timestamp = next_field(rest);
  std::string_view signature = next_field(rest);

  static const kb::FakeClock clock(kNowMs);
  static const std::string token = derive_callback_token("fuzz-root");
  static const CallbackVerifier open({token, "", std::chrono::seconds(300), 1 << 20}, clock);
  static const CallbackVerifier signed_(
      {token, std::string(kKey), std::chrono::seconds(300), 1 << 20}, clock);

  if (body.size() > (1u << 20)) return 0;  // 413 before anything else; covered by unit tests
  auto id = extract_callback_task_id(body);
  auto unsigned_decision = open.check(token, body, std::nullopt, std::nullopt);
  check(unsigned_decision.status == (id ? 200 : 400));
  if (id) check(unsigned_decision.task_id == *id);
  check(open.check(std::string(token) + "x", body, std::nullopt, std::nullopt).status == 404);

  auto decision = signed_.check(token, body, timestamp, signature);
  if (decision.status == 200) {
    check(id.has_value() && decision.task_id == *id);
    check(verify_callback_signature(kKey, *id, timestamp, signature, kNowMs / 1000, 300) ==
          SignatureCheck::ok);
  }
  // A genuine signature over the fresh timestamp is always accepted.
  if (id) {
    std::string now = std::to_string(kNowMs / 1000);
    auto genuine = signed_.check(token, body, now, sign_callback(kKey, *id, now));
    check(genuine.status == 200 && genuine.task_id == *id);
  }
  return 0;
}
