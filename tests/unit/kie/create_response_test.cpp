// createTask answers from kie-api.md §2, §3.1, §7 and §9, one test per variant.
#include <string>

#include <gtest/gtest.h>

#include "kie/response_normalizer.hpp"

namespace kb::kie {
namespace {

void expect_failure(const KieResult<std::string>& r, FailureReason reason, Retry retry, int code) {
  ASSERT_FALSE(r.ok()) << "unexpected task id " << *r.value;
  EXPECT_EQ(failure_reason_name(r.failure.reason), failure_reason_name(reason));
  EXPECT_EQ(retry_name(r.failure.retry), retry_name(retry));
  EXPECT_EQ(r.failure.code, code);
}

TEST(CreateResponse, DocumentedSuccess) {
  auto r = normalize_create_response(
      200, R"({"code": 200, "msg": "success", "data": {"taskId": "task_ideogram_1765179916266"}})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r.value, "task_ideogram_1765179916266");
}

TEST(CreateResponse, KeepsTaskIdWhenRecordIdAlsoPresent) {
  auto r = normalize_create_response(
      200, R"({"code":200,"msg":"success","data":{"recordId":"rec-1","taskId":"e931f4f2aa"}})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r.value, "e931f4f2aa");
}

TEST(CreateResponse, FallsBackToRecordIdOnlyWhenNoTaskId) {
  auto r =
      normalize_create_response(200, R"({"code":200,"msg":"success","data":{"recordId":"r9"}})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r.value, "r9");
}

TEST(CreateResponse, SnakeCaseAndPlainIdAndNumericId) {
  EXPECT_EQ(*normalize_create_response(200, R"({"code":200,"data":{"task_id":"s1"}})").value, "s1");
  EXPECT_EQ(*normalize_create_response(200, R"({"code":200,"data":{"id":"i1"}})").value, "i1");
  EXPECT_EQ(*normalize_create_response(200, R"({"code":200,"data":{"taskId":12345}})").value,
            "12345");
}

TEST(CreateResponse, MessageKeyInsteadOfMsg) {
  auto r = normalize_create_response(
      200, R"({"code":422,"message":"The model name you specified is not supported","data":null})");
  expect_failure(r, FailureReason::invalid_request, Retry::never, 422);
  EXPECT_EQ(r.failure.detail, "The model name you specified is not supported");
}

TEST(CreateResponse, UnsupportedModelWithHttp200) {
  expect_failure(normalize_create_response(
                     200, R"({"code":422,"msg":"The model name you specified is not supported…",)"
                          R"("data":null})"),
                 FailureReason::invalid_request, Retry::never, 422);
}

TEST(CreateResponse, MissingInputAsCode500IsAValidationError) {
  expect_failure(normalize_create_response(200, R"({"code":500,"msg":"aspect_ratio is required"})"),
                 FailureReason::invalid_request, Retry::never, 500);
}

TEST(CreateResponse, OtherCode500WithHttp200IsAmbiguous) {
  expect_failure(normalize_create_response(
                     200, R"({"code":500,"msg":"Server Error - An unexpected error occurred",)"
                          R"("data":null})"),
                 FailureReason::outcome_unknown, Retry::ambiguous, 500);
}

TEST(CreateResponse, InsufficientCreditsWithHttp200) {
  expect_failure(normalize_create_response(200, R"({"code":402,"msg":"Insufficient credits"})"),
                 FailureReason::provider_out_of_credits, Retry::never, 402);
}

TEST(CreateResponse, RateLimitedWithHttp200) {
  expect_failure(
      normalize_create_response(
          200, R"({"code":429,"msg":"Your call frequency is too high. Please try again later.",)"
               R"("data":null})"),
      FailureReason::provider_busy, Retry::later, 429);
}

TEST(CreateResponse, MaintenanceWithHttp200) {
  expect_failure(normalize_create_response(200, R"({"code":455,"msg":"Service unavailable"})"),
                 FailureReason::provider_busy, Retry::later, 455);
}

TEST(CreateResponse, GenerationFailedWithHttp200) {
  expect_failure(normalize_create_response(200, R"({"code":501,"msg":"Generation failed"})"),
                 FailureReason::generation_failed, Retry::never, 501);
}

TEST(CreateResponse, FeatureDisabledWithHttp200) {
  expect_failure(normalize_create_response(200, R"({"code":505,"msg":"Feature disabled"})"),
                 FailureReason::model_unavailable, Retry::never, 505);
}

TEST(CreateResponse, AuthAndSubKeyLimitAndQueueFull) {
  expect_failure(
      normalize_create_response(200, R"({"code":401,"msg":"You do not have access permissions"})"),
      FailureReason::provider_auth_failed, Retry::never, 401);
  expect_failure(normalize_create_response(
                     200, R"({"code":433,"msg":"Request Limit - Sub-key Usage Exceeds Limit"})"),
                 FailureReason::provider_quota_exceeded, Retry::never, 433);
  expect_failure(normalize_create_response(200, R"({"code":550,"msg":"queue full"})"),
                 FailureReason::provider_busy, Retry::later, 550);
}

TEST(CreateResponse, RealHttpCodesWithEnvelope) {
  expect_failure(normalize_create_response(429, R"({"code":429,"msg":"Rate limit exceeded"})"),
                 FailureReason::provider_busy, Retry::later, 429);
  expect_failure(normalize_create_response(402, R"({"code":402,"msg":"Insufficient credits"})"),
                 FailureReason::provider_out_of_credits, Retry::never, 402);
  expect_failure(normalize_create_response(422, R"({"code":422,"msg":"bad"})"),
                 FailureReason::invalid_request, Retry::never, 422);
  expect_failure(normalize_create_response(455, R"({"code":455,"msg":"maintenance"})"),
                 FailureReason::provider_busy, Retry::later, 455);
  expect_failure(normalize_create_response(500, R"({"code":500,"msg":"Server Error"})"),
                 FailureReason::outcome_unknown, Retry::ambiguous, 500);
  expect_failure(normalize_create_response(501, R"({"code":501,"msg":"failed"})"),
                 FailureReason::generation_failed, Retry::never, 501);
  expect_failure(normalize_create_response(505, R"({"code":505,"msg":"disabled"})"),
                 FailureReason::model_unavailable, Retry::never, 505);
}

TEST(CreateResponse, HttpErrorWithBodyClaimingSuccessIsStillAnError) {
  expect_failure(
      normalize_create_response(502, R"({"code":200,"msg":"success","data":{"taskId":"x"}})"),
      FailureReason::outcome_unknown, Retry::ambiguous, 502);
}

TEST(CreateResponse, GarbageAfterSendingIsAmbiguous) {
  expect_failure(normalize_create_response(200, "<html>oops"), FailureReason::outcome_unknown,
                 Retry::ambiguous, 200);
  expect_failure(normalize_create_response(200, ""), FailureReason::outcome_unknown,
                 Retry::ambiguous, 200);
  expect_failure(normalize_create_response(502, "<html>Bad gateway</html>"),
                 FailureReason::outcome_unknown, Retry::ambiguous, 502);
  expect_failure(normalize_create_response(503, ""), FailureReason::outcome_unknown,
                 Retry::ambiguous, 503);
}

TEST(CreateResponse, SuccessWithoutTaskIdIsAmbiguous) {
  expect_failure(normalize_create_response(200, R"({"code":200,"msg":"success","data":null})"),
                 FailureReason::outcome_unknown, Retry::ambiguous, 200);
  expect_failure(normalize_create_response(200, R"({"code":200,"data":{"taskId":"has space"}})"),
                 FailureReason::outcome_unknown, Retry::ambiguous, 200);
}

TEST(CreateResponse, PlainTextRateLimitAndCloudflareRefusalAreClearlyNotAccepted) {
  expect_failure(normalize_create_response(429, "Too Many Requests"), FailureReason::provider_busy,
                 Retry::later, 429);
  expect_failure(normalize_create_response(403, "error code: 1010"),
                 FailureReason::provider_auth_failed, Retry::never, 403);
}

TEST(CreateResponse, HostileBodiesAreTypedErrorsNotCrashes) {
  std::string deep(100000, '[');
  expect_failure(normalize_create_response(200, deep), FailureReason::outcome_unknown,
                 Retry::ambiguous, 200);
  expect_failure(normalize_create_response(200, R"({"code":"abc","data":{"taskId":[1,2]}})"),
                 FailureReason::outcome_unknown, Retry::ambiguous, 200);
  expect_failure(normalize_create_response(200, R"({"code":1e400})"),
                 FailureReason::outcome_unknown, Retry::ambiguous, 200);
  expect_failure(normalize_create_response(200, "[1,2,3]"), FailureReason::outcome_unknown,
                 Retry::ambiguous, 200);
  expect_failure(normalize_create_response(200, "{\"code\":200,\"msg\":\"\xff\xfe\"}"),
                 FailureReason::outcome_unknown, Retry::ambiguous, 200);
}

TEST(CreateResponse, CodeAsNumericString) {
  expect_failure(normalize_create_response(200, R"({"code":"429","msg":"slow down"})"),
                 FailureReason::provider_busy, Retry::later, 429);
}

}  // namespace
}  // namespace kb::kie
