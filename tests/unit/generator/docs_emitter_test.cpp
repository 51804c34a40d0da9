#include <gtest/gtest.h>

#include "emit/docs/emitter.hpp"
#include "pipeline.hpp"

namespace keyspace::gen {
namespace {

const char* kSchema = R"(keyspace: 1
name: app
description: "Uses <b> & a | pipe"
services: {web: {}, worker: {}}
defaults: {ttl: 1m}
types:
  Job: {fields: {tags: list<string>}}
namespaces:
  index:
    owner: worker
    readers: [web]
    keys:
      job:
        key: "index:job:{id}"
        params: {id: uint64}
        kind: value
        value: Job
        description: "a | b"
        deprecated: use jobs instead
)";

OutputSet emit() {
  DiagnosticSink sink;
  const std::optional<Schema> schema = load_schema_text("app.yaml", kSchema, sink);
  EXPECT_FALSE(sink.has_errors());
  return emit_docs(*schema, "app.yaml");
}

TEST(DocsEmitter, OutputIsDeterministic) { EXPECT_EQ(emit(), emit()); }

TEST(DocsEmitter, NamespaceNamedLikeAnIndexPageGetsItsOwnPage) {
  const OutputSet out = emit();
  ASSERT_EQ(out.count("namespace-index.md"), 1u);
  EXPECT_NE(out.at("index.md").find("[index](namespace-index.md)"), std::string::npos);
}

TEST(DocsEmitter, MarkdownEscapesTableBreakersAndHtml) {
  const OutputSet out = emit();
  EXPECT_NE(out.at("index.md").find("Uses &lt;b&gt; & a \\| pipe"), std::string::npos);
  const std::string& page = out.at("namespace-index.md");
  EXPECT_NE(page.find("**Deprecated:** use jobs instead. a \\| b |"), std::string::npos);
  EXPECT_NE(page.find("| `job` | `index:job:42` | `index:job:*` | yes |"), std::string::npos);
  EXPECT_NE(out.at("types.md").find("| `tags` | list&lt;string&gt; | no |"), std::string::npos);
}

TEST(DocsEmitter, HtmlEscapesTextAndLinksValueTypes) {
  const std::string html = emit().at("index.html");
  EXPECT_NE(html.find("<p>Uses &lt;b&gt; &amp; a | pipe</p>"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"#type-job\">Job</a>"), std::string::npos);
  EXPECT_NE(html.find("<h3 id=\"type-job\">Job</h3>"), std::string::npos);
  EXPECT_NE(html.find("data-search=\"index.job index:job:{id} worker web\""), std::string::npos);
}

TEST(DocsEmitter, AccessMatrixAndDiagramShowOwnersAndReaders) {
  const std::string index = emit().at("index.md");
  EXPECT_NE(index.find("| **worker** | read/write |"), std::string::npos);
  EXPECT_NE(index.find("| **web** | read |"), std::string::npos);
  EXPECT_NE(index.find("svc_worker -->|read/write| ns_index"), std::string::npos);
  EXPECT_NE(index.find("svc_web -.->|read| ns_index"), std::string::npos);
}

}  // namespace
}  // namespace keyspace::gen
