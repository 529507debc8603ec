// Provider callbacks to the whole application: a wrong path token, a missing or bad HMAC, a stale
// or future timestamp, a signature for another task are refused (404 / 401) and wake nothing (the
// job is not looked up at the provider); a correctly signed callback does wake the job.
#include <thread>

#include <fmt/format.h>

#include "kie/callback_verifier.hpp"
#include "security_rig.hpp"

namespace kb::security_test {
namespace {

class SecurityKieCallback : public SecurityTest {
 protected:
  net::ClientResponse callback(const std::string& token, const std::string& body,
                               std::optional<std::string> timestamp,
                               std::optional<std::string> signature,
                               const std::string& query = "") {
    std::vector<std::pair<std::string, std::string>> headers{{"Content-Type", "application/json"}};
    if (timestamp) headers.emplace_back("X-Webhook-Timestamp", *timestamp);
    if (signature) headers.emplace_back("X-Webhook-Signature", *signature);
    return request("POST", "/kie/callback/" + token + query, body, std::move(headers));
  }
  int record_info_calls(const std::string& task_id) {
    auto t = kie().task(task_id);
    return t ? t->record_info_calls : -1;
  }
};
KB_SECURITY_BACKENDS(SecurityKieCallback);

TEST_P(SecurityKieCallback, ForgedCallbacksAreRefusedAndWakeNothing) {
  auto bob = user("Bob");
  auto job = start_job(bob, "a lighthouse at night");
  ASSERT_TRUE(job.kie_task_id);
  const auto task = *job.kie_task_id;
  // The runner checks a task with callbacks at the model's expected duration (15 s): until then
  // only a callback makes it ask the provider.
  const int calls_before = record_info_calls(task);
  ASSERT_GE(calls_before, 0);

  const auto body =
      fmt::format(R"({{"code":200,"msg":"success","data":{{"taskId":"{}","state":"success",)"
                  R"("resultJson":"{{\"resultUrls\":[\"https://evil.example/x.png\"]}}"}}}})",
                  task);
  const auto& key = config().kie_webhook_hmac_key;
  const auto now = std::to_string(clock_.now_seconds());
  const auto good_sig = kie::sign_callback(key, task, now);
  const auto token = callback_token();
  const auto query = "?job=" + std::to_string(job.id);

  auto wrong_token = token;
  wrong_token[3] = wrong_token[3] == 'A' ? 'B' : 'A';
  // Wrong path token: the same 404 as an unknown path, whatever the signature.
  for (const auto& t : {wrong_token, token.substr(1), token + "A", std::string("x"),
                        kie::derive_callback_token(config().bot_token),
                        kie::derive_callback_token(config().kie_api_key)}) {
    auto r = callback(t, body, now, good_sig, query);
    EXPECT_EQ(r.status, 404) << t;
    EXPECT_EQ(r.body, R"({"ok":false,"error":"not found"})");
  }
  EXPECT_EQ(request("GET", "/kie/callback/" + token).status, 404);

  // Right token, bad or missing signature: 401.
  const auto stale = std::to_string(clock_.now_seconds() - 301);
  const auto future = std::to_string(clock_.now_seconds() + 301);
  const std::vector<std::pair<std::optional<std::string>, std::optional<std::string>>> bad = {
      {std::nullopt, std::nullopt},
      {now, std::nullopt},
      {std::nullopt, good_sig},
      {now, ""},
      {now, "AAAA"},
      {now, kie::sign_callback("wrong-key", task, now)},
      {now, kie::sign_callback(key, task + "0", now)},            // another task
      {now, kie::sign_callback(key, task, now + "0")},            // another time
      {stale, kie::sign_callback(key, task, stale)},              // correctly signed, too old
      {future, kie::sign_callback(key, task, future)},            // correctly signed, too new
      {now + "000", kie::sign_callback(key, task, now + "000")},  // milliseconds
      {"-" + now, kie::sign_callback(key, task, "-" + now)},
      {"abc", kie::sign_callback(key, task, "abc")},
      {now, good_sig.substr(0, good_sig.size() - 2)},
  };
  for (const auto& [ts, sig] : bad) {
    auto r = callback(token, body, ts, sig, query);
    EXPECT_EQ(r.status, 401) << ts.value_or("<none>") << " / " << sig.value_or("<none>");
  }
  // Right token, signed, but the body names no task: 400.
  EXPECT_EQ(callback(token, R"({"data":{}})", now, good_sig, query).status, 400);
  EXPECT_EQ(callback(token, "not json", now, good_sig, query).status, 400);

  // Nothing above made the runner ask the provider or change the job.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(record_info_calls(task), calls_before);
  EXPECT_EQ(jobs(bob).front().state, job.state);
  EXPECT_EQ(count("jobs", "state = 'delivered'"), 0);

  // The genuine callback is accepted and wakes the job (so the refusals above were not vacuous);
  // even then the runner asks the provider instead of trusting the body.
  auto ok = callback(token, body, now, good_sig, query);
  EXPECT_EQ(ok.status, 200);
  EXPECT_TRUE(wait_for([&] { return record_info_calls(task) > calls_before; }));
  EXPECT_NE(jobs(bob).front().state, "delivered");
}

TEST_P(SecurityKieCallback, OversizedCallbackIs413AndTheServerKeepsServing) {
  const auto now = std::to_string(clock_.now_seconds());
  // Above the verifier's 1 MiB limit would exceed the server's body limit here (256 KiB): both
  // refuse with 413 before anything is parsed.
  std::string big = R"({"data":{"taskId":"abc"},"pad":")" + std::string(300 * 1024, 'x') + "\"}";
  auto r = request(
      "POST", "/kie/callback/" + callback_token(), big,
      {{"X-Webhook-Timestamp", now},
       {"X-Webhook-Signature", kie::sign_callback(config().kie_webhook_hmac_key, "abc", now)}});
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(request("GET", "/healthz").status, 200);
}

}  // namespace
}  // namespace kb::security_test
