#include "emit/cpp/names.hpp"
#include "model/names.hpp"

#include <gtest/gtest.h>

namespace keyspace::gen {
namespace {

TEST(Namer, LowerSnakeCase) {
  EXPECT_TRUE(is_lower_snake("user_profile"));
  EXPECT_TRUE(is_lower_snake("v2"));
  for (const char* bad : {"", "User", "user__id", "_user", "user_", "2fa", "user-id", "userId"}) {
    EXPECT_FALSE(is_lower_snake(bad)) << bad;
  }
}

TEST(Namer, UpperCamelCase) {
  EXPECT_TRUE(is_upper_camel("UserProfile"));
  EXPECT_TRUE(is_upper_camel("V2"));
  for (const char* bad : {"", "userProfile", "User_Profile", "2Fa"}) EXPECT_FALSE(is_upper_camel(bad)) << bad;
}

TEST(Namer, ConvertsSnakeToCamel) {
  EXPECT_EQ(upper_camel("user_profile"), "UserProfile");
  EXPECT_EQ(upper_camel("v2_items"), "V2Items");
}

TEST(Namer, EscapesKeywordsAndGeneratedNames) {
  EXPECT_EQ(cpp_identifier("delete"), "delete_");
  EXPECT_EQ(cpp_identifier("class"), "class_");
  EXPECT_EQ(cpp_identifier("value"), "value_");
  EXPECT_EQ(cpp_identifier("user_id"), "user_id");
}

TEST(Namer, ValidatesCppNamespaces) {
  EXPECT_TRUE(is_cpp_namespace("shop::redis"));
  EXPECT_TRUE(is_cpp_namespace("shop"));
  for (const char* bad : {"", "shop::", "::shop", "shop:redis", "shop::class", "1shop", "shop-x"}) {
    EXPECT_FALSE(is_cpp_namespace(bad)) << bad;
  }
}

}  // namespace
}  // namespace keyspace::gen
