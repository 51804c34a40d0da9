#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "emit/cpp/kind_views.hpp"
#include "emit/render.hpp"

namespace keyspace::gen {
namespace {

TEST(Render, AVariableTheViewLacksIsAnErrorNamingTheTemplate) {
  try {
    render("templates/cpp/key_lifetime.hpp.mustache", mstch::data{});
    FAIL() << "rendered without {{params}}";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("templates/cpp/key_lifetime.hpp.mustache"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("{{params}}"), std::string::npos) << e.what();
  }
}

TEST(Render, ASectionTheViewLacksIsFalse) {
  mstch::data view;
  put(view, "params", "");
  const std::string out = render("templates/cpp/key_lifetime.hpp.mustache", view);
  EXPECT_NE(out.find("bool exists() const;"), std::string::npos) << out;
  EXPECT_EQ(out.find("del("), std::string::npos) << out;  // inside {{#can_write}}
}

TEST(Render, ValuesKeepEveryByteTheTemplateTextDoesNot) {
  mstch::data view;
  put(view, "params", "int  a,\tint b ");
  const std::string out = render("templates/cpp/key_lifetime.hpp.mustache", view);
  EXPECT_NE(out.find("bool exists(int  a,\tint b ) const;"), std::string::npos) << out;
}

TEST(CppEmitter, ControlBytesOfAStringAreOctalEscapesInItsLiteral) {
  EXPECT_EQ(cpp_string_literal(std::string("a\x02") + "1\x01\x7f\"\\"), "\"a\\0021\\001\\177\\\"\\\\\"");
}

}  // namespace
}  // namespace keyspace::gen
