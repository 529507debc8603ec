// The sandbox page's JSON views and MIME sniffing.
#include <gtest/gtest.h>

#include "sandbox/media/sample_media.hpp"
#include "sandbox/web/page_json.hpp"

namespace kb::sandbox::web {
namespace {

TEST(SandboxPageJson, SniffsCommonMediaTypes) {
  EXPECT_EQ(sniff_mime(media::gradient_png("x")), "image/png");
  EXPECT_EQ(sniff_mime(media::seeded_tone_wav("x")), "audio/wav");
  EXPECT_EQ(sniff_mime(std::string("\xff\xd8\xff\xe0", 4)), "image/jpeg");
  EXPECT_EQ(sniff_mime(std::string("\0\0\0\x20"
                                   "ftypisom",
                                   12)),
            "video/mp4");
  EXPECT_EQ(sniff_mime("OggS...."), "audio/ogg");
  EXPECT_EQ(sniff_mime("plain text"), "application/octet-stream");
  EXPECT_EQ(sniff_mime("", "text/plain"), "text/plain");
}

TEST(SandboxPageJson, MediaMessagesUseTheCaptionAndAFileUrl) {
  tg::MessageView m;
  m.message_id = 7;
  m.from_bot = true;
  m.kind = "photo";
  m.caption = "Z-Image";
  m.file_id = "AgAD-1_x";
  m.file_size = 1234;
  m.json = {{"caption_entities", {{{"type", "bold"}, {"offset", 0}, {"length", 7}}}}};
  m.inline_keyboard = {
      {{"Again", "1|jr|5", "", false}, {"Site", "", "https://example.com", false}}};
  auto j = message_json(m);
  EXPECT_EQ(j["id"], 7);
  EXPECT_EQ(j["text"], "Z-Image");
  EXPECT_EQ(j["entities"][0]["type"], "bold");
  EXPECT_EQ(j["file"]["url"], "/sandbox/api/files/AgAD-1_x");
  EXPECT_EQ(j["keyboard"][0][0]["data"], "1|jr|5");
  EXPECT_EQ(j["keyboard"][0][1]["url"], "https://example.com");
  EXPECT_FALSE(j["keyboard"][0][0].contains("pay"));
  EXPECT_FALSE(j["forwarded"].get<bool>());
}

TEST(SandboxPageJson, InvoicesAndPaymentsCarryTheirAmounts) {
  tg::MessageView invoice;
  invoice.kind = "invoice";
  invoice.json = {{"invoice", {{"title", "100 ₽"}, {"currency", "XTR"}, {"total_amount", 70}}}};
  invoice.inline_keyboard = {{{"Pay ⭐️70", "", "", true}}};
  auto j = message_json(invoice);
  EXPECT_EQ(j["invoice"]["amount"], 70);
  EXPECT_EQ(j["invoice"]["currency"], "XTR");
  EXPECT_TRUE(j["keyboard"][0][0]["pay"].get<bool>());

  tg::MessageView paid;
  paid.kind = "successful_payment";
  paid.json = {{"successful_payment", {{"currency", "XTR"}, {"total_amount", 70}}}};
  EXPECT_EQ(message_json(paid)["payment"]["amount"], 70);
}

TEST(SandboxPageJson, EventsNameTheirKind) {
  tg::ChatEvent edited;
  edited.kind = tg::ChatEvent::Kind::message_edited;
  edited.chat_id = 42;
  edited.message.message_id = 3;
  edited.message.kind = "text";
  edited.message.text = "Generating… 2 s";
  auto j = event_json(edited);
  EXPECT_EQ(j["kind"], "message_edited");
  EXPECT_EQ(j["chat_id"], 42);
  EXPECT_EQ(j["message"]["text"], "Generating… 2 s");

  tg::ChatEvent action;
  action.kind = tg::ChatEvent::Kind::chat_action;
  action.chat_id = 42;
  action.data = {{"action", "typing"}};
  EXPECT_EQ(event_json(action)["data"]["action"], "typing");
  tg::User admin;
  admin.id = 5;
  admin.first_name = "Ann";
  EXPECT_TRUE(user_json(admin, {5})["is_admin"].get<bool>());
  EXPECT_FALSE(user_json(admin, {})["is_admin"].get<bool>());
}

}  // namespace
}  // namespace kb::sandbox::web
