// Malformed updates give parse errors with a JSON path, never a crash or an exception; unknown
// fields and update types are ignored; a randomized mutation run over the §9 examples.
#include <random>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "telegram/parse.hpp"
#include "unit/telegram/examples.hpp"

namespace kb::telegram {
namespace {

using Json = nlohmann::json;

Json example_json(const std::string& name) {
  return Json::parse(test::read_example(name));
}

std::string parse_error(const Json& value) {
  auto result = parse_update(value.dump());
  if (result) return "(parsed)";
  EXPECT_EQ(result.error().code, Errc::invalid_input);
  return result.error().message;
}

TEST(UpdateParseErrors, NotJsonOrNotAnObject) {
  EXPECT_EQ(parse_update("{\"update_id\": 1,").error().message, "$: not valid JSON");
  EXPECT_EQ(parse_update("").error().message, "$: not valid JSON");
  EXPECT_EQ(parse_update("[1,2]").error().message, "$: expected an object");
  EXPECT_EQ(parse_update("42").error().message, "$: expected an object");
}

TEST(UpdateParseErrors, MissingOrMistypedUpdateId) {
  auto u = example_json("01_private_text");
  u.erase("update_id");
  EXPECT_EQ(parse_error(u), "$.update_id: missing required field");
  u["update_id"] = "870000001";
  EXPECT_EQ(parse_error(u), "$.update_id: expected an integer");
  u["update_id"] = 1.5;
  EXPECT_EQ(parse_error(u), "$.update_id: expected an integer");
  u["update_id"] = 18446744073709551615ull;
  EXPECT_EQ(parse_error(u), "$.update_id: integer out of range");
}

TEST(UpdateParseErrors, NestedPathsAreReported) {
  auto u = example_json("03_photo_caption");
  u["message"]["photo"][1]["width"] = "320";
  EXPECT_EQ(parse_error(u), "$.message.photo[1].width: expected an integer");

  u = example_json("03_photo_caption");
  u["message"]["photo"][2].erase("file_id");
  EXPECT_EQ(parse_error(u), "$.message.photo[2].file_id: missing required field");

  u = example_json("03_photo_caption");
  u["message"]["photo"] = {{"file_id", "x"}};
  EXPECT_EQ(parse_error(u), "$.message.photo: expected an array");

  u = example_json("01_private_text");
  u["message"].erase("chat");
  EXPECT_EQ(parse_error(u), "$.message.chat: missing required field");

  u = example_json("01_private_text");
  u["message"]["from"]["is_bot"] = "false";
  EXPECT_EQ(parse_error(u), "$.message.from.is_bot: expected a boolean");

  u = example_json("01_private_text");
  u["message"] = Json::array();
  EXPECT_EQ(parse_error(u), "$.message: expected an object");

  u = example_json("05_video");
  u["message"]["video"]["width"] = 1LL << 40;
  EXPECT_EQ(parse_error(u), "$.message.video.width: integer out of range");

  u = example_json("13_callback_query");
  u["callback_query"].erase("chat_instance");
  EXPECT_EQ(parse_error(u), "$.callback_query.chat_instance: missing required field");

  u = example_json("13_callback_query");
  u["callback_query"]["message"]["reply_markup"]["inline_keyboard"][0][1]["text"] = 7;
  EXPECT_EQ(parse_error(u),
            "$.callback_query.message.reply_markup.inline_keyboard[0][1].text: expected a string");

  u = example_json("10_forward_channel");
  u["message"]["forward_origin"].erase("chat");
  EXPECT_EQ(parse_error(u), "$.message.forward_origin.chat: missing required field");

  u = example_json("15_pre_checkout_query");
  u["pre_checkout_query"]["total_amount"] = "50";
  EXPECT_EQ(parse_error(u), "$.pre_checkout_query.total_amount: expected an integer");

  u = example_json("16_successful_payment");
  u["message"]["successful_payment"].erase("telegram_payment_charge_id");
  EXPECT_EQ(parse_error(u),
            "$.message.successful_payment.telegram_payment_charge_id: missing required field");

  u = example_json("02_start_deep_link");
  u["message"]["entities"][0]["offset"] = -1;
  EXPECT_EQ(parse_error(u), "$.message.entities[0].offset: negative offset");
}

TEST(UpdateParseErrors, DeeplyNestedRepliesAreRefused) {
  Json message = example_json("01_private_text")["message"];
  Json nested = message;
  for (int i = 0; i < 6; ++i) {
    Json outer = message;
    outer["reply_to_message"] = nested;
    nested = outer;
  }
  Json update = {{"update_id", 1}, {"message", nested}};
  EXPECT_NE(parse_error(update).find("nested too deeply"), std::string::npos);

  Json one_reply = message;
  one_reply["reply_to_message"] = message;
  auto parsed = parse_update(Json{{"update_id", 2}, {"message", one_reply}}.dump());
  ASSERT_TRUE(parsed);
  ASSERT_TRUE(parsed->message->reply_to_message);
  EXPECT_EQ(parsed->message->reply_to_message->message_id, 101);
}

TEST(UpdateParse, UnknownFieldsAndNullOptionalsAreIgnored) {
  auto u = example_json("01_private_text");
  u["brand_new_field"] = {{"a", 1}};
  u["message"]["future_thing"] = Json::array({1, 2, 3});
  u["message"]["caption"] = nullptr;
  auto parsed = parse_update(u.dump());
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_FALSE(parsed->message->caption);
  EXPECT_EQ(parsed->message->text, "Draw a lighthouse at dusk, watercolor");
}

TEST(UpdateParse, UnreadUpdateTypesAreNotErrors) {
  auto parsed = parse_update(R"({"update_id": 5, "poll": {"id": "1"}})");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->kind, UpdateKind::other);
  EXPECT_EQ(parsed->other_kind, "poll");
  EXPECT_FALSE(parsed->chat_id());

  parsed = parse_update(R"({"update_id": 6, "something_from_2030": {}})");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->kind, UpdateKind::other);
  EXPECT_EQ(parsed->other_kind, "");
}

TEST(UpdateParse, UnsupportedContentIsFlagged) {
  auto u = example_json("01_private_text");
  u["message"].erase("text");
  u["message"]["location"] = {{"latitude", 1.0}, {"longitude", 2.0}};
  auto parsed = parse_update(u.dump());
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->message->has_unsupported_content);
}

// ---- Randomized mutations: flip types, drop fields, truncate. Nothing may crash or throw.

std::vector<Json*> all_nodes(Json& root) {
  std::vector<Json*> nodes{&root};
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    Json* n = nodes[i];
    if (n->is_object() || n->is_array())
      for (auto& child : *n) nodes.push_back(&child);
  }
  return nodes;
}

Json random_value(std::mt19937& rng) {
  switch (rng() % 9) {
    case 0:
      return nullptr;
    case 1:
      return "text";
    case 2:
      return static_cast<std::int64_t>(rng()) - (1LL << 31);
    case 3:
      return 18446744073709551615ull;
    case 4:
      return -1e300;
    case 5:
      return true;
    case 6:
      return Json::array({1, "x", nullptr});
    case 7:
      return Json::object({{"k", "v"}});
    default:
      return "";
  }
}

void mutate(Json& root, std::mt19937& rng) {
  auto nodes = all_nodes(root);
  Json* target = nodes[rng() % nodes.size()];
  switch (rng() % 3) {
    case 0:  // replace with a value of another type
      *target = random_value(rng);
      break;
    case 1:  // drop one field of an object (or an element of an array)
      if (target->is_object() && !target->empty()) {
        auto it = target->begin();
        std::advance(it, static_cast<long>(rng() % target->size()));
        target->erase(it);
      } else if (target->is_array() && !target->empty()) {
        target->erase(target->begin() + static_cast<long>(rng() % target->size()));
      }
      break;
    default:  // deep-copy a subtree somewhere else
      if (target->is_object()) (*target)["reply_to_message"] = root;
      break;
  }
}

TEST(UpdateParseMutations, NoCrashNoExceptionAndErrorsCarryAPath) {
  std::mt19937 rng(20260101);
  int parsed_ok = 0, parse_errors = 0;
  for (const auto& name : test::example_names()) {
    const Json original = example_json(name);
    for (int round = 0; round < 200; ++round) {
      Json value = original;
      int mutations = 1 + static_cast<int>(rng() % 4);
      for (int i = 0; i < mutations; ++i) mutate(value, rng);
      std::string text = value.dump();
      if (rng() % 4 == 0) text.resize(rng() % (text.size() + 1));  // truncation
      Result<Update> result = Unexpected(Error{});
      ASSERT_NO_THROW(result = parse_update(text)) << name << " round " << round;
      if (result) {
        ++parsed_ok;
      } else {
        ++parse_errors;
        EXPECT_EQ(result.error().message.rfind("$", 0), 0u) << result.error().message;
      }
    }
  }
  // Both outcomes must occur, or the mutations are not exercising anything.
  EXPECT_GT(parsed_ok, 100);
  EXPECT_GT(parse_errors, 1000);  // of 4000 runs
}

}  // namespace
}  // namespace kb::telegram
