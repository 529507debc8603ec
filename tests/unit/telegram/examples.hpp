// The Bot API example updates of telegram-api.md §9, kept once as the fuzz seed corpus and read
// from there by the tests.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace kb::telegram::test {

inline std::string example_dir() {
  return std::string(KIEBOT_SOURCE_DIR) + "/fuzz/corpus/update_parse/";
}

inline std::string read_example(const std::string& name) {
  std::ifstream in(example_dir() + name + ".json", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline const std::vector<std::string>& example_names() {
  static const std::vector<std::string> names = {"01_private_text",
                                                 "02_start_deep_link",
                                                 "03_photo_caption",
                                                 "04_document_image",
                                                 "05_video",
                                                 "06_video_note",
                                                 "07_voice",
                                                 "08_audio",
                                                 "09_forward_user_photo",
                                                 "10_forward_channel",
                                                 "11_forward_hidden_user",
                                                 "12a_album",
                                                 "12b_album",
                                                 "13_callback_query",
                                                 "14_callback_inaccessible",
                                                 "15_pre_checkout_query",
                                                 "16_successful_payment",
                                                 "17_edited_message",
                                                 "18_my_chat_member_blocked",
                                                 "19_animation"};
  return names;
}

}  // namespace kb::telegram::test
