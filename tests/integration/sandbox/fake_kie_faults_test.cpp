// Fault injection in the fake KIE server: business codes with HTTP 200, real HTTP errors,
// malformed JSON, cut connections, slow answers and "accepted, then the answer failed".
#include "fake_kie_fixture.hpp"

namespace kb::sandbox::test {
namespace {

TEST_F(FakeKieTest, BusinessCodesArriveWithHttp200) {
  start();
  for (int code : {402, 422, 429, 433, 455, 500, 501, 505}) {
    Fault f;
    f.code = code;
    kie->fail_next("createTask", f);
    auto r = create(z_image());
    EXPECT_EQ(r.status, 200) << code;
    auto j = body_of(r);
    EXPECT_EQ(j["code"], code);
    EXPECT_TRUE(j["msg"].is_string() && !j["msg"].get<std::string>().empty());
    EXPECT_TRUE(j["data"].is_null());
  }
  EXPECT_TRUE(kie->tasks().empty());  // a refused call creates nothing
  create_ok(z_image());               // faults were one-shot
}

TEST_F(FakeKieTest, RealHttpStatusesAndCustomMessages) {
  start();
  Fault f;
  f.http_status = 503;
  kie->fail_next("recordInfo", f);
  auto r = must_send(api("GET", "/api/v1/jobs/recordInfo?taskId=x"));
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(body_of(r)["code"], 503);

  Fault limited;
  limited.http_status = 429;
  limited.code = 429;
  limited.msg = "Rate limit exceeded";
  kie->fail_next("credit", limited, 2);
  for (int i = 0; i < 2; ++i) {
    auto c = must_send(api("GET", "/api/v1/chat/credit"));
    EXPECT_EQ(c.status, 429);
    EXPECT_EQ(body_of(c)["msg"], "Rate limit exceeded");
  }
  EXPECT_EQ(must_send(api("GET", "/api/v1/chat/credit")).status, 200);
  EXPECT_EQ(kie->calls("credit"), 3u);
  EXPECT_EQ(kie->calls("recordInfo"), 1u);
}

TEST_F(FakeKieTest, MalformedJsonBody) {
  start();
  Fault f;
  f.malformed_json = true;
  kie->fail_next("createTask", f);
  auto r = create(z_image());
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(nlohmann::json::parse(r.body, nullptr, false).is_discarded()) << r.body;
  EXPECT_TRUE(kie->tasks().empty());
}

TEST_F(FakeKieTest, CutConnectionIsAnAmbiguousTransportError) {
  start();
  Fault f;
  f.close_without_response = true;
  kie->fail_next("createTask", f);
  auto r = send(api("POST", "/api/v1/jobs/createTask", z_image().dump()));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::upstream) << r.error().describe();
  EXPECT_TRUE(kie->tasks().empty());
  EXPECT_EQ(kie->create_calls(), 1u);
}

TEST_F(FakeKieTest, AcceptThenFailCreatesTheTaskButAnswersWithTheFault) {
  start();
  Fault f;
  f.close_without_response = true;
  f.accept_then_fail = true;
  kie->fail_next("createTask", f);
  auto r = send(api("POST", "/api/v1/jobs/createTask", z_image().dump()));
  EXPECT_FALSE(r);
  auto tasks = kie->tasks();
  ASSERT_EQ(tasks.size(), 1u);  // the task exists and runs although the caller saw an error
  EXPECT_TRUE(tasks[0].answered_with_fault);
  clock.advance(2s);
  EXPECT_EQ(kie->task(tasks[0].task_id)->state, "success");

  Fault server_error;
  server_error.http_status = 502;
  server_error.accept_then_fail = true;
  kie->fail_next("createTask", server_error);
  EXPECT_EQ(create(z_image()).status, 502);
  EXPECT_EQ(kie->tasks().size(), 2u);
}

TEST_F(FakeKieTest, SlowAnswerTimesOutAfterTheRequestWasSent) {
  start();
  Fault f;
  f.delay_ms = 600;  // only a delay: the call is processed normally, but late
  kie->fail_next("createTask", f);
  auto request = api("POST", "/api/v1/jobs/createTask", z_image().dump());
  request.timeout = 200ms;
  auto r = send(request);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::timeout) << r.error().describe();
  EXPECT_TRUE(wait_until([&] { return kie->tasks().size() == 1; }));  // processed after the delay
  EXPECT_EQ(kie->create_calls(), 1u);
}

TEST_F(FakeKieTest, DelayOnlySlowsTheNormalAnswer) {
  start();
  Fault f;
  f.delay_ms = 150;
  kie->fail_next("credit", f);
  auto started = std::chrono::steady_clock::now();
  auto r = must_send(api("GET", "/api/v1/chat/credit"));
  EXPECT_GE(std::chrono::steady_clock::now() - started, 150ms);
  EXPECT_EQ(body_of(r)["code"], 200);
}

TEST_F(FakeKieTest, UploadFaultsUseTheUploadShape) {
  start();
  Fault f;
  f.code = 500;
  f.msg = "Internal server error";
  kie->fail_next("upload", f);
  auto r = must_send(
      api("POST", "/api/file-base64-upload", R"({"base64Data":"aGVsbG8=","uploadPath":"images"})"));
  auto j = body_of(r);
  EXPECT_EQ(j["success"], false);
  EXPECT_EQ(j["code"], 500);
  EXPECT_EQ(j["msg"], "Internal server error");
  EXPECT_TRUE(kie->uploads().empty());
}

}  // namespace
}  // namespace kb::sandbox::test
