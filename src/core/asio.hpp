// The one prelude for Asio: Boost 1.74 needs <utility> before any Asio header, and every file
// that uses Asio includes this instead of Boost headers directly.
#pragma once

#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace kb {
namespace asio = boost::asio;
template <class T = void>
using Task = boost::asio::awaitable<T>;
}  // namespace kb
