// Pure helpers of the fake KIE server: input URL discovery, faults, the rate window, model table.
#include <tuple>

#include <gtest/gtest.h>

#include "sandbox/fake_kie/fault_queue.hpp"
#include "sandbox/fake_kie/input_urls.hpp"
#include "sandbox/fake_kie/model_table.hpp"
#include "sandbox/fake_kie/rate_window.hpp"

namespace kb::sandbox {
namespace {

TEST(FakeKieInputUrls, FindsUrlKeysArraysAndNestedObjects) {
  auto input = nlohmann::json::parse(R"({
    "prompt": "see https://not-an-input.example",
    "image_urls": ["https://a/1.png", "https://a/2.png"],
    "image": "https://a/3.png",
    "mask_url": "https://a/mask.png",
    "reference": "https://a/ref.png",
    "kling_elements": [{"name": "x", "element_input_urls": ["https://a/e.png"]}],
    "duration": "5"
  })");
  auto urls = collect_input_urls(input);
  std::vector<std::string> got;
  for (const auto& u : urls) got.push_back(u.input_name + "=" + u.url);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got,
            (std::vector<std::string>{"element_input_urls=https://a/e.png", "image=https://a/3.png",
                                      "image_urls=https://a/1.png", "image_urls=https://a/2.png",
                                      "mask_url=https://a/mask.png"}));
  // A catalog media input with another name counts too.
  EXPECT_EQ(collect_input_urls(input, {"reference"}).size(), 6u);
}

TEST(FakeKieInputUrls, NamingRule) {
  EXPECT_TRUE(is_url_input_name("video_urls"));
  EXPECT_TRUE(is_url_input_name("audio_url"));
  EXPECT_TRUE(is_url_input_name("image"));
  EXPECT_FALSE(is_url_input_name("image_size"));
  EXPECT_FALSE(is_url_input_name("urls_count"));
}

TEST(FakeKieFaults, QueueIsPerRouteAndInOrder) {
  FaultQueue q;
  Fault a;
  a.code = 402;
  Fault b;
  b.http_status = 503;
  q.push("createTask", a, 2);
  q.push("createTask", b, 1);
  EXPECT_FALSE(q.take("recordInfo"));
  EXPECT_EQ(q.take("createTask")->code, 402);
  EXPECT_EQ(q.take("createTask")->code, 402);
  EXPECT_EQ(q.take("createTask")->http_status, 503);
  EXPECT_FALSE(q.take("createTask"));
  EXPECT_TRUE(q.empty());
}

TEST(FakeKieFaults, ReplyKinds) {
  Fault delay_only;
  delay_only.delay_ms = 10;
  EXPECT_EQ(fault_reply(delay_only).kind, FaultReply::Kind::none);

  Fault business;
  business.code = 455;
  auto r = fault_reply(business);
  EXPECT_EQ(r.kind, FaultReply::Kind::envelope);
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.code, 455);
  EXPECT_FALSE(r.msg.empty());

  Fault http;
  http.http_status = 502;
  r = fault_reply(http);
  EXPECT_EQ(r.code, 502);  // the HTTP status doubles as the body code

  Fault custom;
  custom.code = 429;
  custom.msg = "slow down";
  EXPECT_EQ(fault_reply(custom).msg, "slow down");

  Fault cut;
  cut.close_without_response = true;
  cut.code = 500;
  EXPECT_EQ(fault_reply(cut).kind, FaultReply::Kind::cut);
  Fault garbage;
  garbage.malformed_json = true;
  EXPECT_EQ(fault_reply(garbage).kind, FaultReply::Kind::malformed);
}

TEST(FakeKieFaults, DocumentedMessages) {
  EXPECT_EQ(standard_message(429), "Your call frequency is too high. Please try again later.");
  EXPECT_EQ(standard_message(401), "You do not have access permissions");
  EXPECT_EQ(standard_message(433), "Request Limit - Sub-key Usage Exceeds Limit");
}

TEST(FakeKieRateWindow, SlidingTenSeconds) {
  SlidingWindow w(3, 10'000);
  EXPECT_TRUE(w.try_acquire(0));
  EXPECT_TRUE(w.try_acquire(1000));
  EXPECT_TRUE(w.try_acquire(2000));
  EXPECT_FALSE(w.try_acquire(9999));
  EXPECT_TRUE(w.try_acquire(10'000));   // the first event left the window
  EXPECT_FALSE(w.try_acquire(10'500));  // rejected calls do not count
  EXPECT_TRUE(w.try_acquire(11'000));
  SlidingWindow off(0, 10'000);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(off.try_acquire(0));
}

TEST(FakeKieModels, FromACatalog) {
  catalog::Catalog c;
  catalog::Model edit;
  edit.id = "a/edit";
  edit.output = catalog::OutputKind::image;
  edit.enabled = false;  // KIE still knows disabled models
  for (auto [name, type, required] : {std::tuple{"prompt", catalog::InputType::text, true},
                                      std::tuple{"image_urls", catalog::InputType::image, true},
                                      std::tuple{"ref", catalog::InputType::video, false},
                                      std::tuple{"size", catalog::InputType::enumeration, false}}) {
    catalog::Input input;
    input.name = name;
    input.type = type;
    input.required = required;
    edit.inputs.push_back(input);
  }
  catalog::Model tts;
  tts.id = "b/tts";
  tts.output = catalog::OutputKind::audio;
  c.models = {edit, tts};

  auto models = models_from_catalog(c);
  ASSERT_EQ(models.size(), 2u);
  EXPECT_EQ(models[0].id, "a/edit");
  EXPECT_EQ(models[0].required_inputs, (std::vector<std::string>{"prompt", "image_urls"}));
  EXPECT_EQ(models[0].media_inputs, (std::vector<std::string>{"image_urls", "ref"}));
  EXPECT_EQ(models[0].output_kind, "image");
  EXPECT_EQ(models[1].output_kind, "audio");

  ModelTable table(std::move(models));
  EXPECT_TRUE(table.accepts("a/edit"));
  EXPECT_TRUE(table.accepts("b/tts"));
  EXPECT_FALSE(table.accepts("c/unknown"));
  EXPECT_FALSE(table.accepts(""));
  EXPECT_EQ(table.find("c/unknown"), nullptr);
  EXPECT_TRUE(ModelTable::any().accepts("anything"));
  EXPECT_FALSE(ModelTable::any().accepts(""));
}

TEST(FakeKieModels, ShippedCatalogLoads) {
  auto models = models_from_shipped_catalog();
  ASSERT_TRUE(models) << models.error().describe();
  EXPECT_GE(models->size(), 40u);
  ModelTable table(std::move(*models));
  const auto* z = table.find("z-image");
  ASSERT_NE(z, nullptr);
  EXPECT_EQ(z->required_inputs, (std::vector<std::string>{"prompt", "aspect_ratio"}));
  const auto* edit = table.find("google/nano-banana-edit");
  ASSERT_NE(edit, nullptr);
  EXPECT_NE(std::find(edit->media_inputs.begin(), edit->media_inputs.end(), "image_urls"),
            edit->media_inputs.end());
}

TEST(FakeKieModels, OutputKindGuess) {
  EXPECT_EQ(guess_output_kind("kling-2.6/text-to-video"), "video");
  EXPECT_EQ(guess_output_kind("elevenlabs/sound-effect-v2"), "audio");
  EXPECT_EQ(guess_output_kind("z-image"), "image");
}

}  // namespace
}  // namespace kb::sandbox
