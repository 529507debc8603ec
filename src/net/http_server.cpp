// Beast-based implementation of HttpServer.
#include "net/http_server.hpp"

#include <atomic>
#include <map>
#include <mutex>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

#include "core/log.hpp"

namespace kb::net {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

std::string reason_phrase_body(int status) {
  return std::string(http::obsolete_reason(static_cast<http::status>(status)));
}

struct ConnectionSlot {
  beast::tcp_stream* stream = nullptr;
  asio::any_io_executor executor;
  bool busy = false;
};

}  // namespace

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  asio::io_context& io;
  ServerOptions options;
  const Router& router;
  MetricsRegistry* metrics;
  tcp::acceptor acceptor;
  std::atomic<bool> draining{false};
  std::atomic<std::size_t> active{0};
  std::atomic<std::uint64_t> next_request_id{1};
  std::uint16_t bound_port = 0;
  std::mutex slots_mutex;
  std::map<std::uint64_t, ConnectionSlot> slots;
  std::uint64_t next_slot = 1;

  Impl(asio::io_context& io_, ServerOptions opts, const Router& r, MetricsRegistry* m)
      : io(io_), options(std::move(opts)), router(r), metrics(m), acceptor(io_) {}

  Task<void> accept_loop();
  Task<void> session(tcp::socket socket);
  Task<Response> dispatch(Request& request, std::string& route_label);
  Task<bool> write_response(beast::tcp_stream& stream, Response response, bool head,
                            bool keep_alive, unsigned version);
  void close_idle();
  void close_all();
  void post_to_slots(bool include_busy);
};

HttpServer::HttpServer(asio::io_context& io, ServerOptions options, const Router& router,
                       MetricsRegistry* metrics)
    : impl_(std::make_shared<Impl>(io, std::move(options), router, metrics)) {}

HttpServer::~HttpServer() {
  beast::error_code ec;
  impl_->acceptor.close(ec);
}

Result<std::uint16_t> HttpServer::listen(const std::string& host, std::uint16_t port) {
  beast::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec)
    return fail(Errc::invalid_input, fmt::format("bad listen address {}: {}", host, ec.message()));
  tcp::endpoint endpoint(address, port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return fail(Errc::unavailable,
                fmt::format("cannot listen on {}:{}: {}", host, port, ec.message()));
  }
  impl_->bound_port = acceptor.local_endpoint().port();
  return impl_->bound_port;
}

void HttpServer::start() {
  auto self = impl_;
  asio::co_spawn(
      impl_->io, [self]() { return self->accept_loop(); }, asio::detached);
}

bool HttpServer::draining() const {
  return impl_->draining.load();
}
std::size_t HttpServer::active_connections() const {
  return impl_->active.load();
}
std::uint16_t HttpServer::port() const {
  return impl_->bound_port;
}

Task<void> HttpServer::drain(std::chrono::milliseconds grace) {
  auto self = impl_;
  self->draining = true;
  beast::error_code ec;
  self->acceptor.close(ec);
  self->close_idle();
  asio::steady_timer timer(co_await asio::this_coro::executor);
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (self->active.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(10));
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    self->close_idle();
  }
  if (self->active.load() > 0) {
    log::warn("http_drain_forced", {{"open_connections", self->active.load()}});
    self->close_all();
  }
}

void HttpServer::Impl::close_idle() {
  post_to_slots(false);
}
void HttpServer::Impl::close_all() {
  post_to_slots(true);
}

// The posted action runs on the connection's strand and looks the slot up again, so it never
// touches a stream whose session has already ended.
void HttpServer::Impl::post_to_slots(bool include_busy) {
  auto self = shared_from_this();
  std::lock_guard lock(slots_mutex);
  for (auto& [id, slot] : slots) {
    if (slot.busy && !include_busy) continue;
    asio::post(slot.executor, [self, id = id, include_busy]() {
      std::lock_guard lk(self->slots_mutex);
      auto it = self->slots.find(id);
      if (it == self->slots.end() || (it->second.busy && !include_busy)) return;
      beast::error_code ec;
      if (include_busy) it->second.stream->socket().shutdown(tcp::socket::shutdown_both, ec);
      it->second.stream->cancel();
    });
  }
}

Task<void> HttpServer::Impl::accept_loop() {
  auto self = shared_from_this();
  static constexpr std::string_view kBusy =
      "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\n"
      "Content-Length: 0\r\n\r\n";
  for (;;) {
    beast::error_code ec;
    tcp::socket socket(asio::make_strand(io));
    co_await acceptor.async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      log::warn("http_accept_failed", {{"error", ec.message()}});
      continue;
    }
    if (active.load() >= options.max_connections) {
      if (metrics)
        metrics->counter("kiebot_http_rejected_connections_total", "Connections refused at the cap")
            .inc();
      asio::write(socket, asio::buffer(kBusy), ec);
      socket.shutdown(tcp::socket::shutdown_both, ec);
      socket.close(ec);
      continue;
    }
    ++active;
    auto executor = socket.get_executor();
    asio::co_spawn(executor, session(std::move(socket)), [self](std::exception_ptr e) {
      --self->active;
      if (e) {
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& ex) {
          log::error("http_session_crashed", {{"error", ex.what()}});
        }
      }
    });
  }
}

Task<Response> HttpServer::Impl::dispatch(Request& request, std::string& route_label) {
  auto match = router.match(request.method, request.path);
  if (match.status == 404) {
    route_label = "unmatched";
    co_return Response::json(404, R"({"ok":false,"error":"not found"})");
  }
  if (match.status == 405) {
    route_label = "unmatched";
    auto r = Response::json(405, R"({"ok":false,"error":"method not allowed"})");
    r.headers.set("Allow", match.allow);
    co_return r;
  }
  route_label = match.pattern;
  request.params = std::move(match.params);
  try {
    co_return co_await (*match.handler)(request);
  } catch (const std::exception& e) {
    log::error("http_handler_exception",
               {{"route", route_label}, {"method", request.method}, {"error", e.what()}});
    co_return Response::json(500, R"({"ok":false,"error":"internal error"})");
  }
}

Task<bool> HttpServer::Impl::write_response(beast::tcp_stream& stream, Response response, bool head,
                                            bool keep_alive, unsigned version) {
  beast::error_code ec;
  auto apply_headers = [&](auto& res) {
    res.set(http::field::server, options.server_name);
    // A CR, LF or NUL in a field would split the response (header injection): such a field is
    // never written, whatever a handler put there.
    for (const auto& [k, v] : response.headers.items()) {
      constexpr std::string_view kBreaks("\r\n\0", 3);
      if (k.find_first_of(kBreaks) != std::string::npos ||
          v.find_first_of(kBreaks) != std::string::npos) {
        log::warn("http_header_dropped", {{"reason", "control characters in a response header"}});
        continue;
      }
      res.set(k, v);
    }
    res.keep_alive(keep_alive);
  };
  if (head) {
    http::response<http::empty_body> res{static_cast<http::status>(response.status), version};
    apply_headers(res);
    auto length = response.stream ? response.content_length
                                  : std::optional<std::uint64_t>(response.body.size());
    if (length) res.content_length(*length);
    stream.expires_after(options.write_timeout);
    co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec;
  }
  if (!response.stream) {
    http::response<http::string_body> res{static_cast<http::status>(response.status), version};
    apply_headers(res);
    res.body() = std::move(response.body);
    res.prepare_payload();
    stream.expires_after(options.write_timeout);
    co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec;
  }
  http::response<http::buffer_body> res{static_cast<http::status>(response.status), version};
  apply_headers(res);
  if (response.content_length) {
    res.content_length(*response.content_length);
  } else {
    res.chunked(true);
  }
  res.body().data = nullptr;
  res.body().more = true;
  http::response_serializer<http::buffer_body> serializer{res};
  stream.expires_after(options.write_timeout);
  co_await http::async_write_header(stream, serializer,
                                    asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return false;
  for (;;) {
    auto chunk = co_await response.stream->next_chunk();
    if (!chunk) {
      log::warn("http_stream_aborted", {{"error", chunk.error().describe()}});
      co_return false;  // the body is incomplete: the connection must be closed
    }
    if (!chunk->has_value()) {
      res.body().data = nullptr;
      res.body().more = false;
    } else {
      if ((*chunk)->empty()) continue;
      res.body().data = (*chunk)->data();
      res.body().size = (*chunk)->size();
      res.body().more = true;
    }
    stream.expires_after(options.write_timeout);
    co_await http::async_write(stream, serializer, asio::redirect_error(asio::use_awaitable, ec));
    if (ec == http::error::need_buffer) ec = {};
    if (ec) co_return false;
    if (!chunk->has_value()) break;
  }
  co_return true;
}

Task<void> HttpServer::Impl::session(tcp::socket socket) {
  auto self = shared_from_this();
  beast::tcp_stream stream(std::move(socket));
  std::string remote;
  std::uint16_t remote_port = 0;
  {
    beast::error_code ec;
    auto ep = stream.socket().remote_endpoint(ec);
    if (!ec) {
      remote = ep.address().to_string();
      remote_port = ep.port();
    }
  }
  std::uint64_t slot_id;
  {
    std::lock_guard lock(slots_mutex);
    slot_id = next_slot++;
    slots.emplace(slot_id, ConnectionSlot{&stream, stream.get_executor(), false});
  }
  struct SlotGuard {
    Impl* impl;
    std::uint64_t id;
    ~SlotGuard() {
      std::lock_guard lock(impl->slots_mutex);
      impl->slots.erase(id);
    }
  } guard{this, slot_id};
  auto set_busy = [&](bool busy) {
    std::lock_guard lock(slots_mutex);
    slots[slot_id].busy = busy;
  };

  beast::flat_buffer buffer;
  beast::error_code ec;
  for (;;) {
    if (draining && buffer.size() == 0) break;
    // Wait for the first byte of the next request (keep-alive idle time).
    if (buffer.size() == 0) {
      stream.expires_after(options.idle_timeout);
      auto n = co_await stream.async_read_some(buffer.prepare(4096),
                                               asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      buffer.commit(n);
    }
    set_busy(true);
    auto started = std::chrono::steady_clock::now();
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
    parser.body_limit(options.max_body_bytes);
    stream.expires_after(options.header_timeout);
    co_await http::async_read_header(stream, buffer, parser,
                                     asio::redirect_error(asio::use_awaitable, ec));
    int early_status = 0;
    if (!ec) {
      const auto& h = parser.get();
      auto cl = h.find(http::field::content_length);
      if (cl != h.end()) {
        // Refuse an announced oversize body before reading it.
        try {
          if (std::stoull(std::string(cl->value())) > options.max_body_bytes) early_status = 413;
        } catch (...) {
          early_status = 400;
        }
      }
      if (!early_status) {
        stream.expires_after(options.body_timeout);
        co_await http::async_read(stream, buffer, parser,
                                  asio::redirect_error(asio::use_awaitable, ec));
      }
    }
    if (ec == http::error::body_limit)
      early_status = 413;
    else if (ec == http::error::header_limit)
      early_status = 431;
    else if (ec == beast::error::timeout) {
      log::info("http_read_timeout", {{"remote", remote}});
      break;
    } else if (ec == http::error::end_of_stream || ec == asio::error::eof ||
               ec == asio::error::connection_reset || ec == asio::error::operation_aborted) {
      break;
    } else if (ec) {
      early_status = 400;
    }
    if (early_status) {
      if (metrics)
        metrics
            ->counter("kiebot_http_requests_total", "HTTP requests by route and status",
                      {{"route", "rejected"}, {"status", std::to_string(early_status)}})
            .inc();
      auto r = Response::json(early_status, fmt::format(R"({{"ok":false,"error":"{}"}})",
                                                        reason_phrase_body(early_status)));
      co_await write_response(stream, std::move(r), false, false, 11);
      break;
    }

    auto msg = parser.release();
    Request request;
    request.method = std::string(msg.method_string());
    request.target = std::string(msg.target());
    auto qpos = request.target.find('?');
    request.path = url_decode(std::string_view(request.target).substr(0, qpos), false);
    if (qpos != std::string::npos) request.query = request.target.substr(qpos + 1);
    for (const auto& field : msg)
      request.headers.add(std::string(field.name_string()), std::string(field.value()));
    request.body = std::move(msg.body());
    request.remote_address = remote;
    request.remote_port = remote_port;
    bool keep_alive = msg.keep_alive() && !draining;
    bool head = request.method == "HEAD";

    std::string route_label;
    auto response = co_await dispatch(request, route_label);
    int status = response.status;
    bool ok = co_await write_response(stream, std::move(response), head, keep_alive, msg.version());
    if (metrics) {
      metrics
          ->counter("kiebot_http_requests_total", "HTTP requests by route and status",
                    {{"route", route_label}, {"status", std::to_string(status)}})
          .inc();
      metrics
          ->histogram("kiebot_http_request_duration_seconds", "HTTP request latency by route",
                      {{"route", route_label}})
          .observe(
              std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    }
    set_busy(false);
    if (!ok || !keep_alive) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.close();
}

}  // namespace kb::net
