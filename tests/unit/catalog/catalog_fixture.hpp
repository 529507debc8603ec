// A minimal valid catalog for catalog tests, and helpers to derive broken or special variants.
#pragma once

#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "catalog/load.hpp"

namespace kb::catalog::test {

inline constexpr std::string_view kMinimalCatalog = R"(version: 1
pricing:
  fx_rub_per_usd: "95"
  markup: "2.0"
  round_up_to_kopecks: 100
models:
  - id: test/image-model
    format: image
    category: text-to-image
    output: image
    title: {ru: "Тест", en: "Test"}
    description: {ru: "Рисует картинку.", en: "Draws a picture."}
    expected_seconds: 10
    patience_seconds: 60
    hard_limit_seconds: 600
    examples:
      - {ru: "Кот", en: "A cat"}
    price:
      usd: "0.04"
    inputs:
      - name: prompt
        type: text
        required: true
        max_length: 100
        label: {ru: "Описание", en: "Prompt"}
        hint: {ru: "До 100 символов.", en: "Up to 100 characters."}
      - name: aspect_ratio
        type: enum
        values: ["1:1", "16:9"]
        default: "1:1"
        value_labels:
          "16:9": {ru: "Широкий", en: "Wide"}
        label: {ru: "Формат", en: "Aspect ratio"}
)";

// A second valid model: a price table without a base price (boolean × enum keys), every input type.
inline constexpr std::string_view kVideoModel = R"(  - id: test/video-model
    format: video
    category: text-to-video
    output: video
    title: {ru: "Видео", en: "Video"}
    description: {ru: "Снимает видео.", en: "Makes a video."}
    expected_seconds: 100
    patience_seconds: 300
    hard_limit_seconds: 1200
    price:
      table:
        keys: [sound, duration]
        usd: {"false|5": "0.275", "false|10": "0.55", "true|5": "0.55", "true|10": "1.10"}
    inputs:
      - name: prompt
        type: text
        required: true
        label: {ru: "Сценарий", en: "Prompt"}
      - name: duration
        type: enum
        required: true
        values: ["5", "10"]
        default: "5"
        label: {ru: "Длительность", en: "Duration"}
      - name: sound
        type: boolean
        required: true
        default: false
        label: {ru: "Звук", en: "Sound"}
      - name: count
        type: integer
        min: 1
        max: 4
        default: 1
        label: {ru: "Количество", en: "Count"}
      - name: speed
        type: number
        min: 0.7
        max: 1.2
        label: {ru: "Скорость", en: "Speed"}
      - name: image_urls
        type: image
        array: true
        max_items: 3
        label: {ru: "Фото", en: "Photos"}
      - name: upload_method
        type: enum
        required: true
        hidden: true
        values: ["s3", "oss"]
        default: "s3"
        label: {ru: "Хранилище", en: "Storage"}
)";

// `text` with the first occurrence of `from` replaced by `to`; fails the test when `from` is absent
// (a fixture edit must never silently test nothing).
inline std::string replaced(std::string_view text, std::string_view from, std::string_view to) {
  std::string out(text);
  auto at = out.find(from);
  EXPECT_NE(at, std::string::npos) << "fixture has no \"" << from << "\"";
  if (at != std::string::npos) out.replace(at, from.size(), to);
  return out;
}

// A second model appended to the minimal catalog; `body` is indented like a list item's keys.
inline std::string with_model(std::string_view base, std::string_view model_yaml) {
  return std::string(base) + std::string(model_yaml);
}

inline Catalog parse_ok(std::string_view yaml, const PricingOverrides& overrides = {}) {
  auto r = parse_catalog(yaml, overrides);
  EXPECT_TRUE(r.ok());
  for (const auto& e : r.errors) ADD_FAILURE() << e;
  return r.ok() ? *r.catalog : Catalog{};
}

}  // namespace kb::catalog::test
