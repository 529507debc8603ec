// Fuzzes the KIE response normalizer: any HTTP status and body must give a typed result (never a
// crash, hang or exception), and the results must keep their invariants.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "kie/response_normalizer.hpp"
#include "kie/result_urls.hpp"

namespace {

using namespace kb::kie;

void check(bool condition) {
  if (!condition) std::abort();
}

void check_record(const TaskRecord& r) {
  for (const auto& u : r.result_urls) check(looks_like_url(u));
  for (const auto& u : r.extra_urls) check(looks_like_url(u));
  check(r.result_urls.size() + r.extra_urls.size() <= 256);
  if (r.progress) check(*r.progress >= 0 && *r.progress <= 100);
  check(r.task_id.empty() || is_valid_task_id(r.task_id));
}

template <class T>
void check_failure(const KieResult<T>& r, Endpoint endpoint) {
  if (r.ok()) return;
  check(r.failure.detail.size() <= 300);
  // Only createTask can be ambiguous; everything else is safe to repeat.
  if (endpoint != Endpoint::create_task) check(r.failure.retry != Retry::ambiguous);
}

void fuzz_one(int http, std::string_view body) {
  auto create = normalize_create_response(http, body);
  check_failure(create, Endpoint::create_task);
  if (create.ok()) check(is_valid_task_id(*create.value));

  auto record = normalize_record_response(http, body);
  check_failure(record, Endpoint::record_info);
  if (record.ok()) check_record(*record.value);

  check_failure(normalize_credits_response(http, body), Endpoint::credits);
  auto link = normalize_download_url_response(http, body);
  check_failure(link, Endpoint::download_url);
  if (link.ok()) check(looks_like_url(*link.value));
  auto upload = normalize_upload_response(http, body);
  check_failure(upload, Endpoint::upload);
  if (upload.ok()) check(looks_like_url(upload.value->download_url));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  // Every body as HTTP 200 (where KIE puts most errors) and as one other documented status, so
  // the seed corpus can stay plain JSON.
  static constexpr int kStatuses[] = {400, 401, 402, 403, 404, 408, 422, 429, 433, 451,
                                      455, 500, 501, 502, 503, 505, 550, 301, 204};
  fuzz_one(200, body);
  fuzz_one(kStatuses[size % (sizeof(kStatuses) / sizeof(kStatuses[0]))], body);

  // The body itself as a record's `data` (callbacks and recordInfo share the shape).
  if (auto parsed = parse_json_limited(body)) {
    check_record(normalize_task_record(*parsed));
    auto urls = extract_result_urls(*parsed);
    for (const auto& u : urls.primary) check(looks_like_url(u));
  }
  return 0;
}
