// recordInfo answers and task records (kie-api.md §3.2, §4.3, §4.4, §5), one test per variant.
#include <gtest/gtest.h>

#include "kie/response_normalizer.hpp"

namespace kb::kie {
namespace {

using Urls = std::vector<std::string>;

TaskRecord record_of(std::string_view body) {
  auto r = normalize_record_response(200, body);
  EXPECT_TRUE(r.ok()) << failure_reason_name(r.failure.reason) << ": " << r.failure.detail;
  return r.value.value_or(TaskRecord{});
}

TaskRecord data_of(std::string_view data_json) {
  return normalize_task_record(nlohmann::json::parse(data_json));
}

TEST(RecordResponse, DocumentedSuccessWithResultJsonString) {
  auto rec = record_of(R"({
    "code": 200, "msg": "success",
    "data": {
      "taskId": "task_12345678", "model": "grok-imagine/text-to-image", "state": "success",
      "param": "{\"model\":\"grok-imagine/text-to-image\",\"callBackUrl\":\"https://your-domain.com/api/callback\",\"input\":{\"prompt\":\"Cinematic portrait...\",\"aspect_ratio\":\"3:2\",\"image_url\":\"https://in.example/x.png\"}}",
      "resultJson": "{\"resultUrls\":[\"https://example.com/generated-content.jpg\"]}",
      "failCode": "", "failMsg": "", "costTime": 15000,
      "completeTime": 1698765432000, "createTime": 1698765400000, "updateTime": 1698765432000
    }})");
  EXPECT_EQ(rec.task_id, "task_12345678");
  EXPECT_EQ(rec.model, "grok-imagine/text-to-image");
  EXPECT_EQ(rec.state, TaskState::success);
  EXPECT_EQ(rec.result_urls, Urls{"https://example.com/generated-content.jpg"});
  EXPECT_TRUE(rec.extra_urls.empty()) << "input URLs in param must not count as outputs";
  EXPECT_EQ(rec.fail_code, "");
  EXPECT_EQ(rec.create_time_ms, 1698765400000);
  EXPECT_EQ(rec.complete_time_ms, 1698765432000);
  EXPECT_TRUE(rec.result.is_object());
}

TEST(RecordResponse, DocumentedFailureWithNullResultJson) {
  auto rec = record_of(
      R"({"code":200,"msg":"success","data":{"taskId":"bd3a37c523149e4adf45a3ddb5faf1a8",)"
      R"("model":"google/nano-banana-edit","state":"fail","failCode":"500",)"
      R"("failMsg":"Internal server error","resultJson":null,"costTime":0,)"
      R"("createTime":1755596341000,"completeTime":1755597081000,"param":"{}"}})");
  EXPECT_EQ(rec.state, TaskState::fail);
  EXPECT_EQ(rec.fail_code, "500");
  EXPECT_EQ(rec.fail_message, "Internal server error");
  EXPECT_EQ(rec.fail_reason, FailureReason::generation_failed);
  EXPECT_TRUE(rec.result_urls.empty());
  EXPECT_TRUE(rec.result.is_null());
}

TEST(RecordResponse, CallbackSuccessBodyWithNullFailFields) {
  auto rec = record_of(R"({"code":200,"msg":"Playground task completed successfully.","data":{
    "completeTime":1755599644000,"costTime":8,"createTime":1755599634000,
    "model":"google/nano-banana-edit","param":"{}",
    "resultJson":"{\"resultUrls\":[\"https://example.com/generated-image.jpg\"]}",
    "state":"success","taskId":"e989621f54392584b05867f87b160672","failCode":null,"failMsg":null}})");
  EXPECT_EQ(rec.state, TaskState::success);
  EXPECT_EQ(rec.fail_code, "");
  EXPECT_EQ(rec.fail_message, "");
  EXPECT_EQ(rec.result_urls, Urls{"https://example.com/generated-image.jpg"});
}

TEST(RecordResponse, ResultJsonAsObject) {
  auto rec = data_of(
      R"({"taskId":"t","state":"success","resultJson":{"resultUrls":["https://a/1.png","https://a/2.png"]}})");
  EXPECT_EQ(rec.result_urls, (Urls{"https://a/1.png", "https://a/2.png"}));
}

TEST(RecordResponse, ResponseAlreadyParsedWithSuccessFlagAndCredits) {
  auto rec = data_of(R"({"taskId":"t","successFlag":1,"creditsConsumed":3.0,
    "response":{"resultUrls":["https://a/v.mp4"]}})");
  EXPECT_EQ(rec.state, TaskState::success);
  EXPECT_EQ(rec.result_urls, Urls{"https://a/v.mp4"});
  ASSERT_TRUE(rec.credits_consumed);
  EXPECT_DOUBLE_EQ(*rec.credits_consumed, 3.0);
}

TEST(RecordResponse, ResultJsonStringAndResponseBothPresentAreDeduplicated) {
  auto rec = data_of(R"({"taskId":"t","state":"success",
    "resultJson":"{\"resultUrls\":[\"https://a/1.png\"]}",
    "response":{"resultUrls":["https://a/1.png"]}})");
  EXPECT_EQ(rec.result_urls, Urls{"https://a/1.png"});
}

TEST(RecordResponse, DocumentedStatesAreNonTerminalUntilSuccessOrFail) {
  EXPECT_EQ(data_of(R"({"state":"waiting"})").state, TaskState::waiting);
  EXPECT_EQ(data_of(R"({"state":"queuing"})").state, TaskState::queuing);
  EXPECT_EQ(data_of(R"({"state":"generating"})").state, TaskState::generating);
  EXPECT_EQ(data_of(R"({"state":"success"})").state, TaskState::success);
  EXPECT_EQ(data_of(R"({"state":"fail"})").state, TaskState::fail);
  for (auto s : {TaskState::waiting, TaskState::queuing, TaskState::generating, TaskState::unknown})
    EXPECT_FALSE(is_terminal(s));
}

TEST(RecordResponse, StateAliases) {
  EXPECT_EQ(data_of(R"({"state":"wait"})").state, TaskState::waiting);           // Runway
  EXPECT_EQ(data_of(R"({"state":"queueing"})").state, TaskState::queuing);       // Runway
  EXPECT_EQ(data_of(R"({"state":"processing"})").state, TaskState::generating);  // community
  EXPECT_EQ(data_of(R"({"state":"SUCCESS"})").state, TaskState::success);
  EXPECT_EQ(data_of(R"({"state":"Failed"})").state, TaskState::fail);
  EXPECT_EQ(data_of(R"({"state":"pending"})").state, TaskState::waiting);
  EXPECT_EQ(data_of(R"({"state":"completed"})").state, TaskState::success);
}

TEST(RecordResponse, UnknownStateIsNonTerminal) {
  auto rec = data_of(R"({"taskId":"t","state":"teleporting"})");
  EXPECT_EQ(rec.state, TaskState::unknown);
  EXPECT_EQ(rec.raw_state, "teleporting");
  EXPECT_FALSE(is_terminal(rec.state));
  EXPECT_EQ(data_of(R"({"taskId":"t"})").state, TaskState::unknown);
  EXPECT_EQ(data_of(R"({"state":42})").state, TaskState::unknown);
}

TEST(RecordResponse, SuccessFlagValues) {
  EXPECT_EQ(data_of(R"({"successFlag":0})").state, TaskState::generating);
  EXPECT_EQ(data_of(R"({"successFlag":1})").state, TaskState::success);
  EXPECT_EQ(data_of(R"({"successFlag":2})").state, TaskState::fail);
  EXPECT_EQ(data_of(R"({"successFlag":3})").state, TaskState::fail);
  EXPECT_EQ(data_of(R"({"successFlag":"1"})").state, TaskState::success);
  EXPECT_EQ(data_of(R"({"successFlag":9})").state, TaskState::unknown);
}

TEST(RecordResponse, SunoAndFourOStatusWords) {
  EXPECT_EQ(data_of(R"({"status":"PENDING"})").state, TaskState::waiting);
  EXPECT_EQ(data_of(R"({"status":"TEXT_SUCCESS"})").state, TaskState::generating);
  EXPECT_EQ(data_of(R"({"status":"FIRST_SUCCESS"})").state, TaskState::generating);
  EXPECT_EQ(data_of(R"({"status":"GENERATING"})").state, TaskState::generating);
  EXPECT_EQ(data_of(R"({"status":"CREATE_TASK_FAILED"})").state, TaskState::fail);
  EXPECT_EQ(data_of(R"({"status":"GENERATE_AUDIO_FAILED","errorCode":501})").fail_code, "501");
  auto sensitive = data_of(R"({"status":"SENSITIVE_WORD_ERROR"})");
  EXPECT_EQ(sensitive.state, TaskState::fail);
  EXPECT_EQ(sensitive.fail_reason, FailureReason::content_rejected);
}

TEST(RecordResponse, CallbackExceptionDependsOnWhetherAudioExists) {
  EXPECT_EQ(
      data_of(
          R"({"status":"CALLBACK_EXCEPTION","response":{"sunoData":[{"audioUrl":"https://a/1.mp3"}]}})")
          .state,
      TaskState::success);
  EXPECT_EQ(data_of(R"({"status":"CALLBACK_EXCEPTION","response":{"sunoData":[]}})").state,
            TaskState::fail);
}

TEST(RecordResponse, FailCodeAsNumberAndFailMsgNull) {
  auto rec = data_of(R"({"state":"fail","failCode":501,"failMsg":null})");
  EXPECT_EQ(rec.fail_code, "501");
  EXPECT_EQ(rec.fail_message, "");
  EXPECT_EQ(rec.fail_reason, FailureReason::generation_failed);
}

TEST(RecordResponse, FailCodesMapToReasons) {
  EXPECT_EQ(data_of(R"({"state":"fail","failCode":"451"})").fail_reason,
            FailureReason::input_unreachable);
  EXPECT_EQ(data_of(R"({"state":"fail","failCode":"400"})").fail_reason,
            FailureReason::content_rejected);
  EXPECT_EQ(data_of(R"({"state":"fail","failCode":"422"})").fail_reason,
            FailureReason::invalid_request);
  EXPECT_EQ(data_of(R"({"state":"fail","failCode":""})").fail_reason,
            FailureReason::generation_failed);
}

TEST(RecordResponse, ErrorCodeZeroOrNullMeansNone) {
  EXPECT_EQ(data_of(R"({"successFlag":1,"errorCode":null,"errorMessage":""})").fail_code, "");
  EXPECT_EQ(data_of(R"({"successFlag":1,"errorCode":0})").fail_code, "");
}

TEST(RecordResponse, SeedanceFramesAreExtras) {
  auto rec = data_of(
      R"({"state":"success","resultJson":"{\"resultUrls\":[\"https://a/v.mp4\"],\"firstFrameUrl\":[\"https://a/first.jpg\"],\"lastFrameUrl\":[\"https://a/last.jpg\"]}"})");
  EXPECT_EQ(rec.result_urls, Urls{"https://a/v.mp4"});
  EXPECT_EQ(rec.extra_urls, (Urls{"https://a/first.jpg", "https://a/last.jpg"}));
}

TEST(RecordResponse, TextOutputAsResultObject) {
  auto rec =
      data_of(R"({"state":"success","resultJson":"{\"resultObject\":{\"text\":\"hello\"}}"})");
  EXPECT_TRUE(rec.result_urls.empty());
  EXPECT_EQ(rec.result["resultObject"]["text"], "hello");
}

TEST(RecordResponse, SoraCharacterResult) {
  auto rec =
      data_of(R"({"state":"success","resultJson":"{\"character_id\":\"example_123456789\"}"})");
  EXPECT_EQ(rec.result["character_id"], "example_123456789");
  EXPECT_TRUE(rec.result_urls.empty());
}

TEST(RecordResponse, SunoThroughJobsResponseData) {
  auto rec = data_of(R"({"state":"success","response":{"data":[
    {"audio_url":"https://a/1.mp3","stream_audio_url":"https://a/s1","image_url":"https://a/c1.jpg","title":"A"},
    {"audio_url":"https://a/2.mp3","stream_audio_url":"https://a/s2","image_url":"https://a/c2.jpg","title":"B"}]}})");
  EXPECT_EQ(rec.result_urls, (Urls{"https://a/1.mp3", "https://a/2.mp3"}));
  EXPECT_EQ(rec.extra_urls.size(), 4u);
}

TEST(RecordResponse, SunoRecordInfoCamelCase) {
  auto rec =
      record_of(R"({"code":200,"msg":"success","data":{"taskId":"5c79be8e","parentMusicId":"",
    "param":"{\"prompt\":\"A calm piano track\"}",
    "response":{"taskId":"5c79be8e","sunoData":[{"id":"e231","audioUrl":"https://example.cn/1.mp3",
      "streamAudioUrl":"https://example.cn/s","imageUrl":"https://example.cn/1.jpeg","title":"T",
      "createTime":"2025-01-01 00:00:00","duration":198.44}]},
    "status":"SUCCESS","type":"GENERATE","errorCode":null,"errorMessage":null}})");
  EXPECT_EQ(rec.state, TaskState::success);
  EXPECT_EQ(rec.result_urls, Urls{"https://example.cn/1.mp3"});
}

TEST(RecordResponse, VeoRecordInfoWithDateStringsAndOrigins) {
  auto rec = record_of(R"({"code":200,"msg":"success","data":{
    "taskId":"veo_task_abcdef123456",
    "paramJson":"{\"prompt\":\"A futuristic city\"}",
    "completeTime":"2025-06-06 10:30:00",
    "response":{"taskId":"veo_task_abcdef123456","resultUrls":["http://example.com/video1.mp4"],
      "originUrls":["http://example.com/original_video1.mp4"],
      "fullResultUrls":["http://example.com/full_result.mp4"],"resolution":"1080p"},
    "successFlag":1,"errorCode":null,"errorMessage":"","createTime":"2025-06-06 10:25:00",
    "fallbackFlag":false}})");
  EXPECT_EQ(rec.state, TaskState::success);
  EXPECT_EQ(rec.result_urls, Urls{"http://example.com/video1.mp4"});
  EXPECT_EQ(rec.extra_urls.size(), 2u);
  EXPECT_EQ(rec.complete_time_ms, 1749205800000);  // 2025-06-06T10:30:00Z
  EXPECT_EQ(rec.create_time_ms, 1749205500000);
}

TEST(RecordResponse, FourOImageSnakeCaseAndStringProgress) {
  auto rec = data_of(R"({"taskId":"task12345","completeTime":1672574400000,
    "response":{"result_urls":["https://example.com/result/image1.png"]},
    "successFlag":1,"status":"SUCCESS","errorCode":null,"errorMessage":"",
    "createTime":1672561200000,"progress":"1.00"})");
  EXPECT_EQ(rec.state, TaskState::success);
  EXPECT_EQ(rec.result_urls, Urls{"https://example.com/result/image1.png"});
  EXPECT_EQ(rec.progress, 100);
  EXPECT_EQ(data_of(R"({"progress":"0.35"})").progress, 35);
  EXPECT_EQ(data_of(R"({"progress":42})").progress, 42);
}

TEST(RecordResponse, FluxOriginAndResultImage) {
  auto rec = data_of(R"({"successFlag":1,"response":{"originImageUrl":"https://a/origin.png",
    "resultImageUrl":"https://a/result.png"}})");
  EXPECT_EQ(rec.result_urls, Urls{"https://a/result.png"});
  EXPECT_EQ(rec.extra_urls, Urls{"https://a/origin.png"});
}

TEST(RecordResponse, RunwayVideoInfo) {
  auto rec = data_of(R"({"taskId":"3d8c-uuid","state":"success","videoInfo":{"videoId":"v",
    "taskId":"3d8c-uuid","videoUrl":"https://a/v.mp4","imageUrl":"https://a/thumb.jpg"},
    "failCode":null,"failMsg":"","expireFlag":0})");
  EXPECT_EQ(rec.result_urls, Urls{"https://a/v.mp4"});
  EXPECT_EQ(rec.extra_urls, Urls{"https://a/thumb.jpg"});
}

TEST(RecordResponse, RunwayCallbackSnakeCase) {
  auto rec = data_of(R"({"task_id":"r1","video_id":"v","video_url":"https://a/v.mp4",
    "image_url":"https://a/i.jpg"})");
  EXPECT_EQ(rec.task_id, "r1");
  EXPECT_EQ(rec.result_urls, Urls{"https://a/v.mp4"});
}

TEST(RecordResponse, MidjourneyResultInfoJsonObjectsAndIsoTimes) {
  auto rec = data_of(R"({"taskId":"4edb3c5","taskType":"mj_txt2img","paramJson":"{}",
    "completeTime":"2024-03-20T10:30:00Z",
    "resultInfoJson":{"resultUrls":[{"resultUrl":"https://t/a_0_0.jpeg"},{"resultUrl":"https://t/a_0_1.jpeg"}]},
    "successFlag":1,"createTime":"2024-03-20T10:30:00Z","errorCode":null,"errorMessage":null})");
  EXPECT_EQ(rec.state, TaskState::success);
  EXPECT_EQ(rec.result_urls, (Urls{"https://t/a_0_0.jpeg", "https://t/a_0_1.jpeg"}));
  EXPECT_EQ(rec.complete_time_ms, 1710930600000);
}

TEST(RecordResponse, VeoFourKCallbackInfo) {
  auto rec = data_of(
      R"({"taskId":"2b1b","creditsConsumed":120,"info":{"resultUrls":["https://a/4k.mp4"],"imageUrls":["https://a/4k.jpg"]}})");
  EXPECT_EQ(rec.result_urls, Urls{"https://a/4k.mp4"});
  EXPECT_EQ(rec.extra_urls, Urls{"https://a/4k.jpg"});
  EXPECT_EQ(rec.credits_consumed, 120.0);
}

TEST(RecordResponse, SingularResultUrlAndSnakeCaseList) {
  EXPECT_EQ(data_of(R"({"state":"success","resultJson":"{\"resultUrl\":\"https://a/1.png\"}"})")
                .result_urls,
            Urls{"https://a/1.png"});
  EXPECT_EQ(data_of(R"({"state":"success","resultJson":"{\"result_urls\":[\"https://a/2.png\"]}"})")
                .result_urls,
            Urls{"https://a/2.png"});
}

TEST(RecordResponse, OutputsArrayOfObjects) {
  auto rec = data_of(R"({"state":"success","resultJson":{"outputs":[{"url":"https://a/1.png"},
    {"imageUrl":"https://a/2.png"},{"videoUrl":"https://a/3.mp4","imageUrl":"https://a/3.jpg"}]}})");
  EXPECT_EQ(rec.result_urls, (Urls{"https://a/1.png", "https://a/2.png", "https://a/3.mp4"}));
  EXPECT_EQ(rec.extra_urls, Urls{"https://a/3.jpg"});
}

TEST(RecordResponse, MalformedResultJsonIsFlaggedNotFatal) {
  auto rec = data_of(R"({"taskId":"t","state":"success","resultJson":"{not json"})");
  EXPECT_EQ(rec.state, TaskState::success);
  EXPECT_TRUE(rec.result_unparseable);
  EXPECT_TRUE(rec.result_urls.empty());
  auto empty = data_of(R"({"taskId":"t","state":"waiting","resultJson":""})");
  EXPECT_FALSE(empty.result_unparseable);
}

TEST(RecordResponse, DocumentedErrors) {
  struct Case {
    int http;
    const char* body;
    FailureReason reason;
    Retry retry;
  };
  const Case cases[] = {
      {200, R"({"code":400,"msg":"taskId parameter is required"})", FailureReason::invalid_request,
       Retry::never},
      {200, R"({"code":401,"msg":"Unauthorized"})", FailureReason::provider_auth_failed,
       Retry::never},
      {200, R"({"code":404,"msg":"Task not found"})", FailureReason::task_not_found, Retry::never},
      {200, R"({"code":422,"msg":"recordInfo is null","data":null})", FailureReason::task_not_found,
       Retry::never},
      {200, R"({"code":429,"msg":"Rate limit exceeded"})", FailureReason::provider_busy,
       Retry::later},
      {200, R"({"code":500,"msg":"Server Error - An unexpected error occurred","data":null})",
       FailureReason::provider_unavailable, Retry::later},
      {404, R"({"code":404,"msg":"Task not found"})", FailureReason::task_not_found, Retry::never},
      {500, "<html>", FailureReason::provider_unavailable, Retry::later},
      {200, "not json", FailureReason::malformed_response, Retry::later},
      {200, R"({"code":200,"msg":"success","data":null})", FailureReason::malformed_response,
       Retry::later},
  };
  for (const auto& c : cases) {
    auto r = normalize_record_response(c.http, c.body);
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(failure_reason_name(r.failure.reason), failure_reason_name(c.reason)) << c.body;
    EXPECT_EQ(retry_name(r.failure.retry), retry_name(c.retry)) << c.body;
  }
}

TEST(RecordResponse, MessageKeyOnErrors) {
  auto r = normalize_record_response(200, R"({"code":422,"message":"recordInfo is null"})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure.detail, "recordInfo is null");
}

TEST(RecordResponse, EpochSecondsAreConvertedToMilliseconds) {
  EXPECT_EQ(data_of(R"({"createTime":1698765400})").create_time_ms, 1698765400000);
  EXPECT_EQ(data_of(R"({"createTime":"garbage"})").create_time_ms, std::nullopt);
}

}  // namespace
}  // namespace kb::kie
