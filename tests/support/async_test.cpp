// Test io threads and servers.
#include "support/async_test.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "net/builtin_endpoints.hpp"

namespace kb::test {

IoThread::IoThread(unsigned threads)
    : work_(std::make_unique<asio::executor_work_guard<asio::io_context::executor_type>>(
          io_.get_executor())) {
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { io_.run(); });
}

IoThread::~IoThread() {
  work_.reset();
  io_.stop();
  for (auto& t : threads_) t.join();
}

TestServer::TestServer(net::Router& router, net::ServerOptions options,
                       net::MetricsRegistry* metrics, unsigned threads)
    : io_(threads) {
  server_ = std::make_unique<net::HttpServer>(io_.io(), std::move(options), router, metrics);
  auto port = server_->listen("127.0.0.1", 0);
  if (!port) throw std::runtime_error(port.error().message);
  port_ = *port;
  server_->start();
}

TestServer::~TestServer() {
  // Close the acceptor and connections before the io threads stop.
  io_.run<void>([this]() { return server_->drain(std::chrono::milliseconds(500)); });
}

std::string TestServer::url(std::string_view path) const {
  return fmt::format("http://127.0.0.1:{}{}", port_, path);
}

std::size_t resident_bytes() {
  return net::resident_memory_bytes();
}

}  // namespace kb::test
