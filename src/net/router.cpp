// Route matching.
#include "net/router.hpp"

#include <stdexcept>

namespace kb::net {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    auto j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    parts.push_back(path.substr(i, j - i));
    i = j;
  }
  return parts;
}

}  // namespace

std::vector<Router::Segment> Router::parse_pattern(std::string_view pattern) {
  std::vector<Segment> segments;
  auto parts = split_path(pattern);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    auto p = parts[i];
    Segment s;
    if (p.size() >= 2 && p.front() == '{' && p.back() == '}') {
      s.is_param = true;
      s.text = std::string(p.substr(1, p.size() - 2));
      if (!s.text.empty() && s.text.back() == '*') {
        if (i + 1 != parts.size()) throw std::invalid_argument("rest parameter must be last");
        s.is_rest = true;
        s.text.pop_back();
      }
      if (s.text.empty()) throw std::invalid_argument("empty parameter name in route pattern");
    } else {
      s.text = std::string(p);
    }
    segments.push_back(std::move(s));
  }
  return segments;
}

void Router::add(std::string method, std::string pattern, Handler handler) {
  auto segments = parse_pattern(pattern);
  routes_.push_back(
      Route{std::move(method), std::move(pattern), std::move(segments), std::move(handler)});
}

bool Router::match_route(const Route& route, const std::vector<std::string_view>& parts,
                         std::map<std::string, std::string, std::less<>>& params) {
  params.clear();
  const auto& segs = route.segments;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const auto& s = segs[i];
    if (s.is_rest) {
      if (i >= parts.size()) return false;
      std::string rest;
      for (std::size_t k = i; k < parts.size(); ++k) {
        if (!rest.empty()) rest.push_back('/');
        rest.append(parts[k]);
      }
      params[s.text] = std::move(rest);
      return true;
    }
    if (i >= parts.size()) return false;
    if (s.is_param) {
      params[s.text] = std::string(parts[i]);
    } else if (s.text != parts[i]) {
      return false;
    }
  }
  return segs.size() == parts.size();
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  Match result;
  auto parts = split_path(path);
  std::map<std::string, std::string, std::less<>> params;
  const Route* get_fallback = nullptr;
  std::map<std::string, std::string, std::less<>> get_params;
  for (const auto& route : routes_) {
    if (!match_route(route, parts, params)) continue;
    if (route.method == method) {
      result.handler = &route.handler;
      result.status = 200;
      result.pattern = route.pattern;
      result.params = std::move(params);
      return result;
    }
    if (method == "HEAD" && route.method == "GET" && !get_fallback) {
      get_fallback = &route;
      get_params = params;
    }
    if (result.allow.find(route.method) == std::string::npos) {
      if (!result.allow.empty()) result.allow += ", ";
      result.allow += route.method;
    }
  }
  if (get_fallback) {
    result.handler = &get_fallback->handler;
    result.status = 200;
    result.pattern = get_fallback->pattern;
    result.params = std::move(get_params);
    result.allow.clear();
    return result;
  }
  result.status = result.allow.empty() ? 404 : 405;
  return result;
}

}  // namespace kb::net
