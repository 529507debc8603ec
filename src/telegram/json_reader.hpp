// Exception-free typed access to JSON objects for the Bot API parsers: every wrong type or missing
// required field records one error with its JSON path ("$.message.photo[1].width") and yields a
// default value, so parsing never throws and never crashes on hostile input.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace kb::telegram::detail {

using Json = nlohmann::json;

// The first problem found; later ones are ignored (they are usually consequences).
class ParseErrors {
 public:
  void add(const std::string& path, std::string_view problem) {
    if (!first_) first_ = path + ": " + std::string(problem);
  }
  bool failed() const { return first_.has_value(); }
  const std::string& message() const { return *first_; }

 private:
  std::optional<std::string> first_;
};

class ObjectReader {
 public:
  ObjectReader(const Json& value, std::string path, ParseErrors& errors)
      : value_(value), path_(std::move(path)), errors_(errors) {
    if (!value.is_object()) errors_.add(path_, "expected an object");
  }

  bool is_object() const { return value_.is_object(); }
  const std::string& path() const { return path_; }
  std::string path(std::string_view key) const { return path_ + "." + std::string(key); }
  ParseErrors& errors() { return errors_; }

  // The field, or nullptr when absent (JSON null counts as absent).
  const Json* find(std::string_view key) const {
    if (!value_.is_object()) return nullptr;
    auto it = value_.find(key);
    if (it == value_.end() || it->is_null()) return nullptr;
    return &*it;
  }
  bool has(std::string_view key) const { return find(key) != nullptr; }

  std::optional<std::int64_t> opt_int(std::string_view key) {
    const Json* v = find(key);
    if (!v) return std::nullopt;
    if (v->is_number_integer()) {
      if (v->is_number_unsigned() &&
          v->get<std::uint64_t>() >
              static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        errors_.add(path(key), "integer out of range");
        return std::nullopt;
      }
      return v->get<std::int64_t>();
    }
    errors_.add(path(key), "expected an integer");
    return std::nullopt;
  }
  std::int64_t req_int(std::string_view key) {
    if (!find(key)) {
      missing(key);
      return 0;
    }
    return opt_int(key).value_or(0);
  }
  // 32-bit fields (sizes in pixels, durations): out-of-range values are errors too.
  std::optional<int> opt_int32(std::string_view key) {
    auto v = opt_int(key);
    if (!v) return std::nullopt;
    if (*v < std::numeric_limits<int>::min() || *v > std::numeric_limits<int>::max()) {
      errors_.add(path(key), "integer out of range");
      return std::nullopt;
    }
    return static_cast<int>(*v);
  }
  int req_int32(std::string_view key) {
    if (!find(key)) {
      missing(key);
      return 0;
    }
    return opt_int32(key).value_or(0);
  }

  std::optional<std::string> opt_str(std::string_view key) {
    const Json* v = find(key);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
      errors_.add(path(key), "expected a string");
      return std::nullopt;
    }
    return v->get_ref<const std::string&>();
  }
  std::string str_or_empty(std::string_view key) { return opt_str(key).value_or(std::string()); }
  std::string req_str(std::string_view key) {
    if (!find(key)) {
      missing(key);
      return {};
    }
    return str_or_empty(key);
  }

  bool opt_bool(std::string_view key) {
    const Json* v = find(key);
    if (!v) return false;
    if (!v->is_boolean()) {
      errors_.add(path(key), "expected a boolean");
      return false;
    }
    return v->get<bool>();
  }
  bool req_bool(std::string_view key) {
    if (!find(key)) {
      missing(key);
      return false;
    }
    return opt_bool(key);
  }

  // `parse(const Json&, std::string path, ParseErrors&) -> T` for a nested object.
  template <class Parse>
  auto opt_obj(std::string_view key, Parse&& parse)
      -> std::optional<decltype(parse(std::declval<const Json&>(), std::string(),
                                      std::declval<ParseErrors&>()))> {
    const Json* v = find(key);
    if (!v) return std::nullopt;
    return parse(*v, path(key), errors_);
  }
  template <class Parse>
  auto req_obj(std::string_view key, Parse&& parse)
      -> decltype(parse(std::declval<const Json&>(), std::string(), std::declval<ParseErrors&>())) {
    const Json* v = find(key);
    if (!v) {
      missing(key);
      return {};
    }
    return parse(*v, path(key), errors_);
  }
  // An optional array of objects; absent gives an empty vector.
  template <class Parse>
  auto array(std::string_view key, Parse&& parse)
      -> std::vector<decltype(parse(std::declval<const Json&>(), std::string(),
                                    std::declval<ParseErrors&>()))> {
    using T =
        decltype(parse(std::declval<const Json&>(), std::string(), std::declval<ParseErrors&>()));
    std::vector<T> out;
    const Json* v = find(key);
    if (!v) return out;
    if (!v->is_array()) {
      errors_.add(path(key), "expected an array");
      return out;
    }
    out.reserve(v->size());
    for (std::size_t i = 0; i < v->size(); ++i)
      out.push_back(parse((*v)[i], path(key) + "[" + std::to_string(i) + "]", errors_));
    return out;
  }
  std::vector<std::string> string_array(std::string_view key) {
    std::vector<std::string> out;
    const Json* v = find(key);
    if (!v) return out;
    if (!v->is_array()) {
      errors_.add(path(key), "expected an array");
      return out;
    }
    for (std::size_t i = 0; i < v->size(); ++i) {
      if (!(*v)[i].is_string()) {
        errors_.add(path(key) + "[" + std::to_string(i) + "]", "expected a string");
        continue;
      }
      out.push_back((*v)[i].get<std::string>());
    }
    return out;
  }

 private:
  void missing(std::string_view key) { errors_.add(path(key), "missing required field"); }

  const Json& value_;
  std::string path_;
  ParseErrors& errors_;
};

}  // namespace kb::telegram::detail
