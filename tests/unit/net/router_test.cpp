#include "net/router.hpp"

#include <gtest/gtest.h>

namespace kb::net {
namespace {

Handler noop() {
  return [](Request&) -> Task<Response> { co_return Response::text(200, ""); };
}

TEST(Router, MatchesStaticAndParameterisedPaths) {
  Router r;
  r.add("GET", "/healthz", noop());
  r.add("GET", "/media/{token}", noop());
  r.add("POST", "/kie/callback/{token}", noop());
  auto m = r.match("GET", "/media/abc.def");
  EXPECT_EQ(m.status, 200);
  EXPECT_EQ(m.params["token"], "abc.def");
  EXPECT_EQ(m.pattern, "/media/{token}");
  EXPECT_EQ(r.match("GET", "/healthz").status, 200);
  EXPECT_EQ(r.match("GET", "/healthz/extra").status, 404);
  EXPECT_EQ(r.match("GET", "/media").status, 404);
  EXPECT_EQ(r.match("GET", "/nothing").status, 404);
}

TEST(Router, WrongMethodIs405WithAllow) {
  Router r;
  r.add("POST", "/telegram/webhook", noop());
  r.add("PUT", "/telegram/webhook", noop());
  auto m = r.match("GET", "/telegram/webhook");
  EXPECT_EQ(m.status, 405);
  EXPECT_EQ(m.allow, "POST, PUT");
  EXPECT_EQ(m.handler, nullptr);
}

TEST(Router, HeadFallsBackToGet) {
  Router r;
  r.add("GET", "/media/{token}", noop());
  auto m = r.match("HEAD", "/media/t1");
  EXPECT_EQ(m.status, 200);
  EXPECT_EQ(m.params["token"], "t1");
}

TEST(Router, RestParameterTakesRemainingSegments) {
  Router r;
  r.add("GET", "/files/{path*}", noop());
  auto m = r.match("GET", "/files/a/b/c.jpg");
  EXPECT_EQ(m.status, 200);
  EXPECT_EQ(m.params["path"], "a/b/c.jpg");
  EXPECT_EQ(r.match("GET", "/files").status, 404);
}

TEST(Router, RejectsBadPatterns) {
  Router r;
  EXPECT_THROW(r.add("GET", "/a/{rest*}/b", noop()), std::invalid_argument);
  EXPECT_THROW(r.add("GET", "/a/{}", noop()), std::invalid_argument);
}

}  // namespace
}  // namespace kb::net
