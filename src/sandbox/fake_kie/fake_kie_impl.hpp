// Internal state of FakeKie shared by its route files (not part of the public API).
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "net/http_client.hpp"
#include "net/http_server.hpp"
#include "net/router.hpp"
#include "sandbox/fake_kie/fake_kie.hpp"
#include "sandbox/fake_kie/fault_queue.hpp"
#include "sandbox/fake_kie/input_urls.hpp"
#include "sandbox/fake_kie/model_table.hpp"
#include "sandbox/fake_kie/rate_window.hpp"
#include "sandbox/fake_kie/task_record.hpp"

namespace kb::sandbox {

struct StoredUpload {
  std::string bytes;
  std::string mime_type;
  std::int64_t uploaded_ms = 0;
};

// A callback attempt ready to be sent (built under the lock, sent without it).
struct CallbackJob {
  std::string task_id;
  std::string url;
  std::string body;
  int delivery = 1;
  int attempt = 1;
};

struct FakeKie::Impl : std::enable_shared_from_this<FakeKie::Impl> {
  Impl(asio::io_context& io, net::HttpClient& client, FakeKieOptions options);

  asio::io_context& io;
  net::HttpClient& client;
  const FakeKieOptions options;
  SystemClock system_clock;
  Clock& clock;
  net::Router router;
  std::unique_ptr<net::HttpServer> server;
  std::string base;  // http://host:port
  std::atomic<bool> stopped{false};
  std::atomic<bool> drained{false};  // stop() has drained the server
  std::atomic<std::size_t> outbound{0};

  // Everything below is guarded by `mutex`; no co_await while it is held.
  mutable std::mutex mutex;
  ModelTable models = ModelTable::any();
  std::map<std::string, Lifecycle> lifecycles;  // by model id, "*" = default
  FaultQueue faults;
  SlidingWindow create_window;
  double credits = 0;
  std::map<std::string, TaskRecord> tasks;
  std::vector<std::string> task_order;  // creation order
  std::map<std::string, std::size_t, std::less<>> route_calls;
  std::vector<DownloadView> downloads;
  std::map<std::string, StoredUpload, std::less<>> uploads;  // by filePath
  std::vector<UploadView> upload_log;

  void add_routes();
  void add_job_routes();      // routes_jobs.cpp
  void add_account_routes();  // routes_account.cpp
  void add_file_routes();     // routes_files.cpp
  void add_upload_routes();   // routes_upload.cpp

  std::string files_base() const { return base + "/files"; }
  std::string uploads_base() const { return base + "/uploads"; }
  bool authorized(const net::Request& req) const;
  const Lifecycle& lifecycle_for_locked(const std::string& model) const;

  // Counts the call, takes its fault (if any) and applies its delay. Returns the fault reply
  // to send instead of the normal answer (Kind::none: answer normally).
  Task<FaultReply> enter_route(const std::string& route, bool& accept_then_fail);

  // Advances every task by the clock; collects callbacks that are due (marked in flight).
  void advance_all_locked(std::int64_t now_ms, std::vector<CallbackJob>& due);
  void advance_one_locked(TaskRecord& task, std::int64_t now_ms);
  void tick();
  void spawn_callback(CallbackJob job);                                         // outbound.cpp
  void spawn_input_downloads(std::string task_id, std::vector<InputUrl> urls);  // outbound.cpp
  Task<Result<net::ClientResponse>> fetch(std::string url);                     // outbound.cpp
};

}  // namespace kb::sandbox
