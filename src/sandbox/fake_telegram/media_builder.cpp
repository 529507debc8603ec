// Media message construction.
#include "sandbox/fake_telegram/media_builder.hpp"

#include "sandbox/fake_telegram/image_info.hpp"
#include "sandbox/fake_telegram/message_render.hpp"

namespace kb::sandbox::tg {
namespace {

constexpr ImageSize kUnknownImage{800, 600};

// A small JPEG-ish thumbnail entry for videos: the fake has no decoder, so it reuses the bytes.
const StoredFile* make_thumbnail(World& world, const StoredFile& main, int width, int height) {
  if (width <= 0 || height <= 0) return nullptr;
  auto box = ImageSize{width, height};
  auto sizes = photo_sizes(box);
  auto thumb = sizes.front();
  for (const auto& s : sizes)
    if (std::max(s.width, s.height) <= 320) thumb = s;
  return &world.files.add(FileKind::thumbnail, main.bytes, "image/jpeg", "", thumb.width,
                          thumb.height);
}

Result<void> attach_photo(World& world, StoredMessage& m, const MediaSource& src) {
  std::vector<const StoredFile*> sizes;
  if (!src.existing_id.empty()) {
    const auto* f = world.files.find(src.existing_id);
    if (!f) return fail(Errc::invalid_input, "wrong file identifier/HTTP URL specified");
    sizes = world.files.photo_set(*f);
  } else {
    auto dims = image_dimensions(*src.bytes).value_or(kUnknownImage);
    if (!photo_dimensions_valid(dims)) return fail(Errc::invalid_input, "PHOTO_INVALID_DIMENSIONS");
    for (auto s : photo_sizes(dims))
      sizes.push_back(
          &world.files.add(FileKind::photo, src.bytes, "image/jpeg", "", s.width, s.height));
  }
  m.kind = "photo";
  m.media_key = "photo";
  m.media = photo_json(sizes);
  m.file_ids.clear();
  for (auto it = sizes.rbegin(); it != sizes.rend(); ++it) m.file_ids.push_back((*it)->file_id);
  return {};
}

}  // namespace

Result<void> attach_media(World& world, StoredMessage& m, FileKind kind, const MediaSource& src,
                          const MediaAttributes& a) {
  if (kind == FileKind::photo) return attach_photo(world, m, src);
  const StoredFile* file = nullptr;
  if (!src.existing_id.empty()) {
    file = world.files.find(src.existing_id);
    if (!file) return fail(Errc::invalid_input, "wrong file identifier/HTTP URL specified");
  } else {
    int width = a.width, height = a.height;
    if ((kind == FileKind::video || kind == FileKind::animation) && (width <= 0 || height <= 0)) {
      // The real server reads these from the file; the fake has no decoder.
      width = 640;
      height = 360;
    }
    if (kind == FileKind::video_note) width = height = a.length > 0 ? a.length : 240;
    if (kind == FileKind::sticker) {
      width = a.width > 0 ? a.width : 512;
      height = a.height > 0 ? a.height : 512;
    }
    file =
        &world.files.add(kind, src.bytes, src.mime_type, src.file_name, width, height, a.duration);
  }
  const StoredFile* thumb = nullptr;
  if (src.existing_id.empty() &&
      (kind == FileKind::video || kind == FileKind::video_note || kind == FileKind::animation))
    thumb = make_thumbnail(world, *file, file->width, file->height);
  m.kind = std::string(file_kind_name(kind));
  m.media_key = m.kind;
  m.file_ids = {file->file_id};
  switch (kind) {
    case FileKind::video:
      m.media = video_json(*file, thumb);
      break;
    case FileKind::animation:
      m.media = animation_json(*file, thumb);
      m.media_extra = Json::object();
      m.media_extra["document"] = document_json(*file, thumb);
      break;
    case FileKind::audio:
      m.media = audio_json(*file, a.title, a.performer);
      break;
    case FileKind::voice:
      m.media = voice_json(*file);
      break;
    case FileKind::video_note:
      m.media = video_note_json(*file, thumb);
      break;
    case FileKind::sticker:
      m.media = sticker_json(*file, a.emoji);
      break;
    default:
      m.kind = "document";
      m.media_key = "document";
      m.media = document_json(*file, nullptr);
  }
  return {};
}

}  // namespace kb::sandbox::tg
