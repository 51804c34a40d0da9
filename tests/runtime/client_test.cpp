// keyspace::Client: environment checks against the schema, sharing one client between
// threads, database selection and scripts.

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "keyspace/detail/client_access.hpp"
#include "specs.hpp"

namespace runtime_test {
namespace {

using keyspace::test::redis_cli;
namespace ops = keyspace::ops;

keyspace::Client client_in(const std::string& environment) {
  keyspace::Options options;  // never connects: check_environment is local
  options.environment = environment;
  return keyspace::Client(options);
}

std::string config_error_of(const keyspace::Client& client,
                            std::initializer_list<std::string_view> allowed) {
  try {
    client.check_environment("shop", allowed);
  } catch (const keyspace::ConfigError& e) {
    return e.what();
  }
  ADD_FAILURE() << "environment '" << client.options().environment << "' was accepted";
  return {};
}

TEST(CheckEnvironment, AcceptsADeclaredEnvironment) {
  EXPECT_NO_THROW(client_in("prod").check_environment("shop", {"dev", "staging", "prod"}));
  EXPECT_EQ(client_in("prod").key_prefix(), "prod:");
}

TEST(CheckEnvironment, AcceptsNoEnvironmentWhenTheSchemaDeclaresNone) {
  EXPECT_NO_THROW(client_in("").check_environment("shop", {}));
  EXPECT_EQ(client_in("").key_prefix(), "");
}

TEST(CheckEnvironment, RejectsAnUndeclaredEnvironmentListingTheDeclaredOnes) {
  const std::string message = config_error_of(client_in("qa"), {"dev", "prod"});
  EXPECT_TRUE(contains(message, "'qa'")) << message;
  EXPECT_TRUE(contains(message, "'shop'")) << message;
  EXPECT_TRUE(contains(message, "[dev, prod]")) << message;
}

TEST(CheckEnvironment, RejectsAMissingEnvironmentWhenTheSchemaRequiresOne) {
  const std::string message = config_error_of(client_in(""), {"dev", "prod"});
  EXPECT_TRUE(contains(message, "requires an environment")) << message;
  EXPECT_TRUE(contains(message, "[dev, prod]")) << message;
}

TEST(CheckEnvironment, RejectsAnEnvironmentWhenTheSchemaDeclaresNone) {
  const std::string message = config_error_of(client_in("prod"), {});
  EXPECT_TRUE(contains(message, "declares no environments")) << message;
}

class ClientTest : public keyspace::test::RedisTest {};

int connected_clients() {
  const std::string info = redis_cli({"INFO", "clients"});
  const std::string field = "connected_clients:";
  return std::stoi(info.substr(info.find(field) + field.size()));
}

TEST_F(ClientTest, PingAnswers) {
  keyspace::Client client{options()};
  EXPECT_NO_THROW(client.ping());
}

TEST_F(ClientTest, ManyThreadsShareOneClient) {
  keyspace::Options shared = options();
  shared.pool_size = 3;  // fewer connections than threads: callers wait for each other
  keyspace::Client client{shared};
  constexpr int kThreads = 8;
  constexpr int kRounds = 200;
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string own = user_name_key(client, t);
      const std::string counter = page_views_key(client, "shared");
      for (int i = 0; i < kRounds; ++i) {
        const std::string value = std::to_string(t) + "/" + std::to_string(i);
        ops::set<keyspace::StringCodec>(client, kUserName, own, value);
        if (ops::get<keyspace::StringCodec>(client, kUserName, own) != value) ++mismatches;
        ops::counter_add(client, kPageViews, counter, 1);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_EQ(redis_cli({"GET", page_views_key(client, "shared")}),
            std::to_string(kThreads * kRounds));
  expect_fresh_ttl(page_views_key(client, "shared"), kPageViews);
}

TEST_F(ClientTest, NeverOpensMoreConnectionsThanThePoolSize) {
  keyspace::Options limited = options();
  limited.pool_size = 2;
  keyspace::Client client{limited};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) client.ping();
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_LE(connected_clients(), 2 + 1);  // the pool's connections plus redis-cli itself
}

TEST_F(ClientTest, SelectsTheConfiguredDatabase) {
  keyspace::Options on_db_3 = options();
  on_db_3.db = 3;
  keyspace::Client client{on_db_3};
  ops::set<keyspace::StringCodec>(client, kUserName, user_name_key(client, 1), "in db 3");
  EXPECT_EQ(redis_cli({"-n", "3", "GET", "cache:user:1:name"}), "in db 3");
  EXPECT_EQ(redis_cli({"EXISTS", "cache:user:1:name"}), "0");
}

TEST_F(ClientTest, ADatabaseTheServerDoesNotHaveIsAConfigError) {
  keyspace::Options bad = options();
  bad.db = 100000;
  keyspace::Client client{bad};
  EXPECT_THROW(client.ping(), keyspace::ConfigError);
}

TEST_F(ClientTest, RunScriptPassesKeysAndArguments) {
  keyspace::Client client{options()};
  static const keyspace::Script script("return {KEYS[1], ARGV[1], ARGV[2]}");
  const keyspace::Reply reply =
      keyspace::detail::ClientAccess::run_script(client, kUserName, "probe", script, {"k:1"}, {"a", std::string_view("b\0c", 3)});
  ASSERT_EQ(reply.type, keyspace::Reply::Type::array);
  ASSERT_EQ(reply.elements.size(), 3u);
  EXPECT_EQ(reply.elements[0].str, "k:1");
  EXPECT_EQ(reply.elements[1].str, "a");
  EXPECT_EQ(reply.elements[2].str, std::string("b\0c", 3));
  EXPECT_FALSE(script.sha().empty());
}

TEST_F(ClientTest, ScriptErrorsAreCommandErrorsNamingTheTemplate) {
  keyspace::Client client{options()};
  static const keyspace::Script script("return redis.error_reply('boom')");
  try {
    keyspace::detail::ClientAccess::run_script(client, kUserName, "probe", script, {}, {});
    FAIL() << "the script error was swallowed";
  } catch (const keyspace::CommandError& e) {
    EXPECT_EQ(e.key_template(), "cache:user:{user_id}:name");
    EXPECT_TRUE(contains(e.what(), "boom")) << e.what();
  }
}

}  // namespace
}  // namespace runtime_test
