// Outbound HTTP client on libcurl's multi interface, run on its own thread; results are delivered
// back to the awaiting coroutine's executor. TLS verification, keep-alive pooling, proxies from the
// environment (HTTPS_PROXY, NO_PROXY), timeouts, multipart bodies and bounded-memory streaming.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/asio.hpp"
#include "core/result.hpp"
#include "net/http_types.hpp"
#include "net/metrics.hpp"

namespace kb::net {

class ResponseStream;

struct MultipartPart {
  std::string name;
  std::string filename;      // empty for plain fields
  std::string content_type;  // empty: curl's default
  std::string data;          // in-memory content, or
  std::string file_path;     // content read from this file by curl, or
  // content pulled from this stream while the request is sent (e.g. a download piped into an
  // upload with bounded memory); a request with a stream part cannot be sent twice.
  std::shared_ptr<ResponseStream> stream{};
  std::optional<std::uint64_t> stream_size{};  // its length when known; else the body is chunked
};

struct ClientRequest {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;
  std::vector<MultipartPart> multipart;  // non-empty: a multipart/form-data body (body is ignored)
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds timeout{30'000};  // the whole exchange; 0 = no limit
  std::string upstream = "other";             // metric label, e.g. "telegram", "kie"
  bool follow_redirects = false;
};

struct ClientResponse {
  int status = 0;
  Headers headers;
  std::string body;
  bool reused_connection = false;
};

// Failure classes (Error::code), which decide whether a retry is safe:
//   Errc::unavailable  the request never reached the server (DNS, refused, connect timeout, TLS
//                      handshake): always safe to retry.
//   Errc::timeout      timed out after the connection was made: the server may have acted on it.
//   Errc::upstream     the connection broke after it was made: the server may have acted on it.
//   Errc::invalid_input the request itself was malformed (bad URL).

class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  virtual int status() const = 0;
  virtual const Headers& headers() const = 0;
  virtual std::optional<std::uint64_t> content_length() const = 0;
  // The next piece of the body; empty optional at the end. Memory held is bounded: the transfer
  // pauses while the reader is behind.
  virtual Task<Result<std::optional<std::string>>> next_chunk() = 0;
};

struct ClientOptions {
  std::string user_agent = "kiebot";
  std::size_t stream_buffer_bytes = 1 << 20;  // per stream, before the transfer is paused
  long max_host_connections = 32;
  std::string ca_file;  // empty: system default
};

class HttpClient {
 public:
  explicit HttpClient(ClientOptions options = {}, MetricsRegistry* metrics = nullptr);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Buffers the whole response body.
  Task<Result<ClientResponse>> send(ClientRequest request);
  // Resolves when the response head has arrived; the body is then read from the stream.
  Task<Result<std::unique_ptr<ResponseStream>>> open(ClientRequest request);

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace kb::net
