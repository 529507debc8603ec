// MIME type screening: what may be stored and repeated in headers and upload requests.
#include <gtest/gtest.h>

#include <string>

#include "core/mime_type.hpp"

namespace kb {
namespace {

TEST(MimeType, PlainTypesPass) {
  for (std::string_view ok :
       {"image/jpeg", "application/pdf", "video/mp4", "audio/x-wav",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "image/svg+xml"})
    EXPECT_TRUE(is_plain_mime_type(ok)) << ok;
}

TEST(MimeType, AnythingThatCouldCarryHeadersOrParametersFails) {
  using namespace std::string_literals;
  for (const auto& bad :
       {""s, "image"s, "/jpeg"s, "image/"s, "image/jpeg\r\nSet-Cookie: a=1"s, "image/jpeg\n"s,
        "image/jp\0eg"s, "text/html; charset=utf-8"s, "image /jpeg"s, "image/jpeg/x"s,
        "image/" + std::string(200, 'a'), "тип/подтип"s})
    EXPECT_FALSE(is_plain_mime_type(bad)) << bad;
}

}  // namespace
}  // namespace kb
