// Media extraction from every example message, links, and acceptance against wizard steps.
#include <gtest/gtest.h>

#include "telegram/links.hpp"
#include "telegram/media.hpp"
#include "telegram/parse.hpp"
#include "unit/telegram/examples.hpp"

namespace kb::telegram {
namespace {

Message example_message(const std::string& name) {
  auto u = parse_update(test::read_example(name));
  EXPECT_TRUE(u && u->message) << name;
  return u && u->message ? *u->message : Message{};
}

Message text_message(std::string text, std::vector<MessageEntity> entities = {}) {
  Message m;
  m.message_id = 1;
  m.date = 1;
  m.chat.id = 1;
  m.text = std::move(text);
  m.entities = std::move(entities);
  return m;
}

const MediaRejection& rejection(const MediaDecision& d) {
  static const MediaRejection kNone;
  EXPECT_TRUE(std::holds_alternative<MediaRejection>(d));
  return std::holds_alternative<MediaRejection>(d) ? std::get<MediaRejection>(d) : kNone;
}

const AcceptedMedia& accepted(const MediaDecision& d) {
  static const AcceptedMedia kNone;
  EXPECT_TRUE(std::holds_alternative<AcceptedMedia>(d))
      << (std::holds_alternative<MediaRejection>(d)
              ? reject_reason_name(std::get<MediaRejection>(d).reason)
              : "");
  return std::holds_alternative<AcceptedMedia>(d) ? std::get<AcceptedMedia>(d) : kNone;
}

TEST(MediaExtract, PhotoPicksTheLargestSize) {
  auto media = extract_media(example_message("03_photo_caption"));
  ASSERT_TRUE(media.file);
  EXPECT_EQ(media.file->kind, MediaKind::image);
  EXPECT_EQ(media.file->file_id, "AgACAgIAAxkBAAIBZmlTe5tFakePhotoSizeY0001AAMCAAN5AAM2BB");
  EXPECT_EQ(media.file->file_unique_id, "AQADFkPh0s01Axx8");
  EXPECT_EQ(media.file->file_size, 142310);
  EXPECT_EQ(media.file->width, 1280);
  EXPECT_FALSE(media.forwarded);
  EXPECT_TRUE(media.has_text);
}

TEST(MediaExtract, LargestPhotoWithinTheLimitAndByPixelsNotPosition) {
  std::vector<PhotoSize> sizes = {{"big", "u1", 2000, 2000, 30'000'000},
                                  {"small", "u2", 90, 90, 1000},
                                  {"mid", "u3", 800, 800, 70'000}};
  auto best = largest_photo(sizes);
  ASSERT_TRUE(best);
  EXPECT_EQ(best->file_id, "mid");
  EXPECT_EQ(largest_photo(sizes, 1LL << 40)->file_id, "big");
  EXPECT_FALSE(largest_photo(sizes, 10));
}

TEST(MediaExtract, EveryKind) {
  struct Case {
    const char* example;
    MediaKind kind;
    const char* mime;
  } cases[] = {
      {"04_document_image", MediaKind::document, "image/png"},
      {"05_video", MediaKind::video, "video/mp4"},
      {"06_video_note", MediaKind::video_note, "video/mp4"},
      {"07_voice", MediaKind::voice, "audio/ogg"},
      {"08_audio", MediaKind::audio, "audio/mpeg"},
      {"19_animation", MediaKind::animation, "video/mp4"},
  };
  for (const auto& c : cases) {
    auto media = extract_media(example_message(c.example));
    ASSERT_TRUE(media.file) << c.example;
    EXPECT_EQ(media.file->kind, c.kind) << c.example;
    EXPECT_EQ(media.file->mime_type, c.mime) << c.example;
    EXPECT_FALSE(media.file->file_id.empty());
    EXPECT_TRUE(media.file->file_size.has_value());
  }
  auto doc = extract_media(example_message("04_document_image"));
  EXPECT_EQ(doc.file->file_name, "sketch.png");
  EXPECT_EQ(doc.file->file_size, 2483921);
}

TEST(MediaExtract, ForwardedAndAlbum) {
  EXPECT_TRUE(extract_media(example_message("09_forward_user_photo")).forwarded);
  EXPECT_TRUE(extract_media(example_message("10_forward_channel")).forwarded);
  EXPECT_TRUE(extract_media(example_message("11_forward_hidden_user")).forwarded);
  auto album = extract_media(example_message("12b_album"));
  EXPECT_EQ(album.album_id, "13912345678901234");
  EXPECT_EQ(album.file->width, 1080);
}

TEST(MediaAccept, ImagesPhotoOrImageDocumentOrLink) {
  MediaRequirement image{MediaCategory::image};
  auto photo = accepted(accept_media(example_message("03_photo_caption"), image));
  ASSERT_EQ(photo.items.size(), 1u);
  EXPECT_EQ(photo.items[0].kind, MediaKind::image);

  auto doc = accepted(accept_media(example_message("04_document_image"), image));
  EXPECT_EQ(doc.items[0].kind, MediaKind::document);
  EXPECT_EQ(doc.category, MediaCategory::image);

  auto link = accepted(accept_media(text_message("see https://cdn.example.com/a.png."), image));
  ASSERT_EQ(link.items.size(), 1u);
  EXPECT_EQ(link.items[0].kind, MediaKind::url);
  EXPECT_EQ(link.items[0].url, "https://cdn.example.com/a.png");

  auto forwarded = accepted(accept_media(example_message("09_forward_user_photo"), image));
  EXPECT_TRUE(forwarded.forwarded);
}

TEST(MediaAccept, VoiceIsAudioAndAnimationsAndNotesAreVideo) {
  MediaRequirement audio{MediaCategory::audio};
  EXPECT_EQ(accepted(accept_media(example_message("07_voice"), audio)).items[0].kind,
            MediaKind::voice);
  EXPECT_EQ(accepted(accept_media(example_message("08_audio"), audio)).items[0].kind,
            MediaKind::audio);
  MediaRequirement video{MediaCategory::video};
  EXPECT_EQ(accepted(accept_media(example_message("19_animation"), video)).items[0].kind,
            MediaKind::animation);
  EXPECT_EQ(accepted(accept_media(example_message("06_video_note"), video)).items[0].kind,
            MediaKind::video_note);
  EXPECT_EQ(accepted(accept_media(example_message("05_video"), video)).items[0].kind,
            MediaKind::video);
}

TEST(MediaAccept, WrongKind) {
  auto r = rejection(accept_media(example_message("05_video"), {MediaCategory::image}));
  EXPECT_EQ(r.reason, RejectReason::wrong_kind);
  EXPECT_EQ(r.expected, MediaCategory::image);
  EXPECT_EQ(r.got, MediaKind::video);

  auto pdf = example_message("04_document_image");
  pdf.document->mime_type = "application/pdf";
  auto d = rejection(accept_media(pdf, {MediaCategory::image}));
  EXPECT_EQ(d.reason, RejectReason::wrong_kind);
  EXPECT_EQ(d.got, MediaKind::document);
  EXPECT_EQ(d.mime_type, "application/pdf");
}

TEST(MediaAccept, TooBigWithTheLimit) {
  MediaRequirement small{MediaCategory::video, 1'000'000};
  auto r = rejection(accept_media(example_message("05_video"), small));
  EXPECT_EQ(r.reason, RejectReason::too_big);
  EXPECT_EQ(r.limit_bytes, 1'000'000);
  EXPECT_EQ(r.size_bytes, 4718592);

  // Photos: a smaller size within the limit is taken instead.
  MediaRequirement photo_limit{MediaCategory::image, 100'000};
  auto p = accepted(accept_media(example_message("03_photo_caption"), photo_limit));
  EXPECT_EQ(p.items[0].width, 800);
  MediaRequirement tiny{MediaCategory::image, 100};
  EXPECT_EQ(rejection(accept_media(example_message("03_photo_caption"), tiny)).reason,
            RejectReason::too_big);
}

TEST(MediaAccept, TextStickerAlbumAndNothing) {
  MediaRequirement image{MediaCategory::image};
  EXPECT_EQ(rejection(accept_media(text_message("a cat please"), image)).reason,
            RejectReason::text_without_link);
  EXPECT_EQ(rejection(accept_media(text_message("look: https://..bad/x"), image)).reason,
            RejectReason::invalid_link);

  Message sticker = text_message("");
  sticker.text.reset();
  sticker.sticker = Sticker{"CAAC", "AgAD", "regular", 512, 512};
  EXPECT_EQ(rejection(accept_media(sticker, image)).reason, RejectReason::sticker);

  EXPECT_EQ(rejection(accept_media(example_message("12a_album"), image)).reason,
            RejectReason::album_not_allowed);
  MediaRequirement album{MediaCategory::image, kCloudDownloadLimit, true};
  auto part = accepted(accept_media(example_message("12a_album"), album));
  EXPECT_EQ(part.album_id, "13912345678901234");

  Message empty = text_message("");
  empty.text.reset();
  empty.has_unsupported_content = true;
  EXPECT_EQ(rejection(accept_media(empty, image)).reason, RejectReason::no_media);

  MediaRequirement no_links{MediaCategory::image, kCloudDownloadLimit, false, false};
  EXPECT_EQ(rejection(accept_media(text_message("https://x.example/a.png"), no_links)).reason,
            RejectReason::text_without_link);
}

TEST(MediaAccept, SeveralLinksOnlyForAlbums) {
  auto m = text_message("https://a.example/1.png https://b.example/2.png");
  auto one = accepted(accept_media(m, {MediaCategory::image}));
  ASSERT_EQ(one.items.size(), 1u);
  EXPECT_EQ(one.items[0].url, "https://a.example/1.png");
  auto many = accepted(accept_media(m, {MediaCategory::image, kCloudDownloadLimit, true}));
  EXPECT_EQ(many.items.size(), 2u);
}

TEST(Links, EntitiesUseUtf16Offsets) {
  // "👋 " is 3 UTF-16 units; the url entity starts after it.
  std::string text = "👋 https://x.example/p?q=1 and more";
  MessageEntity url{"url", 3, 23};
  MessageEntity text_link{"text_link", 0, 2, "https://hidden.example/"};
  auto links = find_links(text, {url, text_link});
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0], "https://x.example/p?q=1");
  EXPECT_EQ(links[1], "https://hidden.example/");
  EXPECT_EQ(utf16_slice(text, 0, 2), "👋");
  EXPECT_EQ(utf16_slice(text, 100, 2), "");
}

TEST(Links, Validation) {
  EXPECT_TRUE(is_valid_http_url("https://example.com"));
  EXPECT_TRUE(is_valid_http_url("http://127.0.0.1:8080/x.png?sig=1#f"));
  EXPECT_TRUE(is_valid_http_url("HTTPS://EXAMPLE.COM/A"));
  EXPECT_TRUE(is_valid_http_url("http://[::1]:80/a"));
  EXPECT_FALSE(is_valid_http_url("ftp://example.com/a"));
  EXPECT_FALSE(is_valid_http_url("https://"));
  EXPECT_FALSE(is_valid_http_url("https://user:pass@example.com/"));
  EXPECT_FALSE(is_valid_http_url("https://exa mple.com/"));
  EXPECT_FALSE(is_valid_http_url("https://example.com:99999/"));
  EXPECT_FALSE(is_valid_http_url("https://example..com/"));
  EXPECT_FALSE(is_valid_http_url("javascript:alert(1)"));
  EXPECT_FALSE(is_valid_http_url("https://example.com/" + std::string(3000, 'a')));
}

}  // namespace
}  // namespace kb::telegram
