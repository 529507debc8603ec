// An empty kb::embedded for fuzz builds: the loaders under test read their text from the input,
// never from the data files compiled into the real binary.
#include "core/embedded.hpp"

namespace kb::embedded {

std::string_view file(std::string_view) {
  return {};
}
bool contains(std::string_view) {
  return false;
}
std::vector<std::string_view> names() {
  return {};
}

}  // namespace kb::embedded
