// End-to-end journeys with media and options: a photo, an image file, a forwarded photo, an album,
// image-to-video, a voice message and an audio file, enums with Skip and "Use default", the free
// tier running out, and a restart in the middle of the wizard.
#include <unistd.h>

#include <gtest/gtest.h>

#include "bot/callback_data.hpp"
#include "bot_harness.hpp"
#include "core/log.hpp"
#include "sandbox/media/sample_media.hpp"

namespace kb::test {
namespace {

using bot::Lang;
using sandbox::tg::User;

// Opens a model's card by its deep link and starts its wizard.
void open_wizard(BotHarness& h, const User& u, const std::string& slug, Lang lang) {
  h.command(u, "start", "m-" + slug);
  ASSERT_EQ(h.screen_id(u), "card") << slug;
  h.press(u, h.t(lang, "card.start"));
  ASSERT_EQ(h.screen_id(u), "wizard");
}

// Answers the remaining steps with Use default / Skip / the first option until the confirm.
void take_defaults(BotHarness& h, const User& u) {
  for (int i = 0; i < 12 && h.screen_id(u) == "wizard"; ++i) {
    auto s = h.screen(u);
    ASSERT_TRUE(s);
    std::string data;
    for (const auto& b : s->buttons()) {
      auto d = bot::decode_callback(b.callback_data);
      if (d && (d->action == "wd" || d->action == "wk")) {
        data = b.callback_data;
        break;
      }
    }
    for (const auto& b : s->buttons()) {
      auto d = bot::decode_callback(b.callback_data);
      if (data.empty() && d && d->action == "wo") data = b.callback_data;
    }
    ASSERT_FALSE(data.empty()) << "a step without a default: " << s->text;
    h.press_data(u, s->message_id, data);
  }
  ASSERT_EQ(h.screen_id(u), "confirm");
}

// Generate, run the provider and deliver; returns the provider task.
sandbox::TaskView generate_and_deliver(BotHarness& h, const User& u, Lang lang) {
  h.press(u, h.t(lang, "confirm.generate"));
  EXPECT_EQ(h.screen_id(u), "started");
  EXPECT_TRUE(h.deliver_latest(u));
  auto tasks = h.kie->tasks();
  for (const auto& t : tasks)
    if (!t.fail_code.empty())
      ADD_FAILURE() << "provider failed: " << t.fail_code << " " << t.fail_msg << " "
                    << t.input.dump();
  EXPECT_FALSE(tasks.empty());
  return tasks.empty() ? sandbox::TaskView{} : tasks.back();
}

void expect_input_downloaded(BotHarness& h, const nlohmann::json& urls, std::size_t count) {
  std::vector<std::string> list;
  if (urls.is_string()) list.push_back(urls.get<std::string>());
  if (urls.is_array())
    for (const auto& u : urls) list.push_back(u.get<std::string>());
  ASSERT_EQ(list.size(), count) << urls.dump();
  for (const auto& url : list)
    EXPECT_NE(url.find("/media/"), std::string::npos) << url;  // the signed proxy
  EXPECT_GE(h.kie->downloads().size(), count);
  for (const auto& d : h.kie->downloads())
    EXPECT_TRUE(d.ok()) << d.url << " " << d.http_status << " " << d.error;
}

TEST(BotMediaJourney, ImageToolWithAPhotoAFileAndAForward) {
  log::Capture capture;
  BotHarness h;
  auto u = h.user("Pia", "en");
  for (int variant = 0; variant < 3; ++variant) {
    SCOPED_TRACE(variant);
    open_wizard(h, u, "recraft-remove-background", Lang::en);
    auto png = media::gradient_png("input-" + std::to_string(variant), 64, 64);
    if (variant == 0) h.telegram->send_photo(u, png);
    if (variant == 1) h.telegram->send_document(u, png, "image/png", "input.png");
    if (variant == 2) h.telegram->forward_photo(u, png, sandbox::tg::ForwardOrigin{});
    h.pump();
    ASSERT_EQ(h.screen_id(u), "confirm") << h.last(u)->text;
    auto task = generate_and_deliver(h, u, Lang::en);
    EXPECT_EQ(task.model, "recraft/remove-background");
    expect_input_downloaded(h, task.input["image"], 1);
  }
  EXPECT_EQ(capture.count(log::Level::error), 0u);
}

TEST(BotMediaJourney, WrongMediaGetsAPreciseExplanationAndTheUserStays) {
  BotHarness h;
  auto u = h.user("Ann", "ru");
  open_wizard(h, u, "recraft-remove-background", Lang::ru);
  h.telegram->send_sticker(u, "sticker-bytes");
  h.pump();
  EXPECT_EQ(h.screen_id(u), "wizard");
  EXPECT_NE(h.last(u)->text.find(h.t(Lang::ru, "errors.media.sticker")), std::string::npos)
      << h.last(u)->text;
  h.text(u, "просто текст");
  EXPECT_NE(h.last(u)->text.find("Пришлите фото или изображение файлом до 5 МБ"), std::string::npos)
      << h.last(u)->text;
  EXPECT_EQ(h.state(u).step, 0);
}

TEST(BotMediaJourney, AlbumForAMultiImageModel) {
  BotHarness h;
  auto u = h.user("Max", "en", 1000'00);
  open_wizard(h, u, "google-nano-banana-edit", Lang::en);
  h.telegram->send_album(
      u, {media::gradient_png("a"), media::gradient_png("b"), media::gradient_png("c")});
  h.pump();
  EXPECT_EQ(h.state(u).pending_media.size(), 3u);
  h.press_containing(u, "✅");  // Done (3)
  ASSERT_EQ(h.state(u).step, 1) << h.last(u)->text;
  h.text(u, "Combine these into one poster");
  take_defaults(h, u);
  auto task = generate_and_deliver(h, u, Lang::en);
  expect_input_downloaded(h, task.input["image_urls"], 3);
  auto jobs = h.jobs(u);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(h.balance(u).available,
            1000'00 - jobs[0].price_kopecks);  // captured exactly the price shown
}

TEST(BotMediaJourney, ImageToVideo) {
  BotHarness h;
  auto u = h.user("Vic", "ru", 5000'00);
  open_wizard(h, u, "kling-2-6-image-to-video", Lang::ru);
  h.telegram->send_photo(u, media::gradient_png("frame"));
  h.pump();
  h.text(u, "Камера медленно отъезжает");
  take_defaults(h, u);
  auto confirm = h.screen(u);
  ASSERT_TRUE(confirm);
  auto task = generate_and_deliver(h, u, Lang::ru);
  EXPECT_EQ(task.model, "kling-2.6/image-to-video");
  expect_input_downloaded(h, task.input["image_urls"], 1);
  bool video = false;
  for (const auto& m : h.telegram->bot_messages(u.id))
    video = video || m.kind == "video" || m.kind == "document";
  EXPECT_TRUE(video);
}

TEST(BotMediaJourney, AudioInputWithAVoiceMessageAndAnAudioFile) {
  BotHarness h;
  auto u = h.user("Ola", "en", 1000'00);
  for (int variant = 0; variant < 2; ++variant) {
    SCOPED_TRACE(variant);
    open_wizard(h, u, "elevenlabs-audio-isolation", Lang::en);
    auto wav = media::seeded_tone_wav("voice-" + std::to_string(variant));
    if (variant == 0) h.telegram->send_voice(u, wav);
    if (variant == 1) h.telegram->send_audio(u, wav, "speech.wav", "audio/wav");
    h.pump();
    ASSERT_EQ(h.screen_id(u), "confirm") << h.last(u)->text;
    auto task = generate_and_deliver(h, u, Lang::en);
    expect_input_downloaded(h, task.input["audio_url"], 1);
  }
}

TEST(BotMediaJourney, EnumsWithUseDefaultAndSkip) {
  BotHarness h;
  auto u = h.user("Eve", "en");
  open_wizard(h, u, "google-imagen4-fast", Lang::en);
  h.text(u, "A cozy cabin in the woods");
  h.press(u, h.t(Lang::en, "wizard.use_default_short"));  // aspect ratio: the default 16:9
  h.press_containing(u, "2");                             // two images
  h.press(u, h.t(Lang::en, "wizard.skip"));               // no negative prompt
  ASSERT_EQ(h.screen_id(u), "confirm");
  auto task = generate_and_deliver(h, u, Lang::en);
  EXPECT_EQ(task.input.value("aspect_ratio", ""), "16:9") << task.input.dump();
  EXPECT_EQ(task.input.value("num_images", ""), "2") << task.input.dump();
  EXPECT_FALSE(task.input.contains("negative_prompt")) << task.input.dump();
}

TEST(BotMediaJourney, FreeModelAfterTheDailyLimitIsPaidAndSaysSo) {
  BotHarnessOptions o;
  o.free_daily_limit = 1;
  BotHarness h(o);
  auto u = h.user("Fay", "en", 100'00);
  open_wizard(h, u, "z-image", Lang::en);
  h.text(u, "First");
  take_defaults(h, u);
  EXPECT_NE(h.screen(u)->text.find("0 of 1"), std::string::npos) << h.screen(u)->text;
  generate_and_deliver(h, u, Lang::en);
  EXPECT_TRUE(h.jobs(u).front().is_free);
  EXPECT_EQ(h.balance(u).available, 100'00);

  open_wizard(h, u, "z-image", Lang::en);
  h.text(u, "Second");
  take_defaults(h, u);
  auto text = h.screen(u)->text;
  EXPECT_NE(text.find(h.t(Lang::en, "confirm.free_used_up", {{"limit", "1"}})), std::string::npos)
      << text;
  generate_and_deliver(h, u, Lang::en);
  auto job = h.jobs(u).front();
  EXPECT_FALSE(job.is_free);
  EXPECT_GT(job.price_kopecks, 0);
  EXPECT_NE(text.find(format_rubles(job.price_kopecks) + " ₽"), std::string::npos) << text;
  EXPECT_EQ(h.balance(u).available, 100'00 - job.price_kopecks);
}

TEST(BotMediaJourney, ARestartInTheMiddleOfTheWizardContinuesWhereTheUserWas) {
  auto dir =
      std::filesystem::temp_directory_path() / ("kiebot-restart-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  sandbox::tg::User u;
  {
    BotHarnessOptions o;
    o.dir = dir;
    BotHarness h(o);
    u = h.user("Rita", "en");
    open_wizard(h, u, "z-image", Lang::en);
    h.text(u, "A paper boat");
    ASSERT_EQ(h.state(u).step, 1);
  }
  {
    BotHarnessOptions o;
    o.dir = dir;
    BotHarness h(o);
    h.telegram->add_user(u);
    // A fresh fake numbers its updates from the start again (the real Bot API continues): move
    // past the ids the first run stored, which the inbox rightly treats as redeliveries.
    auto other = h.telegram->make_user("Other", "en");
    for (int i = 0; i < 12; ++i) h.telegram->send_text(other, "hi");
    h.pump();
    h.text(u, "16:9");  // the step after the restart: the typed answer fits the enum
    EXPECT_EQ(h.screen_id(u), "confirm") << h.last(u)->text;
    EXPECT_NE(h.screen(u)->text.find("A paper boat"), std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kb::test
