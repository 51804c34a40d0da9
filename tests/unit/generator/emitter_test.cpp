#include <gtest/gtest.h>

#include "emit/cpp/emitter.hpp"
#include "pipeline.hpp"

namespace keyspace::gen {
namespace {

const char* kSchema = R"(keyspace: 1
name: app
description: |
  Line one
  Line two ends with a backslash \
services: {web: {}, worker: {}}
defaults: {ttl: 1m}
namespaces:
  web:
    owner: web
    keys:
      hits: {key: "web:hits", kind: counter}
  jobs:
    owner: worker
    readers: [web]
    keys:
      done: {key: "jobs:done:{id}", params: {id: uint64}, kind: flag}
  private:
    owner: worker
    keys:
      seen: {key: "private:seen", kind: flag}
)";

Schema load() {
  DiagnosticSink sink;
  auto schema = load_schema_text("app.yaml", kSchema, sink);
  EXPECT_FALSE(sink.has_errors());
  return *schema;
}

TEST(CppEmitter, OutputIsDeterministic) {
  const Schema schema = load();
  EXPECT_EQ(emit_cpp(schema, {std::nullopt, "app.yaml"}), emit_cpp(schema, {std::nullopt, "app.yaml"}));
}

TEST(CppEmitter, WritesBannerGuardAndDescriptions) {
  const OutputSet out = emit_cpp(load(), {std::nullopt, "schemas/app.yaml"});
  ASSERT_EQ(out.size(), 2u);
  const std::string& header = out.at("app/keyspace.hpp");
  EXPECT_NE(header.find("from schemas/app.yaml"), std::string::npos);
  EXPECT_NE(header.find("DO NOT EDIT"), std::string::npos);
  EXPECT_NE(header.find("#if !defined(KEYSPACE_RUNTIME_API) || KEYSPACE_RUNTIME_API != 4"), std::string::npos);
  EXPECT_NE(header.find("// Line one\n// Line two ends with a backslash\n"), std::string::npos);
  EXPECT_EQ(header.find("\n\n\n"), std::string::npos);
}

// A schema path or description is written into comments; a newline or carriage return in it
// (a C++ line ends at either) must not end the comment and put text into the code.
TEST(CppEmitter, ControlBytesInCommentTextStayInTheComment) {
  DiagnosticSink sink;
  std::string text = kSchema;
  const std::size_t start = text.find("description:"), end = text.find("services:");
  text.replace(start, end - start, "description: \"Line one\\r#error from the description\"\n");
  const std::optional<Schema> schema = load_schema_text("app.yaml", text, sink);
  ASSERT_TRUE(schema) << sink.all().front().message;
  const OutputSet out = emit_cpp(*schema, {std::nullopt, "dir\n#error from the path\r#error/app.yaml"});
  for (const auto& [name, code] : out) {
    EXPECT_EQ(code.find("\n#error from"), std::string::npos) << name;
    EXPECT_EQ(code.find('\r'), std::string::npos) << name;
  }
  EXPECT_NE(out.at("app/keyspace.hpp").find("from dir\\x0a#error from the path\\x0d#error/app.yaml"), std::string::npos);
}

TEST(CppEmitter, ServiceViewKeepsOnlyNamespacesTheServiceTouches) {
  const OutputSet out = emit_cpp(load(), {std::string("web"), "app.yaml"});
  const std::string& header = out.at("app/keyspace.hpp");
  EXPECT_NE(header.find("namespace web {"), std::string::npos);
  EXPECT_NE(header.find("namespace jobs {"), std::string::npos);
  EXPECT_EQ(header.find("namespace private_ {"), std::string::npos);
}

TEST(CppEmitter, KeywordNamesAreEscaped) {
  const OutputSet out = emit_cpp(load(), {std::nullopt, "app.yaml"});
  const std::string& header = out.at("app/keyspace.hpp");
  EXPECT_NE(header.find("namespace private_ {"), std::string::npos);
  EXPECT_NE(header.find("::app::private_::Keys private_;"), std::string::npos);
}

TEST(CppEmitter, KeyVersionAboveOneIsFoldedIntoTheRenderedKey) {
  DiagnosticSink sink;
  const auto schema = load_schema_text("v.yaml", R"(keyspace: 1
name: app
defaults: {ttl: 1m}
namespaces:
  web:
    keys:
      first: {key: "web:first:{id}", params: {id: int64}, kind: flag}
      second: {key: "web:second:{id}", params: {id: int64}, kind: flag, version: 3}
)", sink);
  ASSERT_FALSE(sink.has_errors());
  const OutputSet out = emit_cpp(*schema, {std::nullopt, "v.yaml"});
  const std::string& header = out.at("app/keyspace.hpp");
  const std::string& source = out.at("app/keyspace.cpp");
  EXPECT_NE(source.find(R"(.literal("web:first:").param(id).build())"), std::string::npos);
  EXPECT_NE(header.find(R"("web:second:{id}:v3")"), std::string::npos);
  EXPECT_NE(source.find(R"(.literal("web:second:").param(id).literal(":v3").build())"), std::string::npos);
}

TEST(CppEmitter, HeaderDeclaresOperationsThatTheSourceDefines) {
  const OutputSet out = emit_cpp(load(), {std::nullopt, "app.yaml"});
  const std::string& header = out.at("app/keyspace.hpp");
  const std::string& source = out.at("app/keyspace.cpp");
  EXPECT_NE(header.find("  std::int64_t incr(std::int64_t by = 1) const;\n"), std::string::npos);
  EXPECT_NE(source.find("std::int64_t Hits::incr(std::int64_t by) const {\n"), std::string::npos);
  EXPECT_EQ(header.find("::keyspace::ops::"), std::string::npos);
}

TEST(CppEmitter, ReadOnlyViewNeitherDeclaresNorDefinesWrites) {
  const OutputSet out = emit_cpp(load(), {std::string("web"), "app.yaml"});
  const std::string& header = out.at("app/keyspace.hpp");
  const std::string& source = out.at("app/keyspace.cpp");
  EXPECT_NE(header.find("  void set(Args&&...) const {\n    static_assert("), std::string::npos);
  EXPECT_EQ(source.find("Done::set("), std::string::npos);
  EXPECT_EQ(source.find("Done::clear("), std::string::npos);
  EXPECT_NE(source.find("bool Done::exists(::keyspace::UInt64Param id) const {\n"), std::string::npos);
  EXPECT_NE(source.find("std::int64_t Hits::incr("), std::string::npos);
}

}  // namespace
}  // namespace keyspace::gen
