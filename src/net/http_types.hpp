// Transport-neutral HTTP request/response values shared by the server, the router and handlers.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/asio.hpp"
#include "core/result.hpp"

namespace kb::net {

// Ordered header list with case-insensitive lookup (HTTP field names are case-insensitive).
class Headers {
 public:
  void set(std::string name, std::string value);
  void add(std::string name, std::string value);
  std::optional<std::string_view> get(std::string_view name) const;
  std::string get_or(std::string_view name, std::string_view fallback = "") const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  void remove(std::string_view name);
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

bool iequals(std::string_view a, std::string_view b);

struct Request {
  std::string method;  // upper case: GET, POST, HEAD…
  std::string target;  // raw request target: path and query
  std::string path;    // decoded path without query
  std::string query;   // raw query string without '?'
  Headers headers;
  std::string body;
  std::string remote_address;
  std::uint16_t remote_port = 0;
  std::map<std::string, std::string, std::less<>> params;  // path parameters from the route

  std::string_view param(std::string_view name) const;
  std::optional<std::string> query_param(std::string_view name) const;
};

// A response body produced piece by piece (streaming proxy, large files). The server pulls the
// next chunk only after the previous one was written, so memory stays bounded.
class BodySource {
 public:
  virtual ~BodySource() = default;
  // Next chunk; an empty optional means the body is complete. An error aborts the connection.
  virtual Task<Result<std::optional<std::string>>> next_chunk() = 0;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  std::shared_ptr<BodySource> stream;           // when set, `body` is ignored
  std::optional<std::uint64_t> content_length;  // for streams (and HEAD) when known

  static Response text(int status, std::string body);
  static Response json(int status, std::string body);
};

using Handler = std::function<Task<Response>(Request&)>;

std::string url_decode(std::string_view text, bool plus_as_space = true);
std::string url_encode(std::string_view text);

}  // namespace kb::net
