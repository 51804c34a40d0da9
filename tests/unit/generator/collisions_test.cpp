#include "lint/collisions.hpp"

#include <gtest/gtest.h>

#include "diag/codes.hpp"
#include "pipeline.hpp"

namespace keyspace::gen {
namespace {

std::vector<Diagnostic> collisions(const std::string& keys) {
  const std::string text = "keyspace: 1\nname: app\ndefaults: {ttl: 1m}\nnamespaces:\n  n:\n    keys:\n" + keys;
  DiagnosticSink sink;
  const std::optional<Schema> schema = load_schema_text("app.yaml", text, sink);
  std::vector<Diagnostic> out;
  for (const Diagnostic& d : sink.all()) {
    if (d.code == code::kKeyCollision) out.push_back(d);
  }
  return out;
}

TEST(Collisions, EachTemplateIsReportedWithTheEarliestTemplateItCollidesWith) {
  const std::vector<Diagnostic> found = collisions(
      "      a: {key: \"n:{x}:y\", params: {x: string}, kind: flag}\n"
      "      b: {key: \"n:z:y\", kind: flag}\n"
      "      c: {key: \"n:z:{w}\", params: {w: string}, kind: flag}\n"
      "      d: {key: \"n:q:{w}\", params: {w: int64}, kind: flag}\n"
      "      e: {key: \"n:q:r\", kind: flag}\n"
      "      f: {key: \"n:{v}:{w}\", params: {v: int64, w: int64}, kind: flag}\n");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].loc.line, 8);  // b, with a
  EXPECT_EQ(found[0].notes.at(0).loc.line, 7);
  EXPECT_EQ(found[1].loc.line, 9);  // c, with a (b is later than a)
  EXPECT_EQ(found[1].notes.at(0).loc.line, 7);
}

TEST(Collisions, TemplatesToldApartByALiteralSegmentNeverMeet) {
  std::string keys;
  for (int i = 0; i < 300; ++i) {
    keys += "      k" + std::to_string(i) + ": {key: \"n:k" + std::to_string(i) + ":{id}\", params: {id: int64}, kind: flag}\n";
  }
  keys += "      any: {key: \"n:{name}:{id}\", params: {name: string, id: int64}, kind: flag}\n";
  const std::vector<Diagnostic> found = collisions(keys);
  ASSERT_EQ(found.size(), 1u);  // only `any`, with the first of the others
  EXPECT_NE(found[0].message.find("n.k0"), std::string::npos) << found[0].message;
}

}  // namespace
}  // namespace keyspace::gen
