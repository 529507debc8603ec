// Credits, download-url and upload answers (kie-api.md §6), one test per variant.
#include <gtest/gtest.h>

#include "kie/response_normalizer.hpp"

namespace kb::kie {
namespace {

TEST(CreditsResponse, BareIntegerBalance) {
  auto r = normalize_credits_response(200, R"({"code":200,"msg":"success","data":100})");
  ASSERT_TRUE(r.ok());
  EXPECT_DOUBLE_EQ(*r.value, 100.0);
}

TEST(CreditsResponse, FractionalAndStringBalance) {
  EXPECT_DOUBLE_EQ(*normalize_credits_response(200, R"({"code":200,"data":12.5})").value, 12.5);
  EXPECT_DOUBLE_EQ(*normalize_credits_response(200, R"({"code":200,"data":"7"})").value, 7.0);
}

TEST(CreditsResponse, Errors) {
  auto unauthorized = normalize_credits_response(401, R"({"code":401,"msg":"Unauthorized"})");
  ASSERT_FALSE(unauthorized.ok());
  EXPECT_EQ(unauthorized.failure.reason, FailureReason::provider_auth_failed);
  auto no_balance = normalize_credits_response(200, R"({"code":200,"msg":"success","data":null})");
  ASSERT_FALSE(no_balance.ok());
  EXPECT_EQ(no_balance.failure.reason, FailureReason::malformed_response);
  EXPECT_EQ(no_balance.failure.retry, Retry::later);
  auto server = normalize_credits_response(200, R"({"code":500,"msg":"Server Error"})");
  EXPECT_EQ(server.failure.retry, Retry::later);
}

TEST(DownloadUrlResponse, BareStringData) {
  auto r = normalize_download_url_response(
      200, R"({"code":200,"msg":"success","data":"https://tempfile.1f6cxxxxbd98"})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r.value, "https://tempfile.1f6cxxxxbd98");
}

TEST(DownloadUrlResponse, ExternalUrlIs422) {
  auto r = normalize_download_url_response(200, R"({"code":422,"msg":"not a KIE url"})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure.reason, FailureReason::invalid_request);
  EXPECT_EQ(r.failure.retry, Retry::never);
}

TEST(DownloadUrlResponse, NonUrlDataIsMalformed) {
  auto r = normalize_download_url_response(200, R"({"code":200,"data":"ftp://x"})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure.reason, FailureReason::malformed_response);
}

TEST(UploadResponse, CurrentSchema) {
  auto r = normalize_upload_response(
      200, R"({"success":true,"code":200,"msg":"File uploaded successfully",
    "data":{"fileName":"uploaded-image.png","filePath":"images/user-uploads/uploaded-image.png",
    "downloadUrl":"https://tempfile.redpandaai.co/xxx/images/user-uploads/uploaded-image.png",
    "fileSize":154832,"mimeType":"image/png","uploadedAt":"2025-01-01T12:00:00.000Z"}})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->download_url,
            "https://tempfile.redpandaai.co/xxx/images/user-uploads/uploaded-image.png");
  EXPECT_EQ(r.value->file_name, "uploaded-image.png");
  EXPECT_EQ(r.value->file_path, "images/user-uploads/uploaded-image.png");
  EXPECT_EQ(r.value->size, 154832u);
  EXPECT_EQ(r.value->mime_type, "image/png");
}

TEST(UploadResponse, OlderQuickstartSchemaWithFileUrl) {
  auto r = normalize_upload_response(200, R"({"success":true,"code":200,"msg":"ok","data":{
    "fileId":"f1","fileName":"a.png","originalName":"a.png","fileSize":"10","mimeType":"image/png",
    "uploadPath":"images","fileUrl":"https://files.example/a.png","uploadTime":"x","expiresAt":"y"}})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->download_url, "https://files.example/a.png");
  EXPECT_EQ(r.value->size, 10u);
}

TEST(UploadResponse, Errors) {
  struct Case {
    int http;
    const char* body;
    FailureReason reason;
  };
  const Case cases[] = {
      {200, R"({"success":false,"code":400,"msg":"Missing required parameter: uploadPath"})",
       FailureReason::invalid_request},
      {200, R"({"success":false,"code":401,"msg":"Authentication failed: Invalid API Key"})",
       FailureReason::provider_auth_failed},
      {500, R"({"success":false,"code":500,"msg":"Internal server error"})",
       FailureReason::provider_unavailable},
      {405, "Method Not Allowed", FailureReason::invalid_request},
      {200, R"({"success":false,"code":200,"msg":"odd"})", FailureReason::malformed_response},
      {200, R"({"success":true,"code":200,"data":{}})", FailureReason::malformed_response},
  };
  for (const auto& c : cases) {
    auto r = normalize_upload_response(c.http, c.body);
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(failure_reason_name(r.failure.reason), failure_reason_name(c.reason)) << c.body;
  }
}

}  // namespace
}  // namespace kb::kie
