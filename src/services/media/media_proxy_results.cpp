// The result-file route of the media proxy: a signed provider URL fetched over HTTP and relayed,
// with the client's Range forwarded when the provider honours it and cut out locally otherwise.
#include <fmt/format.h>

#include "core/log.hpp"
#include "net/http_range.hpp"
#include "services/media/media_proxy.hpp"
#include "services/media/media_types.hpp"
#include "services/media/proxy_http.hpp"
#include "services/media/range_body.hpp"
#include "telegram/links.hpp"

namespace kb::services {
namespace {

std::string host_of(std::string_view url) {
  auto start = url.find("://");
  if (start == std::string_view::npos) return "";
  auto rest = url.substr(start + 3);
  return std::string(rest.substr(0, rest.find_first_of("/?#")));
}

bool generic_type(std::string_view type) {
  return type.empty() || type.starts_with("application/octet-stream") ||
         type.starts_with("binary/octet-stream");
}

}  // namespace

Task<net::Response> MediaProxy::serve_result(net::Request& request) {
  auto permit = slots_.try_acquire();
  if (!permit) co_return busy();
  auto check = signer_.verify(request.param("token"), clock_.now_seconds());
  if (check.status == TokenStatus::tampered || check.claims.kind != MediaTokenKind::result_file) {
    log::info("media_refused", {{"route", "result"}, {"reason", "bad_token"}});
    co_return proxy_http::refusal(403, "forbidden\n");
  }
  if (check.status == TokenStatus::expired) {
    log::info("media_refused", {{"route", "result"}, {"reason", "expired"}});
    co_return proxy_http::refusal(410, "this link has expired\n");
  }
  const auto& claims = check.claims;
  // Only http(s) targets are ever fetched, whatever was signed.
  if (!telegram::is_valid_http_url(claims.url)) {
    log::warn("media_refused", {{"route", "result"}, {"reason", "not_http"}});
    co_return proxy_http::refusal(403, "forbidden\n");
  }

  const auto range_header = request.headers.get("Range");
  const bool head = request.method == "HEAD";
  net::ClientRequest upstream;
  // GET even for HEAD: presigned provider URLs are signed for GET only. A HEAD drops the stream
  // after the response head (which cancels the transfer).
  upstream.method = "GET";
  upstream.url = claims.url;
  upstream.connect_timeout = options_.result_connect_timeout;
  upstream.timeout = options_.result_timeout;
  upstream.upstream = "media_result";
  upstream.follow_redirects = true;  // CDNs redirect; the client allows http(s) only
  if (range_header && proxy_http::is_single_byte_range(*range_header))
    upstream.headers.set("Range", std::string(*range_header));

  auto opened = co_await http_.open(std::move(upstream));
  if (!opened) {
    log::warn("media_result_fetch_failed",
              {{"host", host_of(claims.url)}, {"error", errc_name(opened.error().code)}});
    co_return proxy_http::refusal(opened.error().code == Errc::timeout ? 504 : 502,
                                  "file unavailable\n");
  }
  auto stream = std::move(*opened);
  const int status = stream->status();

  std::string content_type(stream->headers().get_or("Content-Type"));
  if (generic_type(content_type)) {
    auto ext = extension_of(claims.file_name);
    if (ext.empty()) ext = extension_of_path(claims.url);
    content_type = mime_for_extension(ext);
  }
  auto finish = [&](net::Response answer, std::uint64_t skip) {
    answer.headers.set("Content-Disposition", fmt::format("inline; filename=\"{}\"",
                                                          sanitize_file_name(claims.file_name)));
    if (head) {
      answer.stream = std::make_shared<NoBody>();
    } else {
      answer.stream = std::make_shared<RangeBody>(std::move(stream), skip, answer.content_length,
                                                  std::move(permit));
    }
    return answer;
  };

  if (status == 206) {
    // The provider served the range itself: relay its Content-Range.
    auto range = proxy_http::parse_content_range(stream->headers().get_or("Content-Range"));
    if (!range) {
      log::warn("media_result_bad_range", {{"host", host_of(claims.url)}});
      co_return proxy_http::refusal(502, "file unavailable\n");
    }
    net::RangeDecision decision{net::RangeOutcome::partial, {range->first, range->last}};
    auto answer = proxy_http::file_answer(decision, range->total, content_type);
    answer.status = 206;
    answer.content_length = range->last - range->first + 1;
    answer.headers.set("Content-Range", std::string(stream->headers().get_or("Content-Range")));
    co_return finish(std::move(answer), 0);
  }
  if (status == 416) {
    auto answer = proxy_http::refusal(416, "range not satisfiable\n");
    if (auto cr = stream->headers().get("Content-Range"))
      answer.headers.set("Content-Range", std::string(*cr));
    co_return answer;
  }
  if (status == 404 || status == 410) co_return proxy_http::refusal(404, "not found\n");
  if (status != 200) {
    log::warn("media_result_refused", {{"host", host_of(claims.url)}, {"status", status}});
    co_return proxy_http::refusal(502, "file unavailable\n");
  }

  // A whole body: the range (if any) is cut out here.
  auto total = stream->content_length();
  auto decision = total ? net::decide_range(range_header, *total) : net::RangeDecision{};
  if (decision.outcome == net::RangeOutcome::unsatisfiable)
    co_return proxy_http::range_not_satisfiable(total);
  auto answer = proxy_http::file_answer(decision, total, content_type);
  std::uint64_t skip = decision.outcome == net::RangeOutcome::partial ? decision.range.first : 0;
  co_return finish(std::move(answer), skip);
}

}  // namespace kb::services
