// Fuzzes catalog loading: any text given as catalog YAML must give a snapshot or a list of errors
// (never a crash, hang or escaping exception), and never both or neither.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "catalog/load.hpp"

namespace {

void check_failed(const char* what, int line) {
  std::fprintf(stderr, "%s:%d: property violated: %s\n", __FILE__, line, what);
  std::abort();
}
#define check(condition) ((condition) ? void() : check_failed(#condition, __LINE__))

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view yaml(reinterpret_cast<const char*>(data), size);
  auto result = kb::catalog::parse_catalog(yaml);
  check(result.ok() == result.errors.empty());
  if (result.ok()) {
    check(!result.catalog->models.empty());
    // A valid catalog stays valid when checked again.
    check(kb::catalog::validate_catalog(*result.catalog).empty());
  }
  return 0;
}
