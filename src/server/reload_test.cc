#include "server/reload.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace stfs::server {
namespace {

std::filesystem::path WriteTemp(const std::string& name, const std::string& content) {
  auto path = std::filesystem::temp_directory_path() / (name + "." + std::to_string(::getpid()));
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

TEST(ReadConfigTextTest, ReadsWholeFilesAcrossChunkBoundaries) {
  // 40000 bytes: more than two 16 KiB read chunks, with a partial last one.
  std::string content;
  for (int i = 0; content.size() < 40000; ++i) content += "model_config_list { config { name: 'm" + std::to_string(i) + "' } }\n";
  content.resize(40000);
  auto path = WriteTemp("stfs_reload_test_big", content);
  auto text = ReadConfigText(path.string());
  std::filesystem::remove(path);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text, content);
}

TEST(ReadConfigTextTest, EmptyMissingAndOversizedFiles) {
  auto empty = WriteTemp("stfs_reload_test_empty", "");
  auto text = ReadConfigText(empty.string());
  std::filesystem::remove(empty);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "");

  auto missing = ReadConfigText("/nonexistent/stfs/models.config");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/nonexistent/stfs/models.config"), std::string::npos);

  auto big = WriteTemp("stfs_reload_test_huge", std::string((16u << 20) + 1, ' '));
  auto huge = ReadConfigText(big.string());
  std::filesystem::remove(big);
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.status().message().find("over 16 MiB"), std::string::npos);
}

}  // namespace
}  // namespace stfs::server
