// Fuzzes inline-button payloads: arbitrary bytes decode or are refused, whatever decodes encodes
// back to the same bytes, and encoding input-derived actions/args fails cleanly or round-trips.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>

#include "bot/callback_data.hpp"

namespace {

using namespace kb::bot;

void check_failed(const char* what, int line) {
  std::fprintf(stderr, "%s:%d: property violated: %s\n", __FILE__, line, what);
  std::abort();
}
#define check(condition) ((condition) ? void() : check_failed(#condition, __LINE__))

// The documented grammar, written independently of the code under test.
bool action_ok(std::string_view a) {
  if (a.empty() || a.size() > 4) return false;
  for (char c : a)
    if (c < 'a' || c > 'z') return false;
  return true;
}

bool arg_ok(std::string_view a) {
  if (a.size() > 40) return false;
  for (char c : a) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

void decode_arbitrary(std::string_view data) {
  auto decoded = decode_callback(data);
  if (!decoded) return;
  check(!data.empty() && data.size() <= 64);
  check(action_ok(decoded->action));
  for (std::size_t i = 0; i < decoded->args.size(); ++i) {
    check(arg_ok(decoded->args[i]));
    check(decoded->arg(i) == decoded->args[i]);
    (void)decoded->int_arg(i);
  }
  check(decoded->arg(decoded->args.size()).empty());
  check(!decoded->int_arg(decoded->args.size()));
  auto again = encode_callback(decoded->action, decoded->args);
  check(again.has_value() && *again == data);
}

void encode_generated(FuzzedDataProvider& in) {
  std::string action = in.ConsumeRandomLengthString(6);
  std::vector<std::string> args(in.ConsumeIntegralInRange<std::size_t>(0, 8));
  for (auto& a : args) a = in.ConsumeRandomLengthString(44);

  bool valid = action_ok(action);
  std::size_t length = 2 + action.size();  // "1|" + action
  for (const auto& a : args) {
    valid = valid && arg_ok(a);
    length += 1 + a.size();
  }
  valid = valid && length <= 64;

  auto encoded = encode_callback(action, args);
  check(encoded.has_value() == valid);
  if (!encoded) return;
  check(encoded->size() == length);
  auto decoded = decode_callback(*encoded);
  check(decoded.has_value() && decoded->action == action && decoded->args == args);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  decode_arbitrary(std::string_view(reinterpret_cast<const char*>(data), size));
  FuzzedDataProvider in(data, size);
  encode_generated(in);
  return 0;
}
