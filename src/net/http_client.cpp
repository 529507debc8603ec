// libcurl multi-interface implementation of HttpClient.
#include "net/http_client.hpp"

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_map>

#include <curl/curl.h>
#include <fmt/format.h>

#include "core/completion.hpp"
#include "core/log.hpp"
#include "core/text.hpp"

namespace kb::net {
namespace {

constexpr std::size_t kMaxBufferedResponse = 64u << 20;

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

}  // namespace

// State shared between the curl thread (producer) and a ResponseStream reader (consumer).
struct StreamShared {
  std::mutex mutex;
  std::deque<std::string> chunks;
  std::size_t buffered = 0;
  std::size_t limit = 0;
  bool finished = false;
  std::optional<Error> error;
  bool paused = false;
  bool cancelled = false;
  Completion<bool> waiter;  // wakes a reader waiting for data

  int status = 0;
  Headers headers;
  std::optional<std::uint64_t> content_length;
};

// ---- Streaming multipart parts (MultipartPart::stream) ----------------------------------------
// curl asks for request bytes on its own thread (a read callback), but a ResponseStream can only
// be read by a coroutine on an Asio executor. The callback hands out what is buffered; when the
// buffer is empty it starts one fetch on the executor and pauses the transfer, and the fetch
// unpauses it (through the curl thread's queue) once the next chunk has arrived. At most one chunk
// is buffered, so memory stays bounded by the source's chunk size.
struct UploadSource : std::enable_shared_from_this<UploadSource> {
  std::mutex mutex;
  std::shared_ptr<ResponseStream> stream;
  asio::any_io_executor executor;
  std::weak_ptr<HttpClient::Impl> client;
  std::string buffer;
  std::size_t offset = 0;
  bool finished = false;  // the stream has no more bytes
  bool fetching = false;  // a next_chunk() is in flight
  bool paused = false;    // the read callback paused the transfer waiting for data
  std::optional<Error> error;

  void fetch();
  static size_t on_read(char* out, size_t size, size_t n, void* user);
};

struct Transfer {
  std::weak_ptr<HttpClient::Impl> owner;
  asio::any_io_executor executor;  // the caller's; runs reads of streaming upload parts
  std::vector<std::shared_ptr<UploadSource>> upload_sources;
  CURL* easy = nullptr;
  curl_slist* header_list = nullptr;
  curl_mime* mime = nullptr;
  ClientRequest request;
  int status = 0;
  Headers headers;
  std::string body;
  bool too_large = false;
  bool head_delivered = false;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  Completion<Result<ClientResponse>> on_done;
  Completion<Result<std::unique_ptr<ResponseStream>>> on_head;
  std::shared_ptr<StreamShared> stream;  // set in streaming mode

  ~Transfer() {
    if (easy) curl_easy_cleanup(easy);
    if (header_list) curl_slist_free_all(header_list);
    if (mime) curl_mime_free(mime);
  }
};

struct HttpClient::Impl : std::enable_shared_from_this<HttpClient::Impl> {
  ClientOptions options;
  MetricsRegistry* metrics;
  CURLM* multi = nullptr;
  std::thread thread;
  std::atomic<bool> stopping{false};
  std::mutex queue_mutex;
  std::vector<std::unique_ptr<Transfer>> incoming;
  std::vector<std::shared_ptr<StreamShared>> to_resume;
  std::vector<std::shared_ptr<StreamShared>> to_cancel;
  std::vector<std::shared_ptr<UploadSource>> to_unpause;
  std::unordered_map<CURL*, std::unique_ptr<Transfer>> active;  // curl thread only

  Impl(ClientOptions opts, MetricsRegistry* m) : options(std::move(opts)), metrics(m) {
    static CurlGlobal global;
    multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, options.max_host_connections);
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, 64L);
  }

  ~Impl() { curl_multi_cleanup(multi); }

  void start() {
    thread = std::thread([this] { run(); });
  }

  void stop() {
    stopping = true;
    curl_multi_wakeup(multi);
    if (thread.joinable()) thread.join();
  }

  void submit(std::unique_ptr<Transfer> t) {
    {
      std::lock_guard lock(queue_mutex);
      incoming.push_back(std::move(t));
    }
    curl_multi_wakeup(multi);
  }

  void request_resume(std::shared_ptr<StreamShared> s) {
    {
      std::lock_guard lock(queue_mutex);
      to_resume.push_back(std::move(s));
    }
    curl_multi_wakeup(multi);
  }

  void request_unpause(std::shared_ptr<UploadSource> s) {
    {
      std::lock_guard lock(queue_mutex);
      to_unpause.push_back(std::move(s));
    }
    curl_multi_wakeup(multi);
  }

  void request_cancel(std::shared_ptr<StreamShared> s) {
    {
      std::lock_guard lock(queue_mutex);
      to_cancel.push_back(std::move(s));
    }
    curl_multi_wakeup(multi);
  }

  void run();
  void unpause_sending(Transfer& t);
  bool configure(Transfer& t, std::string& error);
  void finish(CURL* easy, CURLcode code);
  void record(const Transfer& t, std::string_view outcome);
  Transfer* find_by_upload_source(const std::shared_ptr<UploadSource>& s) {
    for (auto& [easy, t] : active)
      for (const auto& source : t->upload_sources)
        if (source == s) return t.get();
    return nullptr;
  }
  Transfer* find_by_stream(const std::shared_ptr<StreamShared>& s) {
    for (auto& [easy, t] : active)
      if (t->stream == s) return t.get();
    return nullptr;
  }

  static size_t on_header(char* data, size_t size, size_t n, void* user);
  static size_t on_body(char* data, size_t size, size_t n, void* user);
};

namespace {

class CurlResponseStream final : public ResponseStream {
 public:
  CurlResponseStream(std::shared_ptr<StreamShared> shared, std::weak_ptr<HttpClient::Impl> client)
      : shared_(std::move(shared)), client_(std::move(client)) {}

  ~CurlResponseStream() override {
    bool cancel = false;
    {
      std::lock_guard lock(shared_->mutex);
      if (!shared_->finished) {
        shared_->cancelled = true;
        cancel = true;
      }
    }
    if (cancel)
      if (auto c = client_.lock()) c->request_cancel(shared_);
  }

  int status() const override { return shared_->status; }
  const Headers& headers() const override { return shared_->headers; }
  std::optional<std::uint64_t> content_length() const override { return shared_->content_length; }

  Task<Result<std::optional<std::string>>> next_chunk() override {
    for (;;) {
      bool resume = false;
      {
        std::unique_lock lock(shared_->mutex);
        if (!shared_->chunks.empty()) {
          std::string chunk = std::move(shared_->chunks.front());
          shared_->chunks.pop_front();
          shared_->buffered -= chunk.size();
          if (shared_->paused && shared_->buffered <= shared_->limit / 2) {
            shared_->paused = false;
            resume = true;
          }
          lock.unlock();
          if (resume)
            if (auto c = client_.lock()) c->request_resume(shared_);
          co_return std::optional<std::string>(std::move(chunk));
        }
        if (shared_->error) co_return fail(*shared_->error);
        if (shared_->finished) co_return std::optional<std::string>();
      }
      // Wait for the producer; it checks for a waiter under the same mutex.
      // GCC 12 destroys non-trivial captures of a lambda temporary inside a co_await expression
      // twice; capture only trivially destructible values there.
      StreamShared* shared = shared_.get();
      co_await asio::async_initiate<decltype(asio::use_awaitable), void(bool)>(
          [shared](auto handler) {
            Completion<bool> completion(std::move(handler));
            std::unique_lock lock(shared->mutex);
            if (!shared->chunks.empty() || shared->finished || shared->error) {
              lock.unlock();
              completion(true);
              return;
            }
            shared->waiter = std::move(completion);
          },
          asio::use_awaitable);
    }
  }

 private:
  std::shared_ptr<StreamShared> shared_;
  std::weak_ptr<HttpClient::Impl> client_;
};

void wake(StreamShared& s) {
  if (s.waiter) s.waiter(true);
}

Error map_curl_error(CURLcode code, CURL* easy, bool too_large, const char* detail) {
  std::string text = detail && *detail ? detail : curl_easy_strerror(code);
  curl_off_t pretransfer = 0;
  curl_easy_getinfo(easy, CURLINFO_PRETRANSFER_TIME_T, &pretransfer);
  bool request_started = pretransfer > 0;
  switch (code) {
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return Error{Errc::invalid_input, text};
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
      return Error{Errc::unavailable, text};
    case CURLE_OPERATION_TIMEDOUT:
      return Error{request_started ? Errc::timeout : Errc::unavailable, text};
    case CURLE_WRITE_ERROR:
      if (too_large) return Error{Errc::upstream, "response body too large"};
      return Error{Errc::upstream, text};
    default:
      return Error{request_started ? Errc::upstream : Errc::unavailable, text};
  }
}

}  // namespace

size_t UploadSource::on_read(char* out, size_t size, size_t n, void* user) {
  auto* src = static_cast<UploadSource*>(user);
  const size_t capacity = size * n;
  size_t copied = 0;
  bool fetch = false;
  {
    std::lock_guard lock(src->mutex);
    if (src->error) return CURL_READFUNC_ABORT;
    if (src->offset < src->buffer.size()) {
      copied = std::min(capacity, src->buffer.size() - src->offset);
      std::memcpy(out, src->buffer.data() + src->offset, copied);
      src->offset += copied;
      if (src->offset == src->buffer.size()) {
        src->buffer.clear();
        src->offset = 0;
      }
    } else if (src->finished) {
      return 0;  // end of this part
    }
    // Fetch the next chunk while curl sends this one.
    if (src->buffer.empty() && !src->finished && !src->fetching) {
      src->fetching = true;
      fetch = true;
    }
    // Decided under the same lock the fetch completes under, so no wake-up is lost.
    if (copied == 0) src->paused = true;
  }
  if (fetch) src->fetch();
  return copied > 0 ? copied : CURL_READFUNC_PAUSE;
}

void UploadSource::fetch() {
  auto self = shared_from_this();
  asio::co_spawn(
      executor,
      [self]() -> Task<void> {
        Result<std::optional<std::string>> chunk = std::optional<std::string>();
        try {
          chunk = co_await self->stream->next_chunk();
        } catch (const std::exception& e) {
          chunk = fail(Errc::internal, e.what());
        }
        bool resume = false;
        {
          std::lock_guard lock(self->mutex);
          if (!chunk) {
            self->error = Error{chunk.error().code == Errc::internal ? Errc::internal : Errc::io,
                                "upload source failed: " + chunk.error().message};
          } else if (!chunk->has_value()) {
            self->finished = true;
          } else {
            self->buffer.erase(0, self->offset);
            self->offset = 0;
            self->buffer.append(**chunk);
          }
          self->fetching = false;
          if (self->paused) {
            self->paused = false;
            resume = true;
          }
        }
        if (resume)
          if (auto client = self->client.lock()) client->request_unpause(self);
      },
      asio::detached);
}

size_t HttpClient::Impl::on_header(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) {
    t->headers = Headers();
    auto sp = line.find(' ');
    t->status =
        sp == std::string_view::npos ? 0 : std::atoi(std::string(line.substr(sp + 1, 3)).c_str());
    return size * n;
  }
  if (line == "\r\n" || line == "\n") {
    bool final_response = t->status >= 200 && !(t->request.follow_redirects && t->status >= 300 &&
                                                t->status < 400 && t->headers.has("Location"));
    if (t->stream && final_response && !t->head_delivered) {
      t->head_delivered = true;
      {
        std::lock_guard lock(t->stream->mutex);
        t->stream->status = t->status;
        t->stream->headers = t->headers;
        if (auto cl = t->headers.get("Content-Length")) {
          try {
            t->stream->content_length = std::stoull(std::string(*cl));
          } catch (...) {
          }
        }
      }
      t->on_head(std::unique_ptr<ResponseStream>(
          std::make_unique<CurlResponseStream>(t->stream, t->owner)));
    }
    return size * n;
  }
  auto colon = line.find(':');
  if (colon != std::string_view::npos)
    t->headers.add(std::string(trim(line.substr(0, colon))),
                   std::string(trim(line.substr(colon + 1))));
  return size * n;
}

size_t HttpClient::Impl::on_body(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t len = size * n;
  if (!t->stream) {
    if (t->body.size() + len > kMaxBufferedResponse) {
      t->too_large = true;
      return 0;
    }
    t->body.append(data, len);
    return len;
  }
  auto& s = *t->stream;
  std::lock_guard lock(s.mutex);
  if (s.cancelled) return 0;
  if (s.buffered >= s.limit) {
    s.paused = true;
    return CURL_WRITEFUNC_PAUSE;
  }
  s.chunks.emplace_back(data, len);
  s.buffered += len;
  wake(s);
  return len;
}

bool HttpClient::Impl::configure(Transfer& t, std::string& error) {
  CURL* e = curl_easy_init();
  if (!e) {
    error = "curl_easy_init failed";
    return false;
  }
  t.easy = e;
  const auto& r = t.request;
  curl_easy_setopt(e, CURLOPT_URL, r.url.c_str());
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_PRIVATE, &t);
  curl_easy_setopt(e, CURLOPT_USERAGENT, options.user_agent.c_str());
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(r.connect_timeout.count()));
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(r.timeout.count()));
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Impl::on_header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Impl::on_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, r.follow_redirects ? 1L : 0L);
  curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
  if (!options.ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, options.ca_file.c_str());

  bool has_expect = false;
  for (const auto& [k, v] : r.headers.items()) {
    if (iequals(k, "Expect")) has_expect = true;
    t.header_list = curl_slist_append(t.header_list, fmt::format("{}: {}", k, v).c_str());
  }
  // curl adds "Expect: 100-continue" for large bodies, costing a round trip; nobody needs it here.
  if (!has_expect) t.header_list = curl_slist_append(t.header_list, "Expect:");
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.header_list);

  if (!r.multipart.empty()) {
    t.mime = curl_mime_init(e);
    for (const auto& part : r.multipart) {
      curl_mimepart* p = curl_mime_addpart(t.mime);
      curl_mime_name(p, part.name.c_str());
      if (part.stream) {
        if (!t.executor) {
          error = "streaming multipart part without an executor";
          return false;
        }
        auto source = std::make_shared<UploadSource>();
        source->stream = part.stream;
        source->executor = t.executor;
        source->client = t.owner;
        curl_off_t size = part.stream_size ? static_cast<curl_off_t>(*part.stream_size) : -1;
        curl_mime_data_cb(p, size, &UploadSource::on_read, nullptr, nullptr, source.get());
        t.upload_sources.push_back(std::move(source));
      } else if (!part.file_path.empty()) {
        if (curl_mime_filedata(p, part.file_path.c_str()) != CURLE_OK) {
          error = "cannot read multipart file";
          return false;
        }
      } else {
        curl_mime_data(p, part.data.data(), part.data.size());
      }
      if (!part.filename.empty()) curl_mime_filename(p, part.filename.c_str());
      if (!part.content_type.empty()) curl_mime_type(p, part.content_type.c_str());
    }
    curl_easy_setopt(e, CURLOPT_MIMEPOST, t.mime);
  } else if (r.method == "GET") {
    curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
  } else if (r.method == "HEAD") {
    curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, r.body.data());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
    if (r.method != "POST") curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r.method.c_str());
  }
  if (!r.multipart.empty() && r.method != "POST")
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r.method.c_str());
  return true;
}

void HttpClient::Impl::unpause_sending(Transfer& t) {
  // Keep a paused response stream paused: only the request body is resumed here.
  int keep = 0;
  if (t.stream) {
    std::lock_guard lock(t.stream->mutex);
    if (t.stream->paused) keep = CURLPAUSE_RECV;
  }
  // libcurl (7.88) does not record a pause returned by a mime read callback in every path (e.g.
  // while the request head and the first body bytes are assembled); CURLPAUSE_CONT then looks
  // like "no change" and never unlatches the mime part, and the upload hangs. Pausing sending
  // explicitly first makes the resume a real state change (see curl issue #18848).
  curl_easy_pause(t.easy, CURLPAUSE_SEND | keep);
  curl_easy_pause(t.easy, keep);
}

void HttpClient::Impl::record(const Transfer& t, std::string_view outcome) {
  if (!metrics) return;
  metrics
      ->counter("kiebot_http_client_requests_total",
                "Outbound HTTP requests by upstream and outcome",
                {{"upstream", t.request.upstream}, {"outcome", std::string(outcome)}})
      .inc();
  metrics
      ->histogram("kiebot_http_client_duration_seconds", "Outbound HTTP latency by upstream",
                  {{"upstream", t.request.upstream}})
      .observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - t.started).count());
}

void HttpClient::Impl::finish(CURL* easy, CURLcode code) {
  auto it = active.find(easy);
  if (it == active.end()) return;
  std::unique_ptr<Transfer> t = std::move(it->second);
  active.erase(it);
  curl_multi_remove_handle(multi, easy);

  std::optional<Error> error;
  if (code != CURLE_OK) error = map_curl_error(code, easy, t->too_large, nullptr);
  // A failing upload source explains the abort better than curl's "aborted by callback".
  for (const auto& source : t->upload_sources) {
    std::lock_guard lock(source->mutex);
    if (error && source->error) error = *source->error;
  }
  record(*t, error ? std::string(errc_name(error->code)) : std::to_string(t->status / 100) + "xx");
  if (error) {
    log::info("http_client_error", {{"upstream", t->request.upstream}, {"error", error->message}});
  }

  if (!t->stream) {
    if (error) {
      t->on_done(fail(*error));
      return;
    }
    long connects = 0;
    curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &connects);
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    ClientResponse response;
    response.status = static_cast<int>(status);
    response.headers = std::move(t->headers);
    response.body = std::move(t->body);
    response.reused_connection = connects == 0;
    t->on_done(std::move(response));
    return;
  }
  if (!t->head_delivered) {
    t->head_delivered = true;
    if (error) {
      t->on_head(fail(*error));
      return;
    }
    // No blank header line was seen (HEAD-less edge cases): deliver what we have.
    {
      std::lock_guard lock(t->stream->mutex);
      t->stream->status = t->status;
      t->stream->headers = t->headers;
      t->stream->finished = true;
    }
    t->on_head(std::unique_ptr<ResponseStream>(
        std::make_unique<CurlResponseStream>(t->stream, weak_from_this())));
    return;
  }
  std::lock_guard lock(t->stream->mutex);
  t->stream->finished = true;
  if (error && !t->stream->cancelled) t->stream->error = *error;
  wake(*t->stream);
}

void HttpClient::Impl::run() {
  while (!stopping) {
    std::vector<std::unique_ptr<Transfer>> new_transfers;
    std::vector<std::shared_ptr<StreamShared>> resumes, cancels;
    std::vector<std::shared_ptr<UploadSource>> unpauses;
    {
      std::lock_guard lock(queue_mutex);
      new_transfers.swap(incoming);
      resumes.swap(to_resume);
      cancels.swap(to_cancel);
      unpauses.swap(to_unpause);
    }
    for (auto& t : new_transfers) {
      std::string error;
      if (!configure(*t, error)) {
        if (t->stream)
          t->on_head(fail(Errc::internal, error));
        else
          t->on_done(fail(Errc::internal, error));
        continue;
      }
      CURL* easy = t->easy;
      active.emplace(easy, std::move(t));
      curl_multi_add_handle(multi, easy);
    }
    for (auto& s : resumes)
      if (auto* t = find_by_stream(s)) curl_easy_pause(t->easy, CURLPAUSE_CONT);
    for (auto& s : unpauses)
      if (auto* t = find_by_upload_source(s)) unpause_sending(*t);
    for (auto& s : cancels) {
      if (auto* t = find_by_stream(s)) {
        CURL* easy = t->easy;
        curl_multi_remove_handle(multi, easy);
        record(*t, "cancelled");
        active.erase(easy);
      }
    }
    int running = 0;
    curl_multi_perform(multi, &running);
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
      if (msg->msg == CURLMSG_DONE) finish(msg->easy_handle, msg->data.result);
    }
    curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
  }
  // Fail whatever is still in flight so no awaiting coroutine hangs forever.
  for (auto& [easy, t] : active) {
    curl_multi_remove_handle(multi, easy);
    Error e{Errc::unavailable, "http client stopped"};
    if (t->stream && !t->head_delivered)
      t->on_head(fail(e));
    else if (t->stream) {
      std::lock_guard lock(t->stream->mutex);
      t->stream->finished = true;
      t->stream->error = e;
      wake(*t->stream);
    } else {
      t->on_done(fail(e));
    }
  }
  active.clear();
}

HttpClient::HttpClient(ClientOptions options, MetricsRegistry* metrics)
    : impl_(std::make_shared<Impl>(std::move(options), metrics)) {
  impl_->start();
}

HttpClient::~HttpClient() {
  impl_->stop();
}

// The initiation lambdas below capture raw pointers only: see the GCC 12 note in next_chunk().
Task<Result<ClientResponse>> HttpClient::send(ClientRequest request) {
  Impl* impl = impl_.get();
  asio::any_io_executor executor = co_await asio::this_coro::executor;
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable),
                                          void(Result<ClientResponse>)>(
      [impl, &request, &executor](auto handler) {
        auto t = std::make_unique<Transfer>();
        t->owner = impl->weak_from_this();
        t->executor = executor;
        t->request = std::move(request);
        t->on_done = Completion<Result<ClientResponse>>(std::move(handler));
        impl->submit(std::move(t));
      },
      asio::use_awaitable);
}

Task<Result<std::unique_ptr<ResponseStream>>> HttpClient::open(ClientRequest request) {
  Impl* impl = impl_.get();
  asio::any_io_executor executor = co_await asio::this_coro::executor;
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable),
                                          void(Result<std::unique_ptr<ResponseStream>>)>(
      [impl, &request, &executor](auto handler) {
        auto t = std::make_unique<Transfer>();
        t->owner = impl->weak_from_this();
        t->executor = executor;
        t->request = std::move(request);
        t->stream = std::make_shared<StreamShared>();
        t->stream->limit = impl->options.stream_buffer_bytes;
        t->on_head = Completion<Result<std::unique_ptr<ResponseStream>>>(std::move(handler));
        impl->submit(std::move(t));
      },
      asio::use_awaitable);
}

}  // namespace kb::net
