// A faithful local stand-in for the KIE.ai API (jobs, credits, download-url, file upload, result
// files, callbacks) on real HTTP, used by integration tests and by `kiebot sandbox`.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/asio.hpp"
#include "core/result.hpp"
#include "net/http_client.hpp"
#include "sandbox/fake_kie/fake_kie_types.hpp"

namespace kb::sandbox {

class FakeKie {
 public:
  // `client` sends callbacks and downloads input URLs; it must outlive this object (or stop()).
  FakeKie(asio::io_context& io, net::HttpClient& client, FakeKieOptions options = {});
  // Stops the timer and the listener; in-flight connections are drained in the background.
  ~FakeKie();
  FakeKie(const FakeKie&) = delete;
  FakeKie& operator=(const FakeKie&) = delete;

  // Listens on host:port (0 = a free port) and starts the background tick. Returns the port.
  Result<std::uint16_t> start(const std::string& host = "127.0.0.1", std::uint16_t port = 0);
  // Closes the listener, drains connections and waits (up to `grace`) for outgoing callbacks and
  // downloads; afterwards nothing more is sent. Await it before destroying `client`.
  Task<void> stop(std::chrono::milliseconds grace = std::chrono::milliseconds(1000));

  // http://127.0.0.1:<port>: the API, the upload routes (/api/file-*-upload), result files
  // (/files/<taskId>/<n>.<ext>) and uploaded files (/uploads/<filePath>).
  std::string base_url() const;

  // `model_or_star`: a model id, or "*" for the default of every model without its own. Applies
  // to tasks created afterwards (each task keeps a copy of its lifecycle).
  void set_lifecycle(const std::string& model_or_star, Lifecycle lifecycle);
  // Replaces the lifecycle of one existing task (offsets still count from its createTime).
  // Returns false for an unknown task id.
  bool set_task_lifecycle(const std::string& task_id, Lifecycle lifecycle);
  // Queues `fault` for the next `times` calls of `route` (see Fault); faults queue up in order.
  void fail_next(const std::string& route, Fault fault, int times = 1);
  void set_models(std::vector<FakeModel> models);  // replaces the model table
  void set_credits(double credits);
  double credits() const;

  // Inspection; safe from any thread. tasks(), task() and credits() run tick() first, so states
  // and the balance are those at the clock's current time.
  std::vector<TaskView> tasks() const;
  std::optional<TaskView> task(const std::string& task_id) const;
  std::size_t create_calls() const;                   // every POST to createTask, accepted or not
  std::size_t calls(const std::string& route) const;  // same, per Fault route name
  std::vector<DownloadView> downloads() const;
  std::vector<UploadView> uploads() const;
  // Callback attempts and input downloads not finished yet (tests wait for 0).
  std::size_t pending_outbound() const;

  // Moves lifecycles to their current state by the clock, debits credits of newly successful
  // tasks and sends due callbacks. Also runs every `tick_interval`. Safe from any thread.
  void tick();

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace kb::sandbox
