// keyspace::Options the way services are deployed: from a URL, from the process environment,
// a key prefix before the environment, and start-up connection retries.

#include <cstdlib>
#include <future>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "keyspace/codec/codec.hpp"
#include "keyspace_test/redis_server.hpp"
#include "specs.hpp"

namespace runtime_test {
namespace {

using keyspace::Options;

std::string config_error(std::string_view url) {
  try {
    Options::from_url(url);
  } catch (const keyspace::ConfigError& e) {
    return e.what();
  }
  ADD_FAILURE() << url << " was accepted";
  return {};
}

TEST(OptionsFromUrl, ReadsHostPortCredentialsAndDatabase) {
  const Options o = Options::from_url("redis://app:secret@10.0.0.5:6380/2");
  EXPECT_EQ(o.username, "app");
  EXPECT_EQ(o.password, "secret");
  EXPECT_EQ(o.host, "10.0.0.5");
  EXPECT_EQ(o.port, 6380);
  EXPECT_EQ(o.db, 2);
  const Options bare = Options::from_url("redis://localhost");
  EXPECT_EQ(bare.host, "localhost");
  EXPECT_EQ(bare.port, 6379);
  EXPECT_EQ(bare.db, 0);
  EXPECT_EQ(bare.password, "");
}

TEST(OptionsFromUrl, ReadsBracketedIpv6PercentEscapesAndEmptyParts) {
  const Options v6 = Options::from_url("redis://[::1]:6380/");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, 6380);
  const Options escaped = Options::from_url("redis://app%40eu:p%3Aw%2F@host");
  EXPECT_EQ(escaped.username, "app@eu");
  EXPECT_EQ(escaped.password, "p:w/");
  EXPECT_EQ(Options::from_url("redis://app:@host").username, "app");
  EXPECT_EQ(Options::from_url("redis://:secret@host").password, "secret");
  EXPECT_EQ(Options::from_url("redis://secret@host").password, "secret");  // as redis-cli reads it
}

TEST(OptionsFromUrl, ReadsUnixSocketsWithADatabase) {
  const Options o = Options::from_url("unix://:pw@/run/redis/redis.sock?db=3");
  EXPECT_EQ(o.unix_socket, "/run/redis/redis.sock");
  EXPECT_EQ(o.password, "pw");
  EXPECT_EQ(o.db, 3);
}

TEST(OptionsFromUrl, KeepsTheOtherFieldsOfTheBase) {
  Options base;
  base.environment = "prod";
  base.pool_size = 3;
  const Options o = Options::from_url("redis://cache:7000", base);
  EXPECT_EQ(o.environment, "prod");
  EXPECT_EQ(o.pool_size, 3u);
  EXPECT_EQ(o.port, 7000);
}

TEST(OptionsFromUrl, RefusesTlsWithTheAlternativeNamed) {
  const std::string message = config_error("rediss://app:secret@host:6380");
  EXPECT_TRUE(contains(message, "TLS")) << message;
  EXPECT_TRUE(contains(message, "tunnel")) << message;
  EXPECT_FALSE(contains(message, "secret")) << message;
}

TEST(OptionsFromUrl, RefusesMalformedUrlsNamingWhatIsWrongButNeverThePassword) {
  EXPECT_TRUE(contains(config_error("http://host"), "redis:// or unix://"));
  EXPECT_TRUE(contains(config_error("redis://host:port"), "port 'port'"));
  EXPECT_TRUE(contains(config_error("redis://host:70000"), "1 to 65535"));
  EXPECT_TRUE(contains(config_error("redis://host:"), "port ''"));
  EXPECT_TRUE(contains(config_error("redis://::1:6379"), "brackets"));
  EXPECT_TRUE(contains(config_error("redis://[::1:6379"), "closing"));
  EXPECT_TRUE(contains(config_error("redis://host/zero"), "database 'zero'"));
  EXPECT_TRUE(contains(config_error("redis://host/0?timeout=1"), "no query"));
  EXPECT_TRUE(contains(config_error("unix://run/redis.sock"), "absolute"));
  const std::string message = config_error("redis://app:hunter2@host:x");
  EXPECT_FALSE(contains(message, "hunter2")) << message;
  EXPECT_TRUE(contains(message, "redis://app:***@host:x")) << message;
}

// Sets environment variables for one test and restores them after.
class Environment {
 public:
  Environment(std::initializer_list<std::pair<const char*, const char*>> variables) {
    for (const char* name : {"REDIS_URL", "REDIS_HOST", "REDIS_PORT", "REDIS_USERNAME", "REDIS_PASSWORD", "REDIS_DB",
                             "REDIS_KEY_PREFIX"}) {
      const char* value = std::getenv(name);
      saved_.emplace_back(name, value != nullptr ? std::optional<std::string>(value) : std::nullopt);
      ::unsetenv(name);
    }
    for (const auto& [name, value] : variables) ::setenv(name, value, 1);
  }
  ~Environment() {
    for (const auto& [name, value] : saved_) {
      if (value) {
        ::setenv(name.c_str(), value->c_str(), 1);
      } else {
        ::unsetenv(name.c_str());
      }
    }
  }

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

TEST(OptionsFromEnv, ReadsTheVariablesOneByOne) {
  Environment env{{"REDIS_HOST", "cache"}, {"REDIS_PORT", "7001"}, {"REDIS_USERNAME", "app"},
                  {"REDIS_PASSWORD", "pw"}, {"REDIS_DB", "4"}, {"REDIS_KEY_PREFIX", "tenant-7:"}};
  const Options o = Options::from_env();
  EXPECT_EQ(o.host, "cache");
  EXPECT_EQ(o.port, 7001);
  EXPECT_EQ(o.username, "app");
  EXPECT_EQ(o.password, "pw");
  EXPECT_EQ(o.db, 4);
  EXPECT_EQ(o.key_prefix, "tenant-7");  // the trailing ':' as often written
}

TEST(OptionsFromEnv, TheUrlWinsAndUnsetVariablesKeepTheBase) {
  Environment env{{"REDIS_URL", "redis://:pw@cache:7002/1"}, {"REDIS_HOST", "ignored"}};
  Options base;
  base.environment = "dev";
  const Options o = Options::from_env(base);
  EXPECT_EQ(o.host, "cache");
  EXPECT_EQ(o.port, 7002);
  EXPECT_EQ(o.db, 1);
  EXPECT_EQ(o.environment, "dev");
  Environment none{};
  EXPECT_EQ(Options::from_env(base).host, base.host);
}

TEST(OptionsFromEnv, AMalformedVariableIsAnErrorNamingIt) {
  for (const char* name : {"REDIS_PORT", "REDIS_DB", "REDIS_URL"}) {
    Environment env{{name, std::string_view(name) == "REDIS_URL" ? "rediss://host" : "63 79"}};
    try {
      Options::from_env();
      ADD_FAILURE() << name << " was accepted";
    } catch (const keyspace::ConfigError& e) {
      EXPECT_TRUE(contains(e.what(), name)) << e.what();
    }
  }
}

class KeyPrefix : public keyspace::test::RedisTest {};

TEST_F(KeyPrefix, ComesBeforeTheEnvironmentInEveryKey) {
  Options o = options();
  o.key_prefix = "shared:tenant-7";
  o.environment = "prod";
  keyspace::Client client(o);
  EXPECT_EQ(client.key_prefix(), "shared:tenant-7:prod:");
  const std::string key = user_name_key(client, 42);
  EXPECT_EQ(key, "shared:tenant-7:prod:cache:user:42:name");
  keyspace::ops::set<keyspace::StringCodec>(client, kUserName, key, "Ada");
  EXPECT_EQ(keyspace::test::redis_cli({"GET", "shared:tenant-7:prod:cache:user:42:name"}), "Ada");
}

TEST(KeyPrefixCheck, ARefixThatIsNotCleanSegmentsIsAConfigError) {
  for (const char* prefix : {"a:", ":a", "a::b", "a*", "a b", "{tag}", "50%"}) {
    Options o;
    o.key_prefix = prefix;
    EXPECT_THROW(keyspace::Client{o}, keyspace::ConfigError) << prefix;
  }
}

TEST(ClusterOptionsCheck, WhatAClusterCannotHonourIsAConfigError) {
  Options socket;
  socket.topology = keyspace::Topology::cluster;
  socket.unix_socket = "/tmp/redis.sock";
  EXPECT_THROW(keyspace::Client{socket}, keyspace::ConfigError);
  Options database;
  database.topology = keyspace::Topology::cluster;
  database.db = 2;
  EXPECT_THROW(keyspace::Client{database}, keyspace::ConfigError);
  Options redirects;
  redirects.topology = keyspace::Topology::cluster;
  redirects.max_redirects = -1;
  EXPECT_THROW(keyspace::Client{redirects}, keyspace::ConfigError);
}

// A service that starts before its Redis: connect() waits for it, within its attempts.
TEST(Connect, RetriesUntilTheServerComesUp) {
  keyspace::test::RedisServer server;
  Options o = server.options();
  o.connect_attempts = 100;
  o.connect_retry_delay = std::chrono::milliseconds(20);
  server.stop();
  keyspace::Client client(o);
  std::future<void> connected = std::async(std::launch::async, [&] { client.connect(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  server.start();
  EXPECT_NO_THROW(connected.get());
}

TEST(Connect, GivesUpAfterItsAttemptsWithTheConnectionError) {
  keyspace::test::RedisServer server;
  Options o = server.options();
  o.connect_attempts = 3;
  o.connect_retry_delay = std::chrono::milliseconds(10);
  o.retry_attempts = 0;
  server.stop();
  keyspace::Client client(o);
  EXPECT_THROW(client.connect(), keyspace::ConnectionError);
}

TEST(Connect, DoesNotRetryRefusedCredentials) {
  keyspace::test::RedisServer server(keyspace::test::RedisServerConfig{"right", false, {}, {}});
  Options o = server.options();
  o.password = "wrong";
  o.connect_attempts = 50;
  o.connect_retry_delay = std::chrono::seconds(1);
  keyspace::Client client(o);
  EXPECT_THROW(client.connect(), keyspace::AuthError);  // at once, not after 50 s
}

}  // namespace
}  // namespace runtime_test
