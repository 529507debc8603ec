// Normalization of KIE answers into typed results (see response_normalizer.hpp).
#include "kie/response_normalizer.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <climits>
#include <cmath>

#include "core/text.hpp"
#include "kie/failure.hpp"
#include "kie/result_urls.hpp"

namespace kb::kie {
namespace {

using nlohmann::json;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Deepest bracket nesting outside strings; stops counting once past the limit.
bool within_depth(std::string_view text, int limit) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

const json* field(const json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

// Integers arrive as JSON integers, floats with a zero fraction, or numeric strings.
std::optional<long long> as_integer(const json& v) {
  if (v.is_number_unsigned()) {
    auto u = v.get<unsigned long long>();
    return u > static_cast<unsigned long long>(LLONG_MAX) ? LLONG_MAX : static_cast<long long>(u);
  }
  if (v.is_number_integer()) return v.get<long long>();
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::isfinite(d) && std::fabs(d) < 9e15 && d == std::floor(d))
      return static_cast<long long>(d);
    return std::nullopt;
  }
  if (v.is_string()) {
    auto s = trim(v.get_ref<const std::string&>());
    long long out = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec == std::errc() && ptr == s.data() + s.size() && !s.empty()) return out;
  }
  return std::nullopt;
}

std::optional<double> as_number(const json& v) {
  if (v.is_number()) {
    double d = v.get<double>();
    if (std::isfinite(d)) return d;
    return std::nullopt;
  }
  if (v.is_string()) {
    auto s = trim(v.get_ref<const std::string&>());
    double out = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec == std::errc() && ptr == s.data() + s.size() && !s.empty() && std::isfinite(out))
      return out;
  }
  return std::nullopt;
}

int clamp_int(long long v) {
  if (v > INT_MAX) return INT_MAX;
  if (v < INT_MIN) return INT_MIN;
  return static_cast<int>(v);
}

// failCode / failMsg / errorCode: "" vs null vs numbers all become text ("" when absent).
std::string as_text(const json* v) {
  if (!v) return "";
  if (v->is_string()) return std::string(trim(v->get_ref<const std::string&>()));
  if (auto i = as_integer(*v)) return std::to_string(*i);
  if (v->is_number_float()) {
    double d = v->get<double>();
    if (std::isfinite(d)) return json(d).dump();
  }
  return "";
}

std::optional<std::string> as_task_id(const json* v) {
  if (!v) return std::nullopt;
  std::string id;
  if (v->is_string())
    id = std::string(trim(v->get_ref<const std::string&>()));
  else if (v->is_number_integer())
    id = v->dump();
  else
    return std::nullopt;
  if (!is_valid_task_id(id)) return std::nullopt;
  return id;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

// "yyyy-MM-dd HH:mm:ss" (Veo, Flux, MJ) or ISO "yyyy-MM-ddTHH:mm:ss[.fff][Z]", read as UTC.
std::optional<std::int64_t> parse_datetime_ms(std::string_view s) {
  if (s.size() < 19) return std::nullopt;
  auto num = [&](std::size_t pos, std::size_t len) -> std::optional<int> {
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  if (s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':')
    return std::nullopt;
  auto y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2),
       se = num(17, 2);
  if (!y || !mo || !d || !h || !mi || !se || *mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h > 23 ||
      *mi > 59 || *se > 60)
    return std::nullopt;
  long long days = days_from_civil(*y, static_cast<unsigned>(*mo), static_cast<unsigned>(*d));
  return (days * 86400 + *h * 3600LL + *mi * 60LL + *se) * 1000;
}

// Epoch milliseconds (jobs), epoch seconds, or date-time strings (Veo, Flux, MJ, Runway).
std::optional<std::int64_t> as_time_ms(const json* v) {
  if (!v) return std::nullopt;
  if (auto i = as_integer(*v)) {
    if (*i <= 0) return std::nullopt;
    if (*i < 100'000'000'000LL) return *i * 1000;  // seconds
    return *i;
  }
  if (v->is_string()) return parse_datetime_ms(trim(v->get_ref<const std::string&>()));
  return std::nullopt;
}

std::optional<int> as_progress(const json* v) {
  if (!v) return std::nullopt;
  auto n = as_number(*v);
  if (!n) return std::nullopt;
  double p = *n;
  // 4o sends "0.00".."1.00"; Sora sends 0..100.
  bool fraction = v->is_string() ? v->get_ref<const std::string&>().find('.') != std::string::npos
                                 : v->is_number_float();
  if (fraction && p <= 1.0) p *= 100.0;
  if (p < 0) p = 0;
  if (p > 100) p = 100;
  return static_cast<int>(std::lround(p));
}

// Task id of a createTask answer: never a recordId when a taskId exists.
std::optional<std::string> find_created_task_id(const json& data, const std::string& root_id) {
  for (auto key : {"taskId", "task_id", "taskID", "id"})
    if (auto id = as_task_id(field(data, key))) return id;
  if (data.is_string())
    if (auto id = as_task_id(&data)) return id;
  if (!root_id.empty()) return root_id;
  for (auto key : {"recordId", "record_id"})
    if (auto id = as_task_id(field(data, key))) return id;
  return std::nullopt;
}

KieResult<std::string> failed_string(KieFailure f) {
  KieResult<std::string> r;
  r.failure = std::move(f);
  return r;
}

std::string unreadable_detail(const Envelope& e, std::string_view body) {
  std::string detail = "unreadable body (" + e.parse_error + ")";
  auto snippet = trim(body.substr(0, 120));
  if (!snippet.empty()) detail += ": " + std::string(snippet);
  return detail;
}

}  // namespace

std::optional<json> parse_json_limited(std::string_view text) {
  if (!within_depth(text, kMaxJsonDepth)) return std::nullopt;
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

Envelope parse_envelope(int http_status, std::string_view body) {
  Envelope e;
  e.http_status = http_status;
  e.code = http_status;
  if (!within_depth(body, kMaxJsonDepth)) {
    e.parse_error = "nested too deep";
    return e;
  }
  json root = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) {
    e.parse_error = body.empty() ? "empty body" : "not JSON";
    return e;
  }
  if (!root.is_object()) {
    e.parse_error = "not a JSON object";
    return e;
  }
  e.readable = true;
  if (const json* c = field(root, "code"))
    if (auto i = as_integer(*c)) e.body_code = clamp_int(*i);
  if (const json* m = field(root, "msg"); m && m->is_string())
    e.message = m->get<std::string>();
  else if (const json* m2 = field(root, "message"); m2 && m2->is_string())
    e.message = m2->get<std::string>();
  if (const json* s = field(root, "success"); s && s->is_boolean()) e.success = s->get<bool>();
  if (auto it = root.find("data"); it != root.end()) e.data = std::move(*it);
  for (auto key : {"taskId", "task_id"})
    if (auto id = as_task_id(field(root, key))) {
      e.root_task_id = *id;
      break;
    }
  const bool http_ok = http_status >= 200 && http_status < 300;
  // The body code is authoritative; a real HTTP error with a body that claims 200 is an error.
  if (e.body_code && *e.body_code != 200)
    e.code = *e.body_code;
  else if (!http_ok)
    e.code = http_status;
  else
    e.code = e.body_code.value_or(200);
  return e;
}

KieResult<std::string> normalize_create_response(int http_status, std::string_view body) {
  Envelope e = parse_envelope(http_status, body);
  if (!e.readable)
    return failed_string(
        classify_unreadable(Endpoint::create_task, http_status, unreadable_detail(e, body)));
  if (e.code != 200)
    return failed_string(classify_code(Endpoint::create_task, e.code, http_status, e.message));
  auto id = find_created_task_id(e.data, e.root_task_id);
  if (!id)
    return failed_string(
        classify_incomplete(Endpoint::create_task, http_status, "success without a task id"));
  KieResult<std::string> r;
  r.value = std::move(*id);
  return r;
}

KieResult<TaskRecord> normalize_record_response(int http_status, std::string_view body) {
  KieResult<TaskRecord> r;
  Envelope e = parse_envelope(http_status, body);
  if (!e.readable) {
    r.failure = classify_unreadable(Endpoint::record_info, http_status, unreadable_detail(e, body));
    return r;
  }
  if (e.code != 200) {
    r.failure = classify_code(Endpoint::record_info, e.code, http_status, e.message);
    return r;
  }
  if (!e.data.is_object()) {
    r.failure = classify_incomplete(Endpoint::record_info, http_status, "success without a record");
    return r;
  }
  r.value = normalize_task_record(e.data);
  return r;
}

KieResult<double> normalize_credits_response(int http_status, std::string_view body) {
  KieResult<double> r;
  Envelope e = parse_envelope(http_status, body);
  if (!e.readable) {
    r.failure = classify_unreadable(Endpoint::credits, http_status, unreadable_detail(e, body));
    return r;
  }
  if (e.code != 200) {
    r.failure = classify_code(Endpoint::credits, e.code, http_status, e.message);
    return r;
  }
  std::optional<double> balance = as_number(e.data);
  if (!balance)
    for (auto key : {"credits", "balance", "credit"})
      if (const json* v = field(e.data, key))
        if ((balance = as_number(*v))) break;
  if (!balance) {
    r.failure = classify_incomplete(Endpoint::credits, http_status, "success without a balance");
    return r;
  }
  r.value = *balance;
  return r;
}

KieResult<std::string> normalize_download_url_response(int http_status, std::string_view body) {
  Envelope e = parse_envelope(http_status, body);
  if (!e.readable)
    return failed_string(
        classify_unreadable(Endpoint::download_url, http_status, unreadable_detail(e, body)));
  if (e.code != 200)
    return failed_string(classify_code(Endpoint::download_url, e.code, http_status, e.message));
  std::string url = as_text(e.data.is_null() ? nullptr : &e.data);
  if (url.empty())
    for (auto key : {"downloadUrl", "url"})
      if (auto v = as_text(field(e.data, key)); !v.empty()) {
        url = v;
        break;
      }
  if (!looks_like_url(url))
    return failed_string(
        classify_incomplete(Endpoint::download_url, http_status, "success without a URL"));
  KieResult<std::string> r;
  r.value = std::move(url);
  return r;
}

KieResult<UploadedFile> normalize_upload_response(int http_status, std::string_view body) {
  KieResult<UploadedFile> r;
  Envelope e = parse_envelope(http_status, body);
  if (!e.readable) {
    r.failure = classify_unreadable(Endpoint::upload, http_status, unreadable_detail(e, body));
    return r;
  }
  if (e.code != 200) {
    r.failure = classify_code(Endpoint::upload, e.code, http_status, e.message);
    return r;
  }
  if (e.success == false) {
    r.failure = classify_incomplete(Endpoint::upload, http_status, "success=false: " + e.message);
    return r;
  }
  UploadedFile f;
  for (auto key : {"downloadUrl", "fileUrl", "url"})
    if (auto v = as_text(field(e.data, key)); looks_like_url(v)) {
      f.download_url = v;
      break;
    }
  if (f.download_url.empty()) {
    r.failure = classify_incomplete(Endpoint::upload, http_status, "success without a URL");
    return r;
  }
  f.file_name = as_text(field(e.data, "fileName"));
  f.file_path = as_text(field(e.data, "filePath"));
  f.mime_type = as_text(field(e.data, "mimeType"));
  if (const json* size = field(e.data, "fileSize"))
    if (auto i = as_integer(*size); i && *i >= 0) f.size = static_cast<std::uint64_t>(*i);
  r.value = std::move(f);
  return r;
}

TaskState parse_state_word(std::string_view word) {
  std::string w = lower(trim(word));
  for (char& c : w)
    if (c == '-' || c == ' ') c = '_';
  static constexpr std::array<std::string_view, 6> kWaiting = {"waiting", "wait",      "pending",
                                                               "created", "submitted", "init"};
  static constexpr std::array<std::string_view, 5> kQueuing = {"queuing", "queueing", "queued",
                                                               "queue", "in_queue"};
  static constexpr std::array<std::string_view, 9> kGenerating = {
      "generating", "processing",   "running",       "in_progress", "inprogress",
      "started",    "text_success", "first_success", "working"};
  static constexpr std::array<std::string_view, 8> kSuccess = {
      "success", "succeeded", "successful", "succeed", "completed", "complete", "done", "finished"};
  static constexpr std::array<std::string_view, 11> kFail = {
      "fail",     "failed",  "failure",   "error",   "errored", "cancelled",
      "canceled", "timeout", "timed_out", "expired", "rejected"};
  auto in = [&](const auto& set) {
    for (auto s : set)
      if (w == s) return true;
    return false;
  };
  if (in(kWaiting)) return TaskState::waiting;
  if (in(kQueuing)) return TaskState::queuing;
  if (in(kGenerating)) return TaskState::generating;
  if (in(kSuccess)) return TaskState::success;
  if (in(kFail)) return TaskState::fail;
  // CREATE_TASK_FAILED, GENERATE_AUDIO_FAILED, SENSITIVE_WORD_ERROR, …
  if (w.ends_with("_failed") || w.ends_with("_fail") || w.ends_with("_error"))
    return TaskState::fail;
  return TaskState::unknown;
}

TaskState parse_success_flag(long long flag) {
  switch (flag) {
    case 0:
      return TaskState::generating;
    case 1:
      return TaskState::success;
    case 2:  // failed
    case 3:  // created, but generation failed upstream
    case 4:  // Luma: callback failed
      return TaskState::fail;
    default:
      return TaskState::unknown;
  }
}

bool is_valid_task_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) return false;
  }
  return true;
}

TaskRecord normalize_task_record(const json& data) {
  TaskRecord r;
  if (!data.is_object()) return r;
  for (auto key : {"taskId", "task_id"})
    if (auto id = as_task_id(field(data, key))) {
      r.task_id = *id;
      break;
    }
  if (const json* m = field(data, "model"); m && m->is_string()) r.model = m->get<std::string>();

  // resultJson (and MJ's resultInfoJson) are JSON *text* on the wire, objects on some pages.
  json view = data;
  for (auto key : {"resultJson", "resultInfoJson"}) {
    auto it = view.find(key);
    if (it == view.end() || !it->is_string()) continue;
    auto text = trim(it->get_ref<const std::string&>());
    if (text.empty()) {
      *it = nullptr;
    } else if (auto parsed = parse_json_limited(text)) {
      *it = std::move(*parsed);
    } else {
      r.result_unparseable = true;
      *it = nullptr;
    }
  }
  for (auto key : {"resultJson", "response", "resultInfoJson", "info", "videoInfo"})
    if (const json* v = field(view, key)) {
      r.result = *v;
      break;
    }
  auto urls = extract_result_urls(view);
  r.result_urls = std::move(urls.primary);
  r.extra_urls = std::move(urls.extra);

  // State: `state` (jobs, Runway), else `successFlag` (Veo, 4o, Flux, MJ, Luma), else `status`.
  TaskState state = TaskState::unknown;
  if (const json* s = field(data, "state"); s && s->is_string()) {
    r.raw_state = s->get<std::string>();
    state = parse_state_word(r.raw_state);
  }
  if (state == TaskState::unknown)
    if (const json* f = field(data, "successFlag"))
      if (auto flag = as_integer(*f)) {
        state = parse_success_flag(*flag);
        if (r.raw_state.empty()) r.raw_state = "successFlag=" + std::to_string(*flag);
      }
  if (state == TaskState::unknown)
    if (const json* s = field(data, "status"); s && s->is_string()) {
      r.raw_state = s->get<std::string>();
      state = parse_state_word(r.raw_state);
      // Suno: the callback failed, but the audio may be there.
      if (lower(trim(r.raw_state)) == "callback_exception")
        state = r.result_urls.empty() ? TaskState::fail : TaskState::success;
    }
  r.state = state;

  r.fail_code = as_text(field(data, "failCode"));
  if (r.fail_code.empty()) {
    r.fail_code = as_text(field(data, "errorCode"));
    if (r.fail_code == "0") r.fail_code.clear();  // errorCode: null vs 0
  }
  r.fail_message = as_text(field(data, "failMsg"));
  if (r.fail_message.empty()) r.fail_message = as_text(field(data, "errorMessage"));
  if (state == TaskState::fail) r.fail_reason = classify_task_failure(r.fail_code, r.raw_state);

  for (auto key : {"creditsConsumed", "consumeCredits", "credits_consumed"})
    if (const json* v = field(data, key))
      if (auto n = as_number(*v)) {
        r.credits_consumed = *n;
        break;
      }
  r.create_time_ms = as_time_ms(field(data, "createTime"));
  r.complete_time_ms = as_time_ms(field(data, "completeTime"));
  r.progress = as_progress(field(data, "progress"));
  return r;
}

}  // namespace kb::kie
