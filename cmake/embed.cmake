# Embeds data files into the binary as `kb::embedded::file(name)` (see src/core/embedded.hpp).
#
# Two modes in one file:
# - included from CMakeLists.txt: `kiebot_embed_data(<out.cpp> <root dir> <glob>...)` globs the files
#   (re-globbed on every build through CONFIGURE_DEPENDS), writes their list to a manifest and adds a
#   custom command that regenerates <out.cpp> whenever a listed file, the list or this script changes;
# - run with `cmake -P` by that command: writes <out.cpp>, one byte array per file, named by the path
#   relative to <root dir> ("catalog.yaml", "locales/ru.yaml"). Binary files are fine (bytes, not text).
#   The output is rewritten only when its content changes, so unchanged data never triggers a rebuild.

if(CMAKE_SCRIPT_MODE_FILE)
  # Inputs: ROOT (directory names are relative to), MANIFEST (one relative path per line), OUT.
  file(STRINGS "${MANIFEST}" names)
  set(arrays "")
  set(entries "")
  set(index 0)
  foreach(name IN LISTS names)
    if(name STREQUAL "")
      continue()
    endif()
    file(READ "${ROOT}/${name}" hex HEX)
    string(LENGTH "${hex}" hex_length)
    math(EXPR size "${hex_length} / 2")
    string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
    # 20 bytes per line keeps the generated file readable by editors and diff tools.
    string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){20})" "\\1\n" bytes "${bytes}")
    # A trailing NUL: no zero-length arrays, and text files are also valid C strings.
    string(APPEND arrays "alignas(16) constexpr unsigned char kData${index}[] = {\n${bytes}0x00};\n")
    string(APPEND entries "    {\"${name}\", kData${index}, ${size}},\n")
    math(EXPR index "${index} + 1")
  endforeach()
  if(index EQUAL 0)
    set(entries "    {\"\", nullptr, 0},\n")
  endif()
  set(content "// Generated at build time by cmake/embed.cmake from data/: do not edit.
#include \"core/embedded.hpp\"

#include <algorithm>
#include <cstddef>

namespace kb::embedded {
namespace {

${arrays}
struct Entry {
  std::string_view name;
  const unsigned char* data;
  std::size_t size;
};

constexpr Entry kEntries[] = {
${entries}};

const Entry* find(std::string_view name) {
  for (const auto& e : kEntries)
    if (e.data != nullptr && e.name == name) return &e;
  return nullptr;
}

}  // namespace

bool contains(std::string_view name) {
  return find(name) != nullptr;
}

std::string_view file(std::string_view name) {
  const Entry* e = find(name);
  if (e == nullptr) return {};
  return {reinterpret_cast<const char*>(e->data), e->size};
}

std::vector<std::string_view> names() {
  std::vector<std::string_view> out;
  for (const auto& e : kEntries)
    if (e.data != nullptr) out.push_back(e.name);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace kb::embedded
")
  if(EXISTS "${OUT}")
    file(READ "${OUT}" old)
  else()
    set(old "")
  endif()
  if(NOT old STREQUAL content)
    file(WRITE "${OUT}" "${content}")
  endif()
  return()
endif()

function(kiebot_embed_data out root)
  set(files "")
  foreach(pattern IN LISTS ARGN)
    file(GLOB_RECURSE matched CONFIGURE_DEPENDS "${root}/${pattern}")
    list(APPEND files ${matched})
  endforeach()
  list(REMOVE_DUPLICATES files)
  list(SORT files)
  set(names "")
  foreach(f IN LISTS files)
    file(RELATIVE_PATH rel "${root}" "${f}")
    string(APPEND names "${rel}\n")
  endforeach()
  set(manifest "${out}.files")
  # Rewritten only on change: the manifest is a dependency of the generated source.
  if(EXISTS "${manifest}")
    file(READ "${manifest}" old)
  else()
    set(old "")
  endif()
  if(NOT old STREQUAL names)
    file(WRITE "${manifest}" "${names}")
  endif()
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DROOT=${root} -DMANIFEST=${manifest} -DOUT=${out}
            -P ${CMAKE_CURRENT_FUNCTION_LIST_FILE}
    DEPENDS ${files} "${manifest}" ${CMAKE_CURRENT_FUNCTION_LIST_FILE}
    COMMENT "Embedding data files"
    VERBATIM)
endfunction()
