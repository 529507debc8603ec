// The wizard's media step (pure part): what an input accepts, and the refusal of files the bot
// could not download later.
#include <gtest/gtest.h>

#include "services/media/media_input.hpp"

namespace kb::services {
namespace {

constexpr std::int64_t kMiB = 1024 * 1024;

catalog::Input media_input(catalog::InputType type, std::int64_t max_mb = 20, bool array = false,
                           std::int64_t max_items = 1) {
  catalog::Input in;
  in.name = type == catalog::InputType::image ? "image_urls" : "video_url";
  in.type = type;
  in.max_mb = max_mb;
  in.array = array;
  in.max_items = max_items;
  return in;
}

telegram::Message video_message(std::int64_t size) {
  telegram::Message m;
  m.message_id = 5;
  m.date = 1767225600;
  m.chat.id = 100;
  telegram::Video v;
  v.file_id = "BAACAgVideo";
  v.file_unique_id = "AgADVideo";
  v.mime_type = "video/mp4";
  v.file_size = size;
  m.video = v;
  return m;
}

TEST(MediaInput, DownloadLimitIsTheCloudsOrNone) {
  EXPECT_EQ(download_limit(false), 20 * kMiB);
  EXPECT_GT(download_limit(true), std::int64_t{1} << 40);
}

TEST(MediaInput, RequirementCombinesTheModelAndTheBotApiLimits) {
  auto video = media_input(catalog::InputType::video, 100);
  auto cloud = media_requirement(video, false);
  ASSERT_TRUE(cloud);
  EXPECT_EQ(cloud->category, telegram::MediaCategory::video);
  EXPECT_EQ(cloud->max_bytes, 20 * kMiB);
  auto local = media_requirement(video, true);
  ASSERT_TRUE(local);
  EXPECT_EQ(local->max_bytes, 100 * kMiB);

  auto small = media_requirement(media_input(catalog::InputType::image, 10), false);
  ASSERT_TRUE(small);
  EXPECT_EQ(small->max_bytes, 10 * kMiB);
  EXPECT_FALSE(small->allow_album);
  auto album = media_requirement(media_input(catalog::InputType::image, 10, true, 4), false);
  ASSERT_TRUE(album);
  EXPECT_TRUE(album->allow_album);

  catalog::Input text;
  text.name = "prompt";
  text.type = catalog::InputType::text;
  EXPECT_FALSE(media_requirement(text, false));
}

TEST(MediaInput, FileAboveTheCloudDownloadLimitIsRefusedAtInputTime) {
  auto input = media_input(catalog::InputType::video, 100);
  auto decision = check_media_input(video_message(25 * kMiB), input, false);
  ASSERT_TRUE(decision);
  auto* refusal = std::get_if<telegram::MediaRejection>(&*decision);
  ASSERT_NE(refusal, nullptr);
  EXPECT_EQ(refusal->reason, telegram::RejectReason::too_big);
  EXPECT_EQ(refusal->limit_bytes, 20 * kMiB);
  EXPECT_EQ(refusal->size_bytes, 25 * kMiB);

  // The same file is fine with a local Bot API server (no download limit).
  auto local = check_media_input(video_message(25 * kMiB), input, true);
  ASSERT_TRUE(local);
  EXPECT_TRUE(std::holds_alternative<telegram::AcceptedMedia>(*local));

  // And a file within the limit is accepted on the cloud.
  auto ok = check_media_input(video_message(5 * kMiB), input, false);
  ASSERT_TRUE(ok);
  EXPECT_TRUE(std::holds_alternative<telegram::AcceptedMedia>(*ok));
}

TEST(MediaInput, ModelLimitBelowTheDownloadLimitIsTheOneReported) {
  auto input = media_input(catalog::InputType::video, 10);
  auto decision = check_media_input(video_message(15 * kMiB), input, true);
  ASSERT_TRUE(decision);
  auto* refusal = std::get_if<telegram::MediaRejection>(&*decision);
  ASSERT_NE(refusal, nullptr);
  EXPECT_EQ(refusal->limit_bytes, 10 * kMiB);
}

TEST(MediaInput, WrongKindIsRefused) {
  auto decision =
      check_media_input(video_message(kMiB), media_input(catalog::InputType::image), false);
  ASSERT_TRUE(decision);
  auto* refusal = std::get_if<telegram::MediaRejection>(&*decision);
  ASSERT_NE(refusal, nullptr);
  EXPECT_EQ(refusal->reason, telegram::RejectReason::wrong_kind);
}

}  // namespace
}  // namespace kb::services
