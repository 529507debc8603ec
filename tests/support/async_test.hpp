// Helpers to run coroutines and servers inside tests.
#pragma once

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <thread>
#include <vector>

#include "core/asio.hpp"
#include "net/http_server.hpp"
#include "net/router.hpp"

namespace kb::test {

// An io_context running on background threads for the lifetime of the object.
class IoThread {
 public:
  explicit IoThread(unsigned threads = 1);
  ~IoThread();
  asio::io_context& io() { return io_; }

  // Runs a coroutine on the io_context and blocks the calling thread until it finishes.
  template <class T>
  T run(std::function<Task<T>()> make) {
    std::promise<T> promise;
    auto future = promise.get_future();
    asio::co_spawn(
        io_,
        [&]() -> Task<void> {
          try {
            if constexpr (std::is_void_v<T>) {
              co_await make();
              promise.set_value();
            } else {
              promise.set_value(co_await make());
            }
          } catch (...) {
            promise.set_exception(std::current_exception());
          }
        },
        asio::detached);
    return future.get();
  }

 private:
  asio::io_context io_;
  std::unique_ptr<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
};

// A real HttpServer on 127.0.0.1 and a free port, with its own io thread.
class TestServer {
 public:
  explicit TestServer(net::Router& router, net::ServerOptions options = {},
                      net::MetricsRegistry* metrics = nullptr, unsigned threads = 1);
  ~TestServer();
  std::uint16_t port() const { return port_; }
  std::string url(std::string_view path = "") const;
  net::HttpServer& server() { return *server_; }
  IoThread& io() { return io_; }

 private:
  IoThread io_;
  std::unique_ptr<net::HttpServer> server_;
  std::uint16_t port_ = 0;
};

// Resident memory of this process in bytes.
std::size_t resident_bytes();

}  // namespace kb::test
