// File ids and paths.
#include "sandbox/fake_telegram/file_store.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/crypto.hpp"

namespace kb::sandbox::tg {
namespace {

// Prefixes observed on real file ids (never parsed by clients, but they make ids look real).
std::string_view id_prefix(FileKind kind) {
  switch (kind) {
    case FileKind::photo:
      return "AgACAgIAAxkBAAI";
    case FileKind::document:
      return "BQACAgIAAxkBAAI";
    case FileKind::video:
      return "BAACAgIAAxkBAAI";
    case FileKind::audio:
      return "CQACAgIAAxkBAAI";
    case FileKind::voice:
      return "AwACAgIAAxkBAAI";
    case FileKind::video_note:
      return "DQACAgIAAxkBAAI";
    case FileKind::animation:
      return "CgACAgIAAxkBAAI";
    case FileKind::sticker:
      return "CAACAgIAAxkBAAI";
    case FileKind::thumbnail:
      return "AAMCAgADGQEAAI";
  }
  return "BQACAgIAAxkBAAI";
}

std::string_view directory(FileKind kind) {
  switch (kind) {
    case FileKind::photo:
      return "photos";
    case FileKind::document:
      return "documents";
    case FileKind::video:
      return "videos";
    case FileKind::audio:
      return "music";
    case FileKind::voice:
      return "voice";
    case FileKind::video_note:
      return "video_notes";
    case FileKind::animation:
      return "animations";
    case FileKind::sticker:
      return "stickers";
    case FileKind::thumbnail:
      return "thumbnails";
  }
  return "documents";
}

}  // namespace

std::string_view file_kind_name(FileKind kind) {
  switch (kind) {
    case FileKind::photo:
      return "photo";
    case FileKind::document:
      return "document";
    case FileKind::video:
      return "video";
    case FileKind::audio:
      return "audio";
    case FileKind::voice:
      return "voice";
    case FileKind::video_note:
      return "video_note";
    case FileKind::animation:
      return "animation";
    case FileKind::sticker:
      return "sticker";
    case FileKind::thumbnail:
      return "thumbnail";
  }
  return "document";
}

std::string file_extension(std::string_view mime, std::string_view name) {
  if (auto dot = name.rfind('.');
      dot != std::string_view::npos && dot + 1 < name.size() && name.size() - dot <= 6)
    return std::string(name.substr(dot + 1));
  if (mime == "image/jpeg") return "jpg";
  if (mime == "image/png") return "png";
  if (mime == "image/gif") return "gif";
  if (mime == "image/webp") return "webp";
  if (mime == "video/mp4") return "mp4";
  if (mime == "audio/mpeg") return "mp3";
  if (mime == "audio/ogg") return "oga";
  if (mime == "audio/wav" || mime == "audio/x-wav") return "wav";
  if (mime == "application/pdf") return "pdf";
  if (mime == "application/zip") return "zip";
  if (mime == "text/plain") return "txt";
  return "bin";
}

const StoredFile& FileStore::add(FileKind kind, std::shared_ptr<const std::string> bytes,
                                 std::string mime_type, std::string file_name, int width,
                                 int height, int duration) {
  auto n = ++counter_;
  auto digest = crypto::sha256(fmt::format("{}/{}/{}", salt_, n, file_kind_name(kind)));
  StoredFile f;
  f.kind = kind;
  f.file_id = fmt::format("{}{}", id_prefix(kind), crypto::base64url(digest.substr(0, 33)));
  f.file_unique_id = fmt::format("{}{}", kind == FileKind::photo ? "AQAD" : "AgAD",
                                 crypto::base64url(digest.substr(20, 9)));
  f.bytes = std::move(bytes);
  f.mime_type = std::move(mime_type);
  f.file_name = std::move(file_name);
  f.width = width;
  f.height = height;
  f.duration = duration;
  auto ext = kind == FileKind::photo || kind == FileKind::thumbnail
                 ? std::string("jpg")
                 : file_extension(f.mime_type, f.file_name);
  f.file_path = fmt::format("{}/file_{}.{}", directory(kind), n, ext);
  id_by_path_[f.file_path] = f.file_id;
  auto [it, _] = by_id_.emplace(f.file_id, std::move(f));
  return it->second;
}

const StoredFile* FileStore::find(std::string_view file_id) const {
  auto it = by_id_.find(file_id);
  return it == by_id_.end() ? nullptr : &it->second;
}

const StoredFile* FileStore::find_by_path(std::string_view file_path) const {
  auto it = id_by_path_.find(file_path);
  return it == id_by_path_.end() ? nullptr : find(it->second);
}

std::vector<const StoredFile*> FileStore::photo_set(const StoredFile& size) const {
  std::vector<const StoredFile*> out;
  for (const auto& [id, f] : by_id_) {
    if (f.kind == FileKind::photo && f.bytes == size.bytes) out.push_back(&f);
  }
  std::sort(out.begin(), out.end(), [](const StoredFile* a, const StoredFile* b) {
    return a->width * a->height < b->width * b->height;
  });
  return out;
}

}  // namespace kb::sandbox::tg
