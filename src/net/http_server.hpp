// Inbound HTTP/1.1 server: routing, body and header limits, read timeouts, keep-alive, a cap on
// connections, streaming responses and graceful drain. Beast stays inside http_server.cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/asio.hpp"
#include "core/result.hpp"
#include "net/metrics.hpp"
#include "net/router.hpp"

namespace kb::net {

struct ServerOptions {
  std::size_t max_body_bytes = 10 * 1024 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  std::chrono::milliseconds header_timeout{10'000};  // whole request head, from its first byte
  std::chrono::milliseconds body_timeout{30'000};    // whole body
  std::chrono::milliseconds idle_timeout{60'000};    // keep-alive wait for the next request
  std::chrono::milliseconds write_timeout{60'000};   // each write (a slow reader is cut off)
  std::size_t max_connections = 1024;
  std::string server_name = "kiebot";
};

class HttpServer {
 public:
  HttpServer(asio::io_context& io, ServerOptions options, const Router& router,
             MetricsRegistry* metrics = nullptr);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens; port 0 picks a free port. Returns the bound port.
  Result<std::uint16_t> listen(const std::string& host, std::uint16_t port);
  void start();

  // Stops accepting, closes idle keep-alive connections, lets in-flight requests finish, and
  // force-closes whatever is left when `grace` runs out.
  Task<void> drain(std::chrono::milliseconds grace);

  bool draining() const;
  std::size_t active_connections() const;
  std::uint16_t port() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace kb::net
