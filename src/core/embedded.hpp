// Data files compiled into the binary (catalog, locales, sample media): generated from data/ by
// cmake/embed.cmake, so the binary runs without the source tree.
#pragma once

#include <string_view>
#include <vector>

namespace kb::embedded {

// The bytes of data/<name> as it was at build time ("catalog.yaml", "locales/ru.yaml"); an empty
// view when no such file was embedded (use `contains` to tell an empty file from a missing one).
std::string_view file(std::string_view name);
bool contains(std::string_view name);
// Every embedded name, sorted.
std::vector<std::string_view> names();

}  // namespace kb::embedded
