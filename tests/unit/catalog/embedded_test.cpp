// The data files compiled into the binary are byte-for-byte the files under data/.
#include "core/embedded.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace {

std::string read_source_file(const std::string& relative) {
  std::ifstream in(std::string(KIEBOT_SOURCE_DIR) + "/data/" + relative, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(Embedded, CatalogIsTheShippedFileByteForByte) {
  ASSERT_TRUE(kb::embedded::contains("catalog.yaml"));
  auto embedded = kb::embedded::file("catalog.yaml");
  auto on_disk = read_source_file("catalog.yaml");
  ASSERT_FALSE(on_disk.empty());
  EXPECT_EQ(embedded.size(), on_disk.size());
  EXPECT_TRUE(embedded == on_disk);
}

TEST(Embedded, UnknownNameIsEmptyAndNotContained) {
  EXPECT_FALSE(kb::embedded::contains("no/such/file.yaml"));
  EXPECT_TRUE(kb::embedded::file("no/such/file.yaml").empty());
}

TEST(Embedded, NamesAreSortedRelativePaths) {
  auto names = kb::embedded::names();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_NE(std::find(names.begin(), names.end(), "catalog.yaml"), names.end());
  for (auto n : names) EXPECT_NE(n.front(), '/') << n;
}

}  // namespace
