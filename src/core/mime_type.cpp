// MIME type screening.
#include "core/mime_type.hpp"

namespace kb {

bool is_plain_mime_type(std::string_view mime) {
  auto token_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("!#$&^_.+-").find(c) != std::string_view::npos;
  };
  auto slash = mime.find('/');
  if (slash == 0 || slash == std::string_view::npos || slash + 1 == mime.size() ||
      mime.size() > 127)
    return false;
  for (std::size_t i = 0; i < mime.size(); ++i)
    if (i != slash && !token_char(mime[i])) return false;
  return true;
}

}  // namespace kb
