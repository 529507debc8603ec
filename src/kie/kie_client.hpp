// The KIE.ai HTTP client: createTask, recordInfo, credits, download-url and file uploads, with
// Bearer auth, a User-Agent, an account-wide create budget, and per-endpoint retry rules.
//
// Retry rules (kie-api.md §9): createTask is retried (with backoff) only when it clearly was not
// accepted — never sent (connect failure), 429, 455, 550 — and returns CreateOutcome::ambiguous
// when the request may have reached the provider (timeout or broken connection after sending,
// 5xx, an unreadable or incomplete 200). Read-only calls are retried on every transient failure;
// recordInfo also on 404/422 within a grace window after the task's creation.
//
// The API key is only ever placed into the Authorization header; it never appears in a log line,
// an error detail or a URL.
#pragma once

#include <chrono>
#include <mutex>
#include <random>
#include <string>

#include "core/clock.hpp"
#include "kie/backoff.hpp"
#include "kie/create_budget.hpp"
#include "kie/kie_api.hpp"
#include "kie/sleeper.hpp"
#include "net/http_client.hpp"

namespace kb::kie {

struct KieClientOptions {
  std::string api_key;
  std::string base_url = "https://api.kie.ai";
  std::string upload_base_url = "https://kieai.redpandaai.co";
  std::string user_agent = "kiebot";  // the app sets "kiebot/<version>"
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds request_timeout{30'000};
  std::chrono::milliseconds upload_timeout{300'000};
  BackoffPolicy create_backoff{std::chrono::milliseconds(1'000), 2.0,
                               std::chrono::milliseconds(8'000), 4, 0.2};
  BackoffPolicy query_backoff{std::chrono::milliseconds(1'000), 2.0,
                              std::chrono::milliseconds(8'000), 4, 0.2};
  std::chrono::milliseconds not_found_grace{30'000};   // recordInfo 404/422 after create
  std::chrono::milliseconds max_budget_wait{120'000};  // waiting for a create slot, then busy
};

class KieClient final : public KieApi {
 public:
  // All references must outlive the client.
  KieClient(net::HttpClient& http, KieClientOptions options, CreateBudget& budget, Sleeper& sleeper,
            const Clock& clock);

  Task<CreateResult> create_task(CreateTaskRequest request) override;
  Task<KieResult<TaskRecord>> record_info(RecordQuery query) override;
  Task<KieResult<double>> credits() override;
  Task<KieResult<std::string>> download_url(std::string file_url) override;
  Task<KieResult<UploadedFile>> upload_file(FileUpload upload) override;
  Task<KieResult<UploadedFile>> upload_url(UrlUpload upload) override;

  const KieClientOptions& options() const { return options_; }

 private:
  net::ClientRequest make_request(std::string method, std::string url, std::string json_body,
                                  std::chrono::milliseconds timeout) const;
  // Waits for a create slot; false when the wait would exceed max_budget_wait.
  Task<bool> acquire_create_slot();
  std::chrono::milliseconds retry_delay(const BackoffPolicy& policy, int attempt,
                                        const net::ClientResponse* response);
  // Sends `request` with read-only retry semantics and normalizes each answer with `normalize`.
  template <class T, class Normalize>
  Task<KieResult<T>> send_with_retries(Endpoint endpoint, net::ClientRequest request,
                                       Normalize normalize);

  net::HttpClient& http_;
  KieClientOptions options_;
  CreateBudget& budget_;
  Sleeper& sleeper_;
  const Clock& clock_;
  std::mutex random_mutex_;
  std::minstd_rand random_;
};

}  // namespace kb::kie
