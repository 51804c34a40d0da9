#include <stdexcept>

#include <gtest/gtest.h>

#include "model/key_patterns.hpp"
#include "pipeline.hpp"

namespace keyspace::gen {
namespace {

const char* kSchema = R"(keyspace: 1
name: app
defaults: {ttl: 1m}
types:
  Color: {enum: [red, green]}
namespaces:
  user:
    keys:
      profile: {key: "user:{id}", params: {id: int64}, kind: flag}
      settings: {key: "user:{id}:settings", params: {id: int64}, kind: flag}
      by_name: {key: "user:name:{name}", params: {name: string}, kind: flag}
      by_color: {key: "user:color:{color}:{n}", params: {color: Color, n: uint64}, kind: flag}
      count: {key: "user:count", kind: counter}
  page:
    keys:
      views: {key: "page:views:{page}:{day}", params: {page: string, day: string}, kind: counter}
      total: {key: "page:total:{page}", params: {page: string}, kind: counter}
)";

class KeyPatterns : public ::testing::Test {
 protected:
  void SetUp() override {
    DiagnosticSink sink;
    schema_ = *load_schema_text("app.yaml", kSchema, sink);
    ASSERT_FALSE(sink.has_errors());
  }
  const Key& key(const std::string& ns, const std::string& name) const {
    for (const Namespace& n : schema_.namespaces) {
      for (const Key& k : n.keys) {
        if (n.name == ns && k.name == name) return k;
      }
    }
    throw std::out_of_range(ns + "." + name);
  }
  Schema schema_;
};

TEST_F(KeyPatterns, ExampleKeyFillsIntegersStringsAndEnumsWithSamples) {
  EXPECT_EQ(example_key(key("user", "profile"), schema_), "user:42");
  EXPECT_EQ(example_key(key("user", "by_name"), schema_), "user:name:abc");
  EXPECT_EQ(example_key(key("user", "by_color"), schema_), "user:color:red:42");
  EXPECT_EQ(example_key(key("user", "count"), schema_), "user:count");
}

TEST_F(KeyPatterns, ScanPatternKeepsLiteralsAndStarsEachParameter) {
  EXPECT_EQ(scan_pattern(key("user", "settings").key), "user:*:settings");
  EXPECT_EQ(scan_pattern(key("page", "views").key), "page:views:*:*");
  EXPECT_EQ(scan_pattern(key("user", "count").key), "user:count");
}

TEST_F(KeyPatterns, ScanPatternEscapesGlobCharactersInLiterals) {
  KeyTemplate t;
  t.segments = {{false, "a*b?", {}}, {false, "[x]\\", {}}, {true, "id", {}}};
  EXPECT_EQ(scan_pattern(t), "a\\*b\\?:\\[x\\]\\\\:*");
}

TEST_F(KeyPatterns, PatternIsNotExactWhenAStarCanSpanIntoAnotherTemplate) {
  // `user:*` also matches user:count and, since `*` matches ':', user:42:settings.
  EXPECT_FALSE(scan_pattern_is_exact(key("user", "profile"), schema_));
}

TEST_F(KeyPatterns, PatternIsNotExactWhenAStarCanMatchAnotherTemplatesLiteral) {
  // `user:*:settings` matches user:name:settings, a by_name key with name "settings".
  EXPECT_FALSE(scan_pattern_is_exact(key("user", "settings"), schema_));
}

TEST_F(KeyPatterns, PatternIsExactWhenNoOtherTemplateCanRenderAMatchingKey) {
  EXPECT_TRUE(scan_pattern_is_exact(key("page", "views"), schema_));
  EXPECT_TRUE(scan_pattern_is_exact(key("page", "total"), schema_));
  EXPECT_TRUE(scan_pattern_is_exact(key("user", "by_color"), schema_));
}

TEST_F(KeyPatterns, IntegerParametersRenderOnlyDigits) {
  // user:{id} cannot render user:count, and user:{id}:settings cannot render user:name:...
  EXPECT_TRUE(scan_pattern_is_exact(key("user", "count"), schema_));
  EXPECT_TRUE(scan_pattern_is_exact(key("user", "by_name"), schema_));
}

TEST_F(KeyPatterns, TheIndexDecidesLikeComparingWithEveryTemplate) {
  const ScanExactness exactness(schema_);
  for (const Namespace& ns : schema_.namespaces) {
    for (const Key& k : ns.keys) EXPECT_EQ(exactness.is_exact(k), scan_pattern_is_exact(k, schema_)) << k.name;
  }
}

TEST(ScanExactness, CompanionKeysAndTemplatesStartingWithAParameterAreCandidates) {
  // job:lock:*:* matches the lock's fencing counter job:lock:42:_fence (an integer owner cannot
  // spell `_fence`, so the templates do not collide). A template starting with a parameter is
  // outside the language, but the index must still hand it to every pattern.
  const char* text = R"(keyspace: 1
name: app
defaults: {ttl: 1m}
namespaces:
  job:
    keys:
      lock: {key: "job:lock:{id}", params: {id: int64}, kind: lock}
      lock_owner: {key: "job:lock:{id}:{owner}", params: {id: int64, owner: int64}, kind: flag}
      runs: {key: "job:runs", kind: counter}
      run: {key: "job:run:{id}", params: {id: int64}, kind: flag}
      cached: {key: "job:cached:{id}", params: {id: int64}, kind: cache, value: string, tags: ["run:{id}"]}
)";
  DiagnosticSink sink;
  Schema schema = *load_schema_text("app.yaml", text, sink);
  ASSERT_FALSE(sink.has_errors());
  KeyTemplate any;
  any.text = "{x}:y";
  any.segments = {{true, "x", {}}, {false, "y", {}}};
  Key wildcard;
  wildcard.name = "wildcard";
  wildcard.namespace_name = "job";
  wildcard.key = any;
  wildcard.params = {Param{}};
  wildcard.params[0].name = "x";
  wildcard.params[0].type = Param::Type::string;
  schema.namespaces[0].keys.push_back(wildcard);
  const ScanExactness exactness(schema);
  for (const Key& k : schema.namespaces[0].keys) {
    EXPECT_EQ(exactness.is_exact(k), scan_pattern_is_exact(k, schema)) << k.name;
  }
  EXPECT_FALSE(exactness.is_exact(schema.namespaces[0].keys[1]));  // job:lock:*:* matches job:lock:42:_fence
}

}  // namespace
}  // namespace keyspace::gen
