#include "model/type_expr.hpp"

#include <gtest/gtest.h>

namespace keyspace::gen {
namespace {

TEST(TypeExpr, ParsesScalarsNamedAndNestedTypes) {
  for (const char* text : {"string", "bytes", "int64", "uint64", "double", "bool", "timestamp", "UserProfile",
                           "list<Role>", "map<string,int64>", "map<string,list<map<string,Role>>>"}) {
    const auto t = parse_type_expr(text, {});
    ASSERT_TRUE(t) << text;
    EXPECT_EQ(type_expr_text(*t), text);
  }
}

TEST(TypeExpr, AcceptsSpacesAroundPunctuation) {
  const auto t = parse_type_expr("map< string , list< Role > >", {});
  ASSERT_TRUE(t);
  EXPECT_EQ(type_expr_text(*t), "map<string,list<Role>>");
}

TEST(TypeExpr, RejectsMalformedExpressions) {
  for (const char* bad : {"", "list<", "list<>", "list<int64", "map<int64,string>", "map<string>", "list<a>>",
                          "int64 x", "list(Role)"}) {
    EXPECT_FALSE(parse_type_expr(bad, {})) << bad;
  }
}

}  // namespace
}  // namespace keyspace::gen
