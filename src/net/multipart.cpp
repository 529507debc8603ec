// multipart/form-data and urlencoded form parsing.
#include "net/multipart.hpp"

#include <algorithm>
#include <cctype>

#include "core/text.hpp"
#include "net/http_types.hpp"

namespace kb::net {
namespace {

// Value of `key=` in a `; `-separated header parameter list, quotes removed.
std::optional<std::string> header_param(std::string_view header, std::string_view key) {
  std::size_t pos = 0;
  while (pos < header.size()) {
    auto semi = header.find(';', pos);
    auto item = trim_http_ows(
        header.substr(pos, semi == std::string_view::npos ? std::string_view::npos : semi - pos));
    auto eq = item.find('=');
    if (eq != std::string_view::npos && iequals(trim_http_ows(item.substr(0, eq)), key)) {
      auto v = trim_http_ows(item.substr(eq + 1));
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      return std::string(v);
    }
    if (semi == std::string_view::npos) break;
    pos = semi + 1;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  auto semi = content_type.find(';');
  if (!iequals(trim_http_ows(content_type.substr(0, semi)), "multipart/form-data"))
    return std::nullopt;
  auto b = header_param(content_type, "boundary");
  if (!b || b->empty() || b->size() > 200) return std::nullopt;
  return b;
}

Result<std::vector<FormPart>> parse_multipart(std::string_view body, std::string_view boundary) {
  std::vector<FormPart> parts;
  std::string delimiter = "--" + std::string(boundary);
  auto pos = body.find(delimiter);
  if (pos == std::string_view::npos)
    return fail(Errc::invalid_input, "multipart: no boundary found");
  pos += delimiter.size();
  for (;;) {
    if (body.substr(pos, 2) == "--") return parts;  // closing delimiter
    if (body.substr(pos, 2) != "\r\n")
      return fail(Errc::invalid_input, "multipart: bad delimiter line");
    pos += 2;
    auto head_end = body.find("\r\n\r\n", pos);
    if (head_end == std::string_view::npos)
      return fail(Errc::invalid_input, "multipart: unterminated part head");
    FormPart part;
    bool has_disposition = false;
    std::string_view head = body.substr(pos, head_end - pos);
    while (!head.empty()) {
      auto eol = head.find("\r\n");
      auto line = head.substr(0, eol);
      auto colon = line.find(':');
      if (colon != std::string_view::npos) {
        auto name = trim_http_ows(line.substr(0, colon));
        auto value = trim_http_ows(line.substr(colon + 1));
        if (iequals(name, "Content-Disposition")) {
          auto n = header_param(value, "name");
          if (!n) return fail(Errc::invalid_input, "multipart: part without a name");
          part.name = *n;
          part.filename = header_param(value, "filename");
          has_disposition = true;
        } else if (iequals(name, "Content-Type")) {
          part.content_type = std::string(value);
        }
      }
      if (eol == std::string_view::npos) break;
      head.remove_prefix(eol + 2);
    }
    if (!has_disposition)
      return fail(Errc::invalid_input, "multipart: part without Content-Disposition");
    auto data_start = head_end + 4;
    auto next = body.find("\r\n" + delimiter, data_start);
    if (next == std::string_view::npos)
      return fail(Errc::invalid_input, "multipart: unterminated part");
    part.data = std::string(body.substr(data_start, next - data_start));
    parts.push_back(std::move(part));
    pos = next + 2 + delimiter.size();
  }
}

std::vector<std::pair<std::string, std::string>> parse_urlencoded(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!body.empty()) {
    auto amp = body.find('&');
    auto pair = body.substr(0, amp);
    if (!pair.empty()) {
      auto eq = pair.find('=');
      out.emplace_back(url_decode(pair.substr(0, eq)), eq == std::string_view::npos
                                                           ? std::string()
                                                           : url_decode(pair.substr(eq + 1)));
    }
    if (amp == std::string_view::npos) break;
    body.remove_prefix(amp + 1);
  }
  return out;
}

}  // namespace kb::net
