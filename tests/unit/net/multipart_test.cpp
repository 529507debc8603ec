#include "net/multipart.hpp"

#include <gtest/gtest.h>

namespace kb::net {
namespace {

TEST(Multipart, ParsesFieldsAndFiles) {
  std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n42\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a b.png\"\r\n"
      "Content-Type: image/png\r\n\r\n\x89PNG\r\n--not-a-boundary\r\n"
      "--XyZ--\r\n";
  auto parts = parse_multipart(body, "XyZ");
  ASSERT_TRUE(parts) << parts.error().message;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "chat_id");
  EXPECT_EQ((*parts)[0].data, "42");
  EXPECT_FALSE((*parts)[0].filename.has_value());
  EXPECT_EQ((*parts)[1].filename.value(), "a b.png");
  EXPECT_EQ((*parts)[1].content_type, "image/png");
  EXPECT_EQ((*parts)[1].data, "\x89PNG\r\n--not-a-boundary");
}

TEST(Multipart, BoundaryFromContentType) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=abc").value(), "abc");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data; charset=x; boundary=\"q q\"").value(), "q q");
  EXPECT_FALSE(multipart_boundary("application/json").has_value());
  EXPECT_FALSE(multipart_boundary("multipart/form-data").has_value());
}

TEST(Multipart, MalformedBodiesAreErrors) {
  EXPECT_FALSE(parse_multipart("garbage", "b"));
  EXPECT_FALSE(parse_multipart("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nno end", "b"));
  EXPECT_FALSE(parse_multipart("--b\r\nX: y\r\n\r\nv\r\n--b--", "b"));
  EXPECT_FALSE(parse_multipart("--bjunk", "b"));
  auto empty = parse_multipart("--b--\r\n", "b");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST(Multipart, UrlEncoded) {
  auto v = parse_urlencoded("a=1&b=x%20y&c&d=%2B+");
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v[1].second, "x y");
  EXPECT_EQ(v[2].first, "c");
  EXPECT_EQ(v[3].second, "+ ");
}

}  // namespace
}  // namespace kb::net
