// The ACL users of `keyspace acl` (emit/acl), without a server: every operation of the catalog
// has its commands, grants follow the access of each service, Redis 6.2 degrades with a warning,
// and a pattern that would reach another template's keys is an error, never a broader grant.
// tests/acl/ checks the same users in a real redis-server.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "emit/acl/acl.hpp"
#include "emit/acl/commands.hpp"
#include "emit/cpp/operations.hpp"
#include "pipeline.hpp"

namespace keyspace::gen {
namespace {

Schema load(const std::string& text) {
  DiagnosticSink sink;
  std::optional<Schema> schema = load_schema_text("acl.yaml", text, sink);
  EXPECT_FALSE(sink.has_errors());
  return schema ? *schema : Schema{};
}

const char* const kTwoServices = R"(keyspace: 1
name: t
environments: [dev]
defaults: {ttl: 1h}
services:
  owner: {description: writes}
  reader: {description: reads}
  other: {description: neither}
namespaces:
  profile:
    owner: owner
    readers: [reader]
    keys:
      user:
        description: A user row
        key: profile:user:{id}
        params: {id: int64}
        value: string
)";

bool has(const std::vector<std::string>& rules, const std::string& rule) {
  return std::find(rules.begin(), rules.end(), rule) != rules.end();
}

const AclUser& user_named(const std::vector<AclUser>& users, const std::string& name) {
  for (const AclUser& user : users) {
    if (user.name == name) return user;
  }
  throw std::runtime_error("no user " + name);
}

TEST(AclCommands, EveryOperationOfTheCatalogHasItsCommands) {
  for (const char* name : {"value", "counter", "flag", "hash", "set", "sorted_set", "list", "stream", "hyperloglog", "presence", "geo", "cache",
                           "session", "rate_limit", "lock", "queue", "channel"}) {
    const Kind kind = *parse_kind(name);
    for (const Operation& op : operations_of(kind).operations) {
      EXPECT_NO_THROW(operation_commands(kind, op.name)) << name << "." << op.name;
    }
  }
}

TEST(Acl, OwnersReadAndWriteReadersReadOthersGetNoKeys) {
  DiagnosticSink sink;
  const std::vector<AclUser> users = acl_users(load(kTwoServices), {}, sink);
  EXPECT_TRUE(sink.all().empty());
  ASSERT_EQ(users.size(), 3u);
  const AclUser& owner = user_named(users, "owner-dev");
  EXPECT_TRUE(has(owner.rules, "%RW~dev:profile:user:*"));
  EXPECT_TRUE(has(owner.rules, "+set"));
  const AclUser& reader = user_named(users, "reader-dev");
  EXPECT_TRUE(has(reader.rules, "%R~dev:profile:user:*"));
  EXPECT_TRUE(has(reader.rules, "+get"));
  EXPECT_FALSE(has(reader.rules, "+set"));
  EXPECT_FALSE(has(reader.rules, "+del"));
  const AclUser& other = user_named(users, "other-dev");
  for (const std::string& rule : other.rules) EXPECT_EQ(rule.find('~'), std::string::npos) << rule;
  // Rules start from nothing (selectors of an earlier ACL SETUSER too), and the password is a
  // placeholder for its hash, never a password.
  const std::vector<std::string> first(owner.rules.begin(), owner.rules.begin() + 7);
  EXPECT_EQ(first, (std::vector<std::string>{"on", "resetpass", "#${KEYSPACE_ACL_PASSWORD_SHA256_OWNER_DEV}",
                                             "resetkeys", "resetchannels", "-@all", "clearselectors"}));
}

TEST(Acl, ServiceAndEnvironmentSelectUsers) {
  DiagnosticSink sink;
  AclOptions options;
  options.service = "reader";
  options.environment = "ci";
  options.nopass = true;
  const std::vector<AclUser> users = acl_users(load(kTwoServices), options, sink);
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0].name, "reader-ci");
  EXPECT_TRUE(has(users[0].rules, "nopass"));
  EXPECT_TRUE(has(users[0].rules, "%R~ci:profile:user:*"));
}

TEST(Acl, Redis62GrantsReadsAsReadWriteWithAWarning) {
  DiagnosticSink sink;
  AclOptions options;
  options.redis_major = 6;
  options.redis_minor = 2;
  const std::vector<AclUser> users = acl_users(load(kTwoServices), options, sink);
  EXPECT_TRUE(has(user_named(users, "reader-dev").rules, "~dev:profile:user:*"));
  ASSERT_EQ(sink.all().size(), 1u);
  EXPECT_EQ(sink.all()[0].code, "KS0702");
  EXPECT_EQ(sink.all()[0].severity, Severity::warning);
}

// `profile:user:*` also matches `profile:user:{id}:secret`, which the reader may not read.
TEST(Acl, APatternReachingAnotherTemplatesKeysIsAnErrorNotABroaderGrant) {
  const std::string text = std::string(kTwoServices) + R"(      secret:
        description: Not for readers
        key: profile:user:{id}:secret
        params: {id: int64}
        value: string
        readers: []
)";
  DiagnosticSink sink;
  const std::vector<AclUser> users = acl_users(load(text), {}, sink);
  ASSERT_TRUE(sink.has_errors());
  EXPECT_EQ(sink.all()[0].code, "KS0701");
  EXPECT_NE(sink.all()[0].message.find("profile:user:*"), std::string::npos) << sink.all()[0].message;
  for (const AclUser& user : users) EXPECT_NE(user.service, "reader");
  EXPECT_NO_THROW(user_named(users, "owner-dev"));  // the owner may have both anyway
}

// Channels are patterns too: `chat:*` of `chat:{room}` also matches `chat:admin:{room}`.
TEST(Acl, AChannelPatternReachingAnotherChannelIsAnError) {
  const std::string text = std::string(kTwoServices) + R"(  chat:
    owner: owner
    readers: [reader]
    keys:
      room:
        description: Messages of a room
        kind: channel
        channel: chat:{room}
        params: {room: string}
        value: string
      admin:
        description: Moderation log, for the owner alone
        kind: channel
        channel: chat:admin:{room}
        params: {room: string}
        value: string
        readers: []
)";
  DiagnosticSink sink;
  const std::vector<AclUser> users = acl_users(load(text), {}, sink);
  ASSERT_TRUE(sink.has_errors());
  EXPECT_EQ(sink.all()[0].code, "KS0701");
  EXPECT_NE(sink.all()[0].message.find("also matches channels"), std::string::npos) << sink.all()[0].message;
  for (const AclUser& user : users) EXPECT_NE(user.service, "reader");
}

// billing-eu_prod and billing_eu-prod would both read KEYSPACE_ACL_PASSWORD_SHA256_BILLING_EU_PROD.
TEST(Acl, UsersWhosePasswordVariablesClashAreAnError) {
  const char* const text = R"(keyspace: 1
name: t
environments: [prod, eu_prod]
defaults: {ttl: 1h}
services:
  billing: {description: one}
  billing_eu: {description: two}
namespaces:
  profile:
    owner: billing
    keys:
      user: {description: A user row, key: "profile:user:{id}", params: {id: int64}, value: string}
)";
  DiagnosticSink sink;
  acl_users(load(text), {}, sink);
  ASSERT_TRUE(sink.has_errors());
  EXPECT_EQ(sink.all()[0].code, "KS0703");
  EXPECT_NE(sink.all()[0].message.find("KEYSPACE_ACL_PASSWORD_SHA256_BILLING_EU_PROD"), std::string::npos);
  DiagnosticSink nopass_sink;
  AclOptions nopass;
  nopass.nopass = true;
  acl_users(load(text), nopass, nopass_sink);
  EXPECT_FALSE(nopass_sink.has_errors());
}

TEST(AclFormats, AclFileCommandsAndJson) {
  DiagnosticSink sink;
  const std::vector<AclUser> users = acl_users(load(kTwoServices), {}, sink);
  const std::string file = render_acl(users, AclFormat::acl_file);
  EXPECT_EQ(file.rfind("user owner-dev on resetpass", 0), 0u) << file;
  EXPECT_EQ(std::count(file.begin(), file.end(), '\n'), 3);
  EXPECT_EQ(file.find("\n#"), std::string::npos);  // redis-server refuses comment lines in an ACL file
  const std::string commands = render_acl(users, AclFormat::commands);
  EXPECT_EQ(commands.rfind("ACL SETUSER owner-dev on", 0), 0u) << commands;
  const nlohmann::json json = nlohmann::json::parse(render_acl(users, AclFormat::json));
  ASSERT_EQ(json.size(), 3u);
  EXPECT_EQ(json[1]["user"], "reader-dev");
  EXPECT_EQ(json[1]["service"], "reader");
  EXPECT_EQ(json[1]["environment"], "dev");
  EXPECT_EQ(json[1]["rules"], nlohmann::json(users[1].rules));
}

}  // namespace
}  // namespace keyspace::gen
