// Fake KIE jobs API over real HTTP: createTask and recordInfo shapes, errors, lifecycle by clock,
// rate limit, credits and download-url.
#include <regex>

#include "fake_kie_fixture.hpp"

namespace kb::sandbox::test {
namespace {

TEST_F(FakeKieTest, CreateTaskAnswersWith32HexTaskIdAndSameRecordId) {
  start();
  auto r = create(z_image());
  EXPECT_EQ(r.status, 200);
  auto j = body_of(r);
  EXPECT_EQ(j["code"], 200);
  EXPECT_EQ(j["msg"], "success");
  auto id = j["data"]["taskId"].get<std::string>();
  EXPECT_TRUE(std::regex_match(id, std::regex("[0-9a-f]{32}"))) << id;
  EXPECT_EQ(j["data"]["recordId"], id);

  auto tasks = kie->tasks();
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0].task_id, id);
  EXPECT_EQ(tasks[0].model, "z-image");
  EXPECT_EQ(tasks[0].input["prompt"], "a cat");
  EXPECT_EQ(kie->create_calls(), 1u);
}

TEST_F(FakeKieTest, WrongKeyIsRefusedWithHttp200ByDefault) {
  start();
  for (const char* key : {"wrong-key", ""}) {
    auto r = create(z_image(), key);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(body_of(r),
              nlohmann::json::parse(
                  R"({"code":401,"msg":"You do not have access permissions","data":null})"));
  }
  auto rec = must_send(api("GET", "/api/v1/jobs/recordInfo?taskId=x", "", "nope"));
  EXPECT_EQ(body_of(rec)["code"], 401);
  auto credit = must_send(api("GET", "/api/v1/chat/credit", "", "nope"));
  EXPECT_EQ(body_of(credit)["code"], 401);
  EXPECT_TRUE(kie->tasks().empty());
  EXPECT_EQ(kie->create_calls(), 2u);
}

TEST_F(FakeKieTest, WrongKeyAsHttp401WhenConfigured) {
  FakeKieOptions o;
  o.auth_error_as_http_401 = true;
  start(o);
  auto r = create(z_image(), "wrong");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(body_of(r)["code"], 401);
}

TEST_F(FakeKieTest, UnknownModelIsA422WithHttp200) {
  start();
  auto r = create({{"model", "no/such-model"}, {"input", {{"prompt", "x"}}}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(
      body_of(r),
      nlohmann::json::parse(
          R"({"code":422,"msg":"The model name you specified is not supported","data":null})"));
  EXPECT_TRUE(kie->tasks().empty());
}

TEST_F(FakeKieTest, MissingRequiredInputFromTheCatalogIsA500) {
  start();  // default model table: the shipped catalog (z-image requires aspect_ratio)
  auto r = create({{"model", "z-image"}, {"input", {{"prompt", "x"}}}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(body_of(r),
            nlohmann::json::parse(R"({"code":500,"msg":"aspect_ratio is required","data":null})"));
  auto empty = create({{"model", "z-image"}, {"input", {{"prompt", ""}, {"aspect_ratio", "1:1"}}}});
  EXPECT_EQ(body_of(empty)["msg"], "prompt is required");
  EXPECT_TRUE(kie->tasks().empty());
}

TEST_F(FakeKieTest, ConfiguredModelTableAndAcceptAny) {
  FakeKieOptions o;
  o.models = std::vector<FakeModel>{{"my/model", {"text"}, {}, "audio"}};
  start(o);
  EXPECT_EQ(body_of(create(z_image()))["code"], 422);
  EXPECT_EQ(body_of(create({{"model", "my/model"}, {"input", nlohmann::json::object()}}))["msg"],
            "text is required");
  auto id = create_ok({{"model", "my/model"}, {"input", {{"text", "hello"}}}});
  clock.advance(2s);
  auto rec = record(id);
  auto urls = nlohmann::json::parse(rec["data"]["resultJson"].get<std::string>())["resultUrls"];
  ASSERT_EQ(urls.size(), 1u);
  EXPECT_TRUE(urls[0].get<std::string>().ends_with(".wav"));

  kie->set_models({});
  EXPECT_EQ(body_of(create({{"model", "my/model"}, {"input", {{"text", "hello"}}}}))["code"], 422);
}

TEST_F(FakeKieTest, MalformedCreateBodyIsRefused) {
  FakeKieOptions o;
  o.accept_any_model = true;
  start(o);
  auto r = must_send(api("POST", "/api/v1/jobs/createTask", "{not json"));
  EXPECT_EQ(body_of(r)["code"], 400);
  EXPECT_EQ(body_of(create({{"input", {{"prompt", "x"}}}}))["code"], 422);  // no model
  EXPECT_EQ(body_of(create({{"model", "anything/goes"}}))["code"], 200);
}

TEST_F(FakeKieTest, RecordInfoErrors) {
  start();
  auto missing = must_send(api("GET", "/api/v1/jobs/recordInfo"));
  EXPECT_EQ(missing.status, 200);
  EXPECT_EQ(body_of(missing)["code"], 400);
  EXPECT_EQ(body_of(missing)["msg"], "taskId parameter is required");
  EXPECT_EQ(record("0123456789abcdef0123456789abcdef"),
            nlohmann::json::parse(R"({"code":422,"msg":"recordInfo is null","data":null})"));
}

TEST_F(FakeKieTest, LifecycleFollowsTheClockToSuccess) {
  start();
  const auto t0 = clock.now_ms();
  auto request = z_image("a red fox", "http://127.0.0.1:9/never");
  kie->set_lifecycle("z-image", lifecycle_with([](Lifecycle& l) { l.callbacks = 0; }));
  auto id = create_ok(request);
  kie->set_credits(100);

  auto rec = record(id);
  EXPECT_EQ(rec["code"], 200);
  EXPECT_EQ(rec["msg"], "success");
  auto d = rec["data"];
  EXPECT_EQ(d["taskId"], id);
  EXPECT_EQ(d["model"], "z-image");
  EXPECT_EQ(d["state"], "waiting");
  EXPECT_EQ(nlohmann::json::parse(d["param"].get<std::string>()), request);
  EXPECT_EQ(d["createTime"], t0);

  clock.advance(250ms);
  EXPECT_EQ(record(id)["data"]["state"], "queuing");
  clock.advance(200ms);
  EXPECT_EQ(record(id)["data"]["state"], "generating");
  clock.advance(600ms);
  d = record(id)["data"];
  EXPECT_EQ(d["state"], "success");
  EXPECT_EQ(d["completeTime"], t0 + 1000);
  EXPECT_EQ(d["costTime"], 1000);
  EXPECT_EQ(d["creditsConsumed"], 1.0);
  EXPECT_EQ(d["failCode"], "");
  auto result = nlohmann::json::parse(d["resultJson"].get<std::string>());
  ASSERT_EQ(result["resultUrls"].size(), 1u);
  EXPECT_EQ(result["resultUrls"][0], kie->base_url() + "/files/" + id + "/0.png");

  auto view = kie->task(id);
  ASSERT_TRUE(view);
  EXPECT_EQ(view->record_info_calls, 4);
  EXPECT_EQ(view->state, "success");
  EXPECT_DOUBLE_EQ(kie->credits(), 99);
}

TEST_F(FakeKieTest, FailingLifecycleReportsCodeAndMessageAndIsNotBilled) {
  start();
  Lifecycle lc;
  lc.fail = true;
  lc.fail_code = "501";
  lc.fail_msg = "Generation failed";
  kie->set_lifecycle("*", lc);
  auto id = create_ok(z_image());
  const double before = kie->credits();
  clock.advance(5s);
  auto d = record(id)["data"];
  EXPECT_EQ(d["state"], "fail");
  EXPECT_EQ(d["failCode"], "501");
  EXPECT_EQ(d["failMsg"], "Generation failed");
  EXPECT_TRUE(d["resultJson"].is_null());
  EXPECT_DOUBLE_EQ(kie->credits(), before);
}

TEST_F(FakeKieTest, PerTaskLifecycleOverridesTheModelOne) {
  start();
  auto a = create_ok(z_image("one"));
  auto b = create_ok(z_image("two"));
  Lifecycle slow;
  slow.finish_after_ms = 60'000;
  EXPECT_TRUE(kie->set_task_lifecycle(b, slow));
  EXPECT_FALSE(kie->set_task_lifecycle("nope", slow));
  clock.advance(2s);
  EXPECT_EQ(record(a)["data"]["state"], "success");
  EXPECT_EQ(record(b)["data"]["state"], "generating");
}

TEST_F(FakeKieTest, InvisibleRightAfterCreate) {
  start();
  kie->set_lifecycle("*", lifecycle_with([](Lifecycle& l) { l.invisible_for_ms = 500; }));
  auto id = create_ok(z_image());
  EXPECT_EQ(record(id)["msg"], "recordInfo is null");
  clock.advance(499ms);
  EXPECT_EQ(record(id)["code"], 422);
  clock.advance(1ms);
  EXPECT_EQ(record(id)["code"], 200);
}

TEST_F(FakeKieTest, MessageKeyAndResultJsonObjectVariants) {
  start();
  Lifecycle lc;
  lc.use_message_key = true;
  lc.result_json_as_object = true;
  lc.outputs = 3;
  kie->set_lifecycle("z-image", lc);
  auto r = body_of(create(z_image()));
  EXPECT_EQ(r["message"], "success");
  EXPECT_FALSE(r.contains("msg"));
  clock.advance(2s);
  auto rec = record(r["data"]["taskId"].get<std::string>());
  EXPECT_EQ(rec["message"], "success");
  ASSERT_TRUE(rec["data"]["resultJson"].is_object());
  EXPECT_EQ(rec["data"]["resultJson"]["resultUrls"].size(), 3u);
}

TEST_F(FakeKieTest, RateLimitAfterTwentyCreatesInTenSeconds) {
  start();
  for (int i = 0; i < 20; ++i) {
    create_ok(z_image());
    clock.advance(100ms);
  }
  auto r = create(z_image());
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(
      body_of(r),
      nlohmann::json::parse(
          R"({"code":429,"msg":"Your call frequency is too high. Please try again later.","data":null})"));
  EXPECT_EQ(kie->tasks().size(), 20u);
  EXPECT_EQ(kie->create_calls(), 21u);
  clock.advance(8100ms);  // the first create leaves the 10 s window
  create_ok(z_image());
}

TEST_F(FakeKieTest, RateLimitAsHttp429WhenConfigured) {
  FakeKieOptions o;
  o.create_limit_per_10s = 1;
  o.rate_limit_as_http_429 = true;
  start(o);
  create_ok(z_image());
  auto r = create(z_image());
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(body_of(r)["code"], 429);
}

TEST_F(FakeKieTest, CreditsAreDebitedOnSuccessAndEmptyBalanceRefusesCreates) {
  start();
  kie->set_credits(2.5);
  kie->set_lifecycle("*", lifecycle_with([](Lifecycle& l) { l.credits = 2.5; }));
  auto balance = body_of(must_send(api("GET", "/api/v1/chat/credit")));
  EXPECT_EQ(balance, nlohmann::json::parse(R"({"code":200,"msg":"success","data":2.5})"));
  create_ok(z_image());
  clock.advance(2s);
  balance = body_of(must_send(api("GET", "/api/v1/chat/credit")));
  EXPECT_EQ(balance["data"], 0);
  EXPECT_EQ(body_of(create(z_image()))["code"], 402);
  kie->set_credits(100);
  EXPECT_EQ(body_of(must_send(api("GET", "/api/v1/chat/credit"))).dump(),
            R"({"code":200,"data":100,"msg":"success"})");
}

TEST_F(FakeKieTest, DownloadUrlOnlyForFilesOfTheFake) {
  start();
  auto id = create_ok(z_image());
  clock.advance(2s);
  auto url =
      nlohmann::json::parse(record(id)["data"]["resultJson"].get<std::string>())["resultUrls"][0]
          .get<std::string>();
  auto ok = body_of(
      must_send(api("POST", "/api/v1/common/download-url", nlohmann::json{{"url", url}}.dump())));
  EXPECT_EQ(ok["code"], 200);
  ASSERT_TRUE(ok["data"].is_string());
  EXPECT_EQ(ok["data"], url);
  auto external = body_of(must_send(
      api("POST", "/api/v1/common/download-url", R"({"url":"https://example.com/cat.png"})")));
  EXPECT_EQ(external["code"], 422);
  EXPECT_TRUE(external["data"].is_null());
  EXPECT_EQ(body_of(must_send(api("POST", "/api/v1/common/download-url", "{}")))["code"], 422);
}

}  // namespace
}  // namespace kb::sandbox::test
