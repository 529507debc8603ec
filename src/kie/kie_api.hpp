// What the rest of kiebot needs from the generation provider; KieClient implements it over HTTP,
// tests may implement it in memory.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/asio.hpp"
#include "core/clock.hpp"
#include "kie/kie_types.hpp"
#include "net/http_client.hpp"

namespace kb::kie {

struct CreateTaskRequest {
  std::string model;         // catalog model id, e.g. "google/nano-banana"
  nlohmann::json input;      // the model's input object
  std::string callback_url;  // empty: no callback (polling only)
};

// The three outcomes a caller must handle differently.
enum class CreateOutcome {
  created,    // task_id is set
  rejected,   // definitely no task was created; failure says why and whether later may work
  ambiguous,  // the request may have created (and billed) a task: never repeat it blindly;
              // reconcile (poll what is known, ask the operator) instead
};

std::string_view create_outcome_name(CreateOutcome outcome);

struct CreateResult {
  CreateOutcome outcome = CreateOutcome::rejected;
  std::string task_id;  // when created
  KieFailure failure;   // when rejected or ambiguous
  int attempts = 0;     // HTTP attempts made (retries happen only when nothing was accepted)
};

struct RecordQuery {
  std::string task_id;
  // When the task was created. Right after createTask recordInfo may briefly answer 404/422
  // ("recordInfo is null"); within the grace window after this time that is retried.
  std::optional<SystemTime> created_at;
};

struct FileUpload {
  std::string upload_path;   // folder at the provider, no leading/trailing slash
  std::string file_name;     // empty: the provider picks one (the same name overwrites)
  std::string content_type;  // e.g. "image/jpeg"; empty: application/octet-stream
  // Exactly one source. Bytes and files are retried on transient failures; a stream is not
  // (its bytes are gone once sent).
  std::string bytes;
  std::string file_path;
  std::unique_ptr<net::ResponseStream> stream;
  std::optional<std::uint64_t> stream_size;  // when known (Content-Length of the source)
};

struct UrlUpload {
  std::string file_url;  // http(s) URL the provider downloads (within 30 s)
  std::string upload_path;
  std::string file_name;
};

class KieApi {
 public:
  virtual ~KieApi() = default;
  // POST /api/v1/jobs/createTask. Never retried once the request may have reached the provider.
  virtual Task<CreateResult> create_task(CreateTaskRequest request) = 0;
  // GET /api/v1/jobs/recordInfo?taskId=… (retried with backoff on transient failures).
  virtual Task<KieResult<TaskRecord>> record_info(RecordQuery query) = 0;
  // GET /api/v1/chat/credit: the provider account balance in credits.
  virtual Task<KieResult<double>> credits() = 0;
  // POST /api/v1/common/download-url: a direct link (valid ~20 min) for a provider file URL.
  virtual Task<KieResult<std::string>> download_url(std::string file_url) = 0;
  // POST <upload base>/api/file-stream-upload (multipart `file`, `uploadPath`, `fileName`).
  virtual Task<KieResult<UploadedFile>> upload_file(FileUpload upload) = 0;
  // POST <upload base>/api/file-url-upload.
  virtual Task<KieResult<UploadedFile>> upload_url(UrlUpload upload) = 0;
};

}  // namespace kb::kie
