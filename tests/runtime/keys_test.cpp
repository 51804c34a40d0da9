// Keys as they really appear in Redis: the environment prefix, and escaped parameters that
// round-trip and can never make two different parameter tuples share a key.

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "keyspace/detail/escape.hpp"
#include "specs.hpp"

namespace runtime_test {
namespace {

using keyspace::test::redis_cli;
namespace ops = keyspace::ops;

std::vector<std::string> all_keys() {
  std::istringstream lines(redis_cli({"KEYS", "*"}));
  std::vector<std::string> keys;
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) keys.push_back(line);
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

keyspace::Client client_in(const std::string& environment) {
  keyspace::Options options = keyspace::test::test_options();
  options.environment = environment;
  return keyspace::Client(options);
}

class Keys : public keyspace::test::RedisTest {};

TEST_F(Keys, EnvironmentPrefixAppearsInRealKeys) {
  keyspace::Client staging = client_in("staging");
  ops::set<keyspace::StringCodec>(staging, kUserName, user_name_key(staging, 42), "Alice");
  ops::counter_add(staging, kPageViews, page_views_key(staging, "home"), 1);
  ops::flag_set(staging, kMaintenance, maintenance_key(staging, "checkout"));
  EXPECT_EQ(all_keys(), (std::vector<std::string>{"staging:cache:user:42:name",
                                                  "staging:feature:checkout:maintenance",
                                                  "staging:stats:page:home:views"}));
  EXPECT_EQ(redis_cli({"GET", "staging:cache:user:42:name"}), "Alice");
}

TEST_F(Keys, WithoutEnvironmentKeysAreTheBareTemplate) {
  keyspace::Client client = client_in("");
  ops::set<keyspace::StringCodec>(client, kUserName, user_name_key(client, 42), "Alice");
  EXPECT_EQ(all_keys(), std::vector<std::string>{"cache:user:42:name"});
}

TEST_F(Keys, EnvironmentsSharingAServerDoNotSeeEachOthersKeys) {
  keyspace::Client dev = client_in("dev");
  keyspace::Client prod = client_in("prod");
  ops::set<keyspace::StringCodec>(dev, kUserName, user_name_key(dev, 1), "dev value");
  ops::set<keyspace::StringCodec>(prod, kUserName, user_name_key(prod, 1), "prod value");
  EXPECT_EQ(ops::get<keyspace::StringCodec>(dev, kUserName, user_name_key(dev, 1)),
            std::optional<std::string>("dev value"));
  EXPECT_EQ(ops::get<keyspace::StringCodec>(prod, kUserName, user_name_key(prod, 1)),
            std::optional<std::string>("prod value"));
}

TEST_F(Keys, ParamWithSeparatorGlobAndBracesRoundTrips) {
  keyspace::Client client = client_in("");
  const std::string page = "a:b*c{d}?[e] f%";
  const std::string key = page_views_key(client, page);
  ops::counter_add(client, kPageViews, key, 4);
  EXPECT_EQ(ops::counter_get(client, kPageViews, page_views_key(client, page)), 4);

  const std::vector<std::string> keys = all_keys();
  ASSERT_EQ(keys.size(), 1u);
  const std::string prefix = "stats:page:";
  const std::string suffix = ":views";
  ASSERT_EQ(keys[0].rfind(prefix, 0), 0u) << keys[0];
  // Exactly four segments: the parameter stayed inside its own.
  EXPECT_EQ(std::count(keys[0].begin(), keys[0].end(), ':'), 3) << keys[0];
  const std::string segment =
      keys[0].substr(prefix.size(), keys[0].size() - prefix.size() - suffix.size());
  EXPECT_EQ(keyspace::unescape_segment(segment), std::optional<std::string>(page));
}

TEST_F(Keys, EscapedParamsCannotCollideAcrossSegments) {
  keyspace::Client client = client_in("");
  // Without escaping all three would render "doc:a:b:c".
  const std::string first = document_key(client, "a:b", "c");
  const std::string second = document_key(client, "a", "b:c");
  const std::string third = document_key(client, "a%3Ab", "c");
  ops::set<keyspace::StringCodec>(client, kDocument, first, "first");
  ops::set<keyspace::StringCodec>(client, kDocument, second, "second");
  ops::set<keyspace::StringCodec>(client, kDocument, third, "third");
  EXPECT_EQ(all_keys().size(), 3u);
  EXPECT_EQ(ops::get<keyspace::StringCodec>(client, kDocument, first),
            std::optional<std::string>("first"));
  EXPECT_EQ(ops::get<keyspace::StringCodec>(client, kDocument, second),
            std::optional<std::string>("second"));
  EXPECT_EQ(ops::get<keyspace::StringCodec>(client, kDocument, third),
            std::optional<std::string>("third"));
}

TEST_F(Keys, GlobCharactersInAParamMatchOnlyTheirOwnKey) {
  keyspace::Client client = client_in("");
  ops::set<keyspace::StringCodec>(client, kDocument, document_key(client, "*", "x"), "star");
  ops::set<keyspace::StringCodec>(client, kDocument, document_key(client, "alice", "x"), "alice");
  // A pattern built from the escaped parameter is exact: it does not match alice's key.
  const std::string pattern = "doc:" + keyspace::escape_segment("*") + ":*";
  EXPECT_EQ(redis_cli({"KEYS", pattern}), "doc:%2A:x");
}

TEST_F(Keys, EmptyStringParamIsRejectedBeforeAnyCommand) {
  keyspace::Client client = client_in("");
  EXPECT_THROW(document_key(client, "", "x"), keyspace::InvalidKey);
  EXPECT_EQ(redis_cli({"DBSIZE"}), "0");
}

}  // namespace
}  // namespace runtime_test
