#include "model/key_template.hpp"

#include <gtest/gtest.h>

#include "diag/codes.hpp"

namespace keyspace::gen {
namespace {

KeyTemplate parse(const std::string& text, DiagnosticSink& sink) {
  return parse_key_template(text, {"s.yaml", 3, 10}, sink);
}

TEST(KeyTemplate, SplitsLiteralAndParamSegments) {
  DiagnosticSink sink;
  const KeyTemplate t = parse("cache:user:{user_id}:profile", sink);
  EXPECT_FALSE(sink.has_errors());
  ASSERT_EQ(t.segments.size(), 4u);
  EXPECT_FALSE(t.segments[0].is_param);
  EXPECT_EQ(t.segments[0].text, "cache");
  EXPECT_TRUE(t.segments[2].is_param);
  EXPECT_EQ(t.segments[2].text, "user_id");
  EXPECT_EQ(t.segments[2].loc.column, 10 + 11);  // offset of "{user_id}"
}

TEST(KeyTemplate, PlaceholderMustFillAWholeSegment) {
  for (const char* bad : {"cache:a{id}", "cache:{id}b", "cache:{id", "cache:id}", "cache:{}", "cache:{a}{b}"}) {
    DiagnosticSink sink;
    parse(bad, sink);
    ASSERT_EQ(sink.all().size(), 1u) << bad;
    EXPECT_EQ(sink.all()[0].code, code::kTemplateSyntax) << bad;
  }
}

TEST(KeyTemplate, EmptySegmentIsASyntaxError) {
  for (const char* bad : {"cache::x", "cache:", ":cache", ""}) {
    DiagnosticSink sink;
    parse(bad, sink);
    ASSERT_FALSE(sink.all().empty()) << bad;
    EXPECT_EQ(sink.all()[0].code, code::kTemplateSyntax) << bad;
  }
}

TEST(KeyTemplate, LiteralsAreLowerCase) {
  DiagnosticSink sink;
  const KeyTemplate t = parse("cache:User:x.y", sink);
  ASSERT_EQ(sink.all().size(), 2u);
  EXPECT_EQ(sink.all()[0].code, code::kBadLiteral);
  EXPECT_EQ(sink.all()[0].loc.column, 16);
  EXPECT_EQ(sink.all()[1].code, code::kBadLiteral);
  EXPECT_EQ(t.segments.size(), 3u);
}

TEST(KeyTemplate, RepeatedPlaceholderIsReported) {
  DiagnosticSink sink;
  parse("cache:{id}:{id}", sink);
  ASSERT_EQ(sink.all().size(), 1u);
  EXPECT_EQ(sink.all()[0].code, code::kRepeatedParam);
}

TEST(KeyTemplate, LiteralSegmentRule) {
  EXPECT_TRUE(is_literal_segment("v2_items-x"));
  EXPECT_FALSE(is_literal_segment("_x"));
  EXPECT_FALSE(is_literal_segment("-x"));
  EXPECT_FALSE(is_literal_segment("a b"));
}

}  // namespace
}  // namespace keyspace::gen
