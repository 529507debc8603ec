// Range relay: skip, cut and end-of-stream checks over an upstream body.
#include "services/media/range_body.hpp"

namespace kb::services {

RangeBody::RangeBody(std::unique_ptr<net::ResponseStream> upstream, std::uint64_t skip,
                     std::optional<std::uint64_t> length, std::shared_ptr<void> hold)
    : upstream_(std::move(upstream)), skip_(skip), remaining_(length), hold_(std::move(hold)) {}

Task<Result<std::optional<std::string>>> RangeBody::next_chunk() {
  for (;;) {
    if (remaining_ && *remaining_ == 0) {
      // Done: dropping the upstream cancels whatever it still had to send (trimmed tail).
      upstream_.reset();
      hold_.reset();
      co_return std::optional<std::string>();
    }
    if (!upstream_) co_return fail(Errc::internal, "media body read after its end");
    auto chunk = co_await upstream_->next_chunk();
    if (!chunk) co_return fail(chunk.error());
    if (!chunk->has_value()) {
      upstream_.reset();
      hold_.reset();
      if (skip_ > 0 || (remaining_ && *remaining_ > 0))
        co_return fail(Errc::upstream, "the upstream body ended before the announced length");
      co_return std::optional<std::string>();
    }
    std::string data = std::move(**chunk);
    if (skip_ > 0) {
      if (data.size() <= skip_) {
        skip_ -= data.size();
        continue;
      }
      data.erase(0, static_cast<std::size_t>(skip_));
      skip_ = 0;
    }
    if (remaining_) {
      if (data.size() > *remaining_) data.resize(static_cast<std::size_t>(*remaining_));
      *remaining_ -= data.size();
    }
    if (data.empty()) continue;
    sent_ += data.size();
    co_return std::optional<std::string>(std::move(data));
  }
}

}  // namespace kb::services
