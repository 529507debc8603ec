// Response bodies of the media proxy: an upstream byte stream relayed chunk by chunk, with the
// bytes before a range skipped and the bytes after it cut off (when the upstream cannot serve the
// range itself), and an empty body for HEAD answers that still announce a length.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "net/http_client.hpp"
#include "net/http_types.hpp"

namespace kb::services {

class RangeBody final : public net::BodySource {
 public:
  // Relays `upstream` from byte `skip` on; with `length`, exactly that many bytes (an upstream
  // that ends sooner is an error, so the announced Content-Length is never silently broken);
  // without, until the upstream ends. `hold` (e.g. a concurrency slot) lives as long as the body.
  RangeBody(std::unique_ptr<net::ResponseStream> upstream, std::uint64_t skip,
            std::optional<std::uint64_t> length, std::shared_ptr<void> hold = nullptr);

  Task<Result<std::optional<std::string>>> next_chunk() override;

  std::uint64_t bytes_sent() const { return sent_; }

 private:
  std::unique_ptr<net::ResponseStream> upstream_;
  std::uint64_t skip_;
  std::optional<std::uint64_t> remaining_;
  std::shared_ptr<void> hold_;
  std::uint64_t sent_ = 0;
};

// A body that is never pulled: HEAD answers carry a stream only so that the server announces
// `content_length` instead of the (empty) string body's size.
class NoBody final : public net::BodySource {
 public:
  Task<Result<std::optional<std::string>>> next_chunk() override {
    co_return std::optional<std::string>();
  }
};

}  // namespace kb::services
