// A file on local disk as a net::ResponseStream: how files are "downloaded" from a Bot API server
// running with --local, whose getFile answers an absolute path.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "core/result.hpp"
#include "net/http_client.hpp"

namespace kb::telegram {

// Opens `path` for reading in chunks of `chunk_bytes`. Errc::not_found when it does not exist,
// Errc::io when it cannot be read.
Result<std::unique_ptr<net::ResponseStream>> open_local_file(const std::string& path,
                                                             std::size_t chunk_bytes = 256 * 1024);

}  // namespace kb::telegram
