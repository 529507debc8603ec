// Maps (method, path) to a handler; patterns have `{name}` segments and an optional trailing
// `{name*}`.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "net/http_types.hpp"

namespace kb::net {

class Router {
 public:
  // Pattern examples: "/healthz", "/media/{token}", "/file/bot{token}/{path*}" is NOT supported:
  // a parameter always spans a whole segment.
  void add(std::string method, std::string pattern, Handler handler);

  struct Match {
    const Handler* handler = nullptr;  // null when status is 404 or 405
    int status = 404;                  // 200, 404 or 405
    std::map<std::string, std::string, std::less<>> params;
    std::string allow;    // for 405: the methods the path accepts
    std::string pattern;  // the matched route pattern (a low-cardinality metric label)
  };
  // HEAD matches a GET route when no HEAD route exists (the server then omits the body).
  Match match(std::string_view method, std::string_view path) const;

 private:
  struct Segment {
    std::string text;
    bool is_param = false;
    bool is_rest = false;
  };
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
    Handler handler;
  };
  static std::vector<Segment> parse_pattern(std::string_view pattern);
  static bool match_route(const Route& route, const std::vector<std::string_view>& parts,
                          std::map<std::string, std::string, std::less<>>& params);

  std::vector<Route> routes_;
};

}  // namespace kb::net
