#include "load/document.hpp"

#include <gtest/gtest.h>

#include "diag/codes.hpp"

namespace keyspace::gen {
namespace {

std::optional<Document> parse(const std::string& text, DiagnosticSink& sink) {
  return parse_document("s.yaml", text, sink);
}

TEST(Document, ResolvesPlainScalarsAndKeepsQuotedOnesAsStrings) {
  DiagnosticSink sink;
  const auto doc = parse("a: 1\nb: true\nc: 1.5\nd: ~\ne: '1'\nf: 1h\ng: \"true\"\n", sink);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->root["a"], 1);
  EXPECT_EQ(doc->root["b"], true);
  EXPECT_EQ(doc->root["c"], 1.5);
  EXPECT_TRUE(doc->root["d"].is_null());
  EXPECT_EQ(doc->root["e"], "1");
  EXPECT_EQ(doc->root["f"], "1h");
  EXPECT_EQ(doc->root["g"], "true");
}

TEST(Document, RecordsKeyAndValuePositions) {
  DiagnosticSink sink;
  const auto doc = parse("top:\n  inner: \"quoted\"\n  list: [a, b]\n", sink);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->key_loc("/top/inner").line, 2);
  EXPECT_EQ(doc->key_loc("/top/inner").column, 3);
  EXPECT_EQ(doc->value_loc("/top/inner").column, 10);
  EXPECT_TRUE(doc->marks_of("/top/inner").quoted);
  EXPECT_EQ(doc->value_loc("/top/list/1").column, 13);
  // Unknown pointers fall back to the closest ancestor.
  EXPECT_EQ(doc->value_loc("/top/inner/nothing").column, 10);
}

TEST(Document, DuplicateKeysAreReportedAtTheSecondOccurrence) {
  DiagnosticSink sink;
  parse("a: 1\nb: 2\na: 3\n", sink);
  ASSERT_EQ(sink.all().size(), 1u);
  EXPECT_EQ(sink.all()[0].code, code::kDuplicateKey);
  EXPECT_EQ(sink.all()[0].loc.line, 3);
  ASSERT_EQ(sink.all()[0].notes.size(), 1u);
  EXPECT_EQ(sink.all()[0].notes[0].loc.line, 1);
}

TEST(Document, MalformedYamlIsALocatedError) {
  for (const char* bad : {"a: 'unclosed\n", "a:\n\tb: 1\n", "a: [1, 2\n"}) {
    DiagnosticSink sink;
    EXPECT_FALSE(parse(bad, sink)) << bad;
    ASSERT_EQ(sink.all().size(), 1u) << bad;
    EXPECT_EQ(sink.all()[0].code, code::kYamlSyntax) << bad;
    EXPECT_GT(sink.all()[0].loc.line, 0) << bad;
  }
}

TEST(Document, BinaryInputIsRejectedBeforeParsing) {
  DiagnosticSink sink;
  EXPECT_FALSE(parse(std::string("a: 1\nb: \0x\n", 11), sink));
  ASSERT_EQ(sink.all().size(), 1u);
  EXPECT_EQ(sink.all()[0].code, code::kNotText);
  EXPECT_EQ(sink.all()[0].loc.line, 2);
  EXPECT_EQ(sink.all()[0].loc.column, 4);

  DiagnosticSink sink2;
  EXPECT_FALSE(parse("a: \xff\xfe\n", sink2));
  EXPECT_EQ(sink2.all().at(0).code, code::kNotText);
}

TEST(Document, EmptyAndCommentOnlyFilesAreEmptyDocuments) {
  for (const char* empty : {"", "\n\n", "# just a comment\n"}) {
    DiagnosticSink sink;
    EXPECT_FALSE(parse(empty, sink));
    ASSERT_EQ(sink.all().size(), 1u);
    EXPECT_EQ(sink.all()[0].code, code::kEmptyDocument);
  }
}

TEST(Document, AliasExpansionIsBounded) {
  std::string text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    const char prev = static_cast<char>(c - 1);
    text += std::string(1, c) + ": &" + c + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev +
            ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n";
  }
  DiagnosticSink sink;
  EXPECT_FALSE(parse(text, sink));
  ASSERT_FALSE(sink.all().empty());
  EXPECT_EQ(sink.all()[0].code, code::kInputLimit);
}

TEST(Document, AnAliasIsExpandedAndKeepsTheAnchoredNodesPositions) {
  DiagnosticSink sink;
  const auto doc = parse("a: &x {b: 1}\nc: *x\n", sink);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->root["c"]["b"], 1);
  EXPECT_EQ(doc->key_loc("/c").line, 2);
  EXPECT_EQ(doc->value_loc("/c").line, 1);
  EXPECT_EQ(doc->value_loc("/c").column, 4);  // yaml-cpp marks an anchored node at its anchor
  EXPECT_EQ(doc->value_loc("/c/b").line, 1);
  EXPECT_EQ(doc->value_loc("/c/b").column, 11);
}

TEST(Document, AnAliasOfAnEnclosingNodeStopsAtTheDepthLimit) {
  DiagnosticSink sink;
  EXPECT_FALSE(parse("a: &x [*x]\n", sink));
  ASSERT_EQ(sink.all().size(), 1u);
  EXPECT_EQ(sink.all()[0].code, code::kInputLimit);
  EXPECT_EQ(sink.all()[0].loc.line, 1);
  EXPECT_EQ(sink.all()[0].loc.column, 4);
}

TEST(Document, ASecondDocumentIsReportedWhereItStarts) {
  DiagnosticSink sink;
  EXPECT_FALSE(parse("a: 1\n---\nb: 2\n", sink));
  ASSERT_EQ(sink.all().size(), 1u);
  EXPECT_EQ(sink.all()[0].code, code::kYamlSyntax);
  EXPECT_EQ(sink.all()[0].loc.line, 3);
}

TEST(Document, ASyntaxErrorInTheSecondDocumentIsReportedAsOne) {
  DiagnosticSink sink;
  EXPECT_FALSE(parse("a: 1\n---\nb: [1, 2\n", sink));
  ASSERT_EQ(sink.all().size(), 1u);
  EXPECT_EQ(sink.all()[0].code, code::kYamlSyntax);
  EXPECT_NE(sink.all()[0].message.find("invalid YAML"), std::string::npos);
}

TEST(Document, MissingFileAndDirectoryCannotBeRead) {
  DiagnosticSink sink;
  EXPECT_FALSE(load_document("/nonexistent/schema.yaml", sink));
  EXPECT_FALSE(load_document("/", sink));
  ASSERT_EQ(sink.all().size(), 2u);
  EXPECT_EQ(sink.all()[0].code, code::kCannotRead);
  EXPECT_EQ(sink.all()[1].code, code::kCannotRead);
}

}  // namespace
}  // namespace keyspace::gen
