// Local file reading behind the ResponseStream interface.
#include "telegram/local_file_stream.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

#include <sys/stat.h>

namespace kb::telegram {
namespace {

// Chunks are small and local reads fast, so reading on the event loop thread is acceptable here
// (the same trade-off as the HTTP server's static responses).
class LocalFileStream final : public net::ResponseStream {
 public:
  LocalFileStream(std::ifstream file, std::uint64_t size, std::size_t chunk_bytes)
      : file_(std::move(file)), size_(size), chunk_bytes_(chunk_bytes) {
    headers_.set("Content-Length", std::to_string(size));
  }

  int status() const override { return 200; }
  const net::Headers& headers() const override { return headers_; }
  std::optional<std::uint64_t> content_length() const override { return size_; }

  Task<Result<std::optional<std::string>>> next_chunk() override {
    if (read_ >= size_) co_return std::optional<std::string>();
    std::string chunk(
        static_cast<std::size_t>(std::min<std::uint64_t>(chunk_bytes_, size_ - read_)), '\0');
    file_.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    auto got = static_cast<std::size_t>(file_.gcount());
    if (got == 0) co_return fail(Errc::io, "local file ended early (truncated while reading?)");
    chunk.resize(got);
    read_ += got;
    co_return std::optional<std::string>(std::move(chunk));
  }

 private:
  std::ifstream file_;
  std::uint64_t size_;
  std::uint64_t read_ = 0;
  std::size_t chunk_bytes_;
  net::Headers headers_;
};

}  // namespace

Result<std::unique_ptr<net::ResponseStream>> open_local_file(const std::string& path,
                                                             std::size_t chunk_bytes) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    int err = errno;
    if (err == ENOENT || err == ENOTDIR)
      return fail(Errc::not_found, "local file not found: " + path);
    return fail(Errc::io, "cannot stat local file " + path + ": " + std::strerror(err));
  }
  if (!S_ISREG(st.st_mode)) return fail(Errc::io, "not a regular file: " + path);
  std::ifstream file(path, std::ios::binary);
  if (!file) return fail(Errc::io, "cannot open local file " + path);
  return std::unique_ptr<net::ResponseStream>(
      std::make_unique<LocalFileStream>(std::move(file), static_cast<std::uint64_t>(st.st_size),
                                        std::max<std::size_t>(chunk_bytes, 1)));
}

}  // namespace kb::telegram
