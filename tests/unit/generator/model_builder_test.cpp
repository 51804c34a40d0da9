#include <gtest/gtest.h>

#include "diag/codes.hpp"
#include "pipeline.hpp"

namespace keyspace::gen {
namespace {

const char* kSchema = R"(keyspace: 1
name: shop
cpp: {namespace: shop::redis}
environments: [dev, prod]
defaults: {ttl: 1h}
services: {user: {}, gateway: {}}
types:
  Role: {enum: [admin, guest]}
  Profile: {fields: {id: int64, roles: list<Role>, nick: {type: string, optional: true}}}
namespaces:
  cache:
    owner: user
    readers: [gateway]
    ttl: {default: 30m, max: 6h}
    keys:
      profile: {key: "cache:profile:{id}", params: {id: int64}, kind: value, value: Profile, ttl: 2h}
      by_role: {key: "cache:role:{role}", params: {role: Role}, kind: counter}
      total: {key: "cache:total", kind: counter, persistent_reason: lifetime metric}
)";

TEST(ModelBuilder, ResolvesTypesParamsAndInheritedTtls) {
  DiagnosticSink sink;
  const auto schema = load_schema_text("s.yaml", kSchema, sink);
  ASSERT_TRUE(schema);
  for (const auto& d : sink.all()) ADD_FAILURE() << format_text(d);
  EXPECT_EQ(schema->cpp_namespace, "shop::redis");
  ASSERT_EQ(schema->namespaces.size(), 1u);
  const Namespace& ns = schema->namespaces[0];
  ASSERT_EQ(ns.keys.size(), 3u);
  EXPECT_EQ(ns.keys[0].ttl.value, std::chrono::hours(2));
  EXPECT_EQ(ns.keys[0].value->name, "Profile");
  EXPECT_EQ(ns.keys[0].readers, std::vector<std::string>{"gateway"});
  EXPECT_EQ(ns.keys[1].params[0].type, Param::Type::enum_);
  EXPECT_EQ(ns.keys[1].ttl.value, std::chrono::minutes(30));
  EXPECT_EQ(ns.keys[1].ttl.from, Ttl::From::namespace_default);
  EXPECT_TRUE(ns.keys[2].ttl.persistent);
  EXPECT_FALSE(ns.keys[2].ttl.value);
  EXPECT_EQ(ns.keys[0].loc.line, 16);
}

TEST(ModelBuilder, ReportsEveryErrorInOneRun) {
  const std::string text = R"(keyspace: 1
name: shop
namespaces:
  cache:
    keys:
      a: {key: "cache:{x}", kind: value, value: Nope, ttl: 1h}
      b: {key: "other:b", kind: counter, ttl: 1 hour}
      c: {key: "cache:c", kind: lock, ttl: 1s}
)";
  DiagnosticSink sink;
  load_schema_text("s.yaml", text, sink);
  std::vector<std::string> codes;
  for (const auto& d : sink.sorted()) codes.push_back(d.code);
  EXPECT_EQ(codes, (std::vector<std::string>{code::kUndeclaredParam, code::kUnknownType, code::kWrongFirstSegment,
                                              code::kBadDuration}));
}

}  // namespace
}  // namespace keyspace::gen
