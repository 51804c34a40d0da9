#include "tools/format.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "pipeline.hpp"

namespace keyspace::gen {
namespace {

using Json = nlohmann::ordered_json;

std::string read_file(const std::string& relative) {
  std::ifstream in(std::string(KEYSPACE_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

Json parse_root(const std::string& text) {
  DiagnosticSink sink;
  const std::optional<Document> doc = parse_document("s.yaml", text, sink);
  EXPECT_TRUE(doc && !sink.has_errors()) << text;
  return doc ? doc->root : Json();
}

std::string format(const std::string& text) {
  DiagnosticSink sink;
  const FormatResult result = format_schema_text("s.yaml", text, sink);
  EXPECT_FALSE(sink.has_errors());
  EXPECT_FALSE(result.comment);
  return result.text.value_or("");
}

TEST(SchemaFormat, QuotesOnlyWhatAPlainScalarWouldChange) {
  for (const char* plain : {"1h", "500ms", "int64", "list<Role>", "shop::redis", "a-b", "it's", "a#b",
                            "profile:user:{user_id}", "map<string,int64>", "user:{user_id}", "Ünïcode text"}) {
    EXPECT_FALSE(needs_quotes(plain, false)) << plain;
  }
  for (const char* quoted : {"", "1", "-2", "1.5", "1e3", ".5", "0x1F", "true", "False", "yes", "off", "null",
                             "~", "a: b", "a #b", "#a", "-a", "[a]", "{a}", "*ref", "&anchor", "!tag", "|", ">",
                             "'a'", "\"a\"", "%a", "@a", "`a`", "?a", ":a", "a:", " a", "a ", "a\nb", "a\tb",
                             "...", ".inf", "12:30"}) {
    EXPECT_TRUE(needs_quotes(quoted, false)) << quoted;
  }
  // Flow indicators end a plain scalar only inside {...} and [...].
  for (const char* flow_only : {"a,b", "user:{user_id}", "a[0-9]+", "map<string,int64>"}) {
    EXPECT_FALSE(needs_quotes(flow_only, false)) << flow_only;
    EXPECT_TRUE(needs_quotes(flow_only, true)) << flow_only;
  }
  EXPECT_EQ(yaml_string("say \"hi\"\\\n\x01", true), R"("say \"hi\"\\\n\x01")");
}

TEST(SchemaFormat, EveryStringReadsBackUnchangedInBlockAndFlowContext) {
  Json doc = Json::object();
  const std::vector<std::string> strings{
      "", "1", "1.0", "true", "yes", "null", "~", "a: b", "a #b", "#a", "- a", "-a", "[a, b]", "{a: b}", "a,b",
      "*a", "&a", "!a", "|", ">", "'", "\"", "%", "@", "`", "?", ":", "a:", " a", "a ", "a\nb", "a\tb", "\x01",
      "back\\slash", "\x7f", "...", "---", ".inf", "0x10", "12:30", "é à", "it's", "[0-9a-f.:]{3,45}"};
  for (std::size_t i = 0; i < strings.size(); ++i) {
    doc["s" + std::to_string(i)] = strings[i];
    doc["f" + std::to_string(i)] = {{"x", strings[i]}, {"y", Json::array({strings[i], "z"})}};
  }
  doc["numbers"] = {{"int", -3}, {"big", 9007199254740993LL}, {"real", 2.5}, {"whole", 2.0}, {"bool", false}};
  doc["nothing"] = nullptr;
  const std::string text = format_document(doc);
  EXPECT_EQ(parse_root(text), doc) << text;
  EXPECT_EQ(format_document(parse_root(text)), text);
}

TEST(SchemaFormat, PutsEntriesInCanonicalOrderAndKeepsTheAuthorsOrderOfNames) {
  const std::string messy = R"(namespaces:
  zeta:
    keys:
      second: {kind: counter, ttl: 1m, key: "zeta:second", description: Counted}
      first:
        value: string
        kind: value
        params: {id: {max_length: 8, type: string}}
        key: zeta:first:{id}
    owner: web
  alpha: {keys: {only: {kind: flag, key: alpha:only}}, ttl: {max: 2h, default: 1h}}
services: {web: {description: "The edge: serves pages"}, api: {}}
defaults: {encoding: json, ttl: 5m}
name: demo
keyspace: 1
)";
  const std::string expected = R"(keyspace: 1
name: demo
defaults: {ttl: 5m, encoding: json}

services:
  web: {description: "The edge: serves pages"}
  api: {}

namespaces:
  zeta:
    owner: web
    keys:
      second:
        description: Counted
        key: zeta:second
        kind: counter
        ttl: 1m
      first:
        key: zeta:first:{id}
        params: {id: {type: string, max_length: 8}}
        kind: value
        value: string
  alpha:
    ttl: {default: 1h, max: 2h}
    keys:
      only:
        key: alpha:only
        kind: flag
)";
  EXPECT_EQ(format(messy), expected);
  EXPECT_EQ(parse_root(format(messy)).dump(), parse_root(expected).dump());
}

TEST(SchemaFormat, FlowNodesThatDoNotFitOnTheLineGoBlock) {
  Json doc = {{"short", {{"a", "b"}}}, {"long", {{"first", std::string(50, 'x')}, {"second", std::string(50, 'y')}}}};
  const std::string text = format_document(doc);
  EXPECT_NE(text.find("short: {a: b}\n"), std::string::npos) << text;
  EXPECT_NE(text.find("long:\n  first: xxx"), std::string::npos) << text;
  Json list = {{"items", Json::array({std::string(60, 'a'), std::string(60, 'b')})}};
  EXPECT_EQ(format_document(list), "items:\n  - " + std::string(60, 'a') + "\n  - " + std::string(60, 'b') + "\n");
}

TEST(SchemaFormat, FormattingIsIdempotentAndKeepsTheModel) {
  for (const char* file : {"examples/shop/keyspace.yaml", "tests/golden/schemas/all_types.yaml",
                           "tests/golden/schemas/minimal.yaml"}) {
    SCOPED_TRACE(file);
    const std::string original = read_file(file);
    ASSERT_FALSE(original.empty());
    const std::string once = format(original);
    EXPECT_EQ(parse_root(once), parse_root(original));
    EXPECT_EQ(format(once), once);
    DiagnosticSink sink;
    EXPECT_TRUE(load_schema_text(file, once, sink));
    EXPECT_FALSE(sink.has_errors());
  }
}

TEST(SchemaFormat, ACommentFreeShopSchemaFormatsToTheSameModel) {
  std::string shop = read_file("examples/shop/keyspace.yaml");
  shop.erase(0, shop.find('\n') + 1);  // its only comment is the first line
  ASSERT_EQ(shop.find('#'), std::string::npos);
  const std::string once = format(shop);
  EXPECT_EQ(parse_root(once), parse_root(shop));
  EXPECT_EQ(format(once), once);
  EXPECT_EQ(header_comments(shop), "");
}

TEST(SchemaFormat, KeepsTheCommentHeaderAtTheTopOfTheFile) {
  const std::string text = "# modeline\n\n  # second\n\nname: demo\nkeyspace: 1\nnamespaces: {}\n";
  EXPECT_EQ(header_comments(text), "# modeline\n\n  # second\n");
  EXPECT_EQ(format(text), "# modeline\n\n  # second\nkeyspace: 1\nname: demo\nnamespaces: {}\n");
}

std::optional<SourceLoc> comment_in(const std::string& text) {
  DiagnosticSink sink;
  const std::optional<Document> doc = parse_document("s.yaml", text, sink);
  EXPECT_TRUE(doc);
  return doc ? find_comment(*doc, text) : std::nullopt;
}

TEST(SchemaFormat, FindsTheFirstCommentAfterTheHeader) {
  const auto trailing = comment_in("# header\nkeyspace: 1\nname: demo # the name\n# own line\n");
  ASSERT_TRUE(trailing);
  EXPECT_EQ(trailing->line, 3);
  EXPECT_EQ(trailing->column, 12);
  const auto own_line = comment_in("keyspace: 1\n  # indented\nname: demo\n");
  ASSERT_TRUE(own_line);
  EXPECT_EQ(own_line->line, 2);
  EXPECT_EQ(own_line->column, 3);
  const auto in_flow = comment_in("a: [b, # why\n  c]\n");
  ASSERT_TRUE(in_flow);
  EXPECT_EQ(in_flow->column, 8);
}

TEST(SchemaFormat, AHashInsideAScalarIsNotAComment) {
  EXPECT_FALSE(comment_in("a: \"x #y\"\nb: 'x #y'\nc: x#y\n"));
  EXPECT_FALSE(comment_in("a: \"multi\n  line #not\"\n"));
  EXPECT_FALSE(comment_in("description: |\n  text # not a comment\n  # nor this\nb: 1\n"));
  EXPECT_FALSE(comment_in("# only a header\n\na: 1\n"));
}

TEST(SchemaFormat, RefusesASchemaWithACommentAndReportsWhere) {
  DiagnosticSink sink;
  const FormatResult result =
      format_schema_text("s.yaml", "keyspace: 1\nname: demo  # why\nnamespaces: {}\n", sink);
  EXPECT_FALSE(sink.has_errors());
  EXPECT_FALSE(result.text);
  ASSERT_TRUE(result.comment);
  EXPECT_EQ(result.comment->line, 2);
  EXPECT_EQ(result.comment->column, 13);
}

TEST(SchemaFormat, DoesNotFormatASchemaWithErrors) {
  DiagnosticSink sink;
  const FormatResult result = format_schema_text("s.yaml", "keyspace: 1\nname: Not_Snake\nnamespaces: {}\n", sink);
  EXPECT_TRUE(sink.has_errors());
  EXPECT_FALSE(result.text);
}

}  // namespace
}  // namespace keyspace::gen
