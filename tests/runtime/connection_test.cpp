// Connecting: refused connections, authentication, unix sockets, timeouts, an exhausted pool
// and a server that goes away. Tests that need a specially configured server start their own.

#include <chrono>
#include <future>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "keyspace/detail/client_access.hpp"
#include "specs.hpp"

namespace runtime_test {
namespace {

using keyspace::test::RedisServer;
using keyspace::test::RedisServerConfig;
namespace ops = keyspace::ops;

constexpr keyspace::KeySpec kNoKey{"", "", 0ms};

RedisServerConfig with_password(const std::string& password) {
  RedisServerConfig config;
  config.password = password;
  return config;
}

TEST(Connection, NoServerOnThePortIsAConnectionErrorNamingTheTemplate) {
  keyspace::Options options;
  options.port = keyspace::test::find_free_port();
  keyspace::Client client{options};
  EXPECT_THROW(client.ping(), keyspace::ConnectionError);
  try {
    ops::get<keyspace::StringCodec>(client, kUserName, user_name_key(client, 1));
    FAIL() << "GET without a server succeeded";
  } catch (const keyspace::TimeoutError& e) {
    FAIL() << "a refused connection is not a timeout: " << e.what();
  } catch (const keyspace::ConnectionError& e) {
    EXPECT_EQ(e.key_template(), "cache:user:{user_id}:name");
    EXPECT_TRUE(contains(e.what(), "127.0.0.1:" + std::to_string(options.port))) << e.what();
  }
}

TEST(Connection, WrongPasswordIsAnAuthError) {
  RedisServer server(with_password("s3cret"));
  keyspace::Options options = server.options();
  options.password = "wrong";
  keyspace::Client client{options};
  try {
    client.ping();
    FAIL() << "AUTH with a wrong password succeeded";
  } catch (const keyspace::AuthError& e) {
    EXPECT_FALSE(contains(e.what(), "wrong")) << "the password leaked: " << e.what();
  }
}

TEST(Connection, MissingPasswordIsAnAuthError) {
  RedisServer server(with_password("s3cret"));
  keyspace::Options options = server.options();
  options.password.clear();
  keyspace::Client client{options};
  EXPECT_THROW(client.ping(), keyspace::AuthError);
}

TEST(Connection, RightPasswordAuthenticatesWithOrWithoutAclUser) {
  RedisServer server(with_password("s3cret"));
  keyspace::Client client{server.options()};
  EXPECT_NO_THROW(client.ping());
  keyspace::Options as_default_user = server.options();
  as_default_user.username = "default";
  keyspace::Client acl_client{as_default_user};
  ops::set<keyspace::StringCodec>(acl_client, kUserName, user_name_key(acl_client, 1), "ok");
  EXPECT_EQ(server.cli({"GET", "cache:user:1:name"}), "ok");
  as_default_user.username = "nobody";
  keyspace::Client unknown_user{as_default_user};
  EXPECT_THROW(unknown_user.ping(), keyspace::AuthError);
}

TEST(Connection, UnixSocketCarriesCommands) {
  RedisServerConfig config;
  config.unix_socket = true;
  RedisServer server(config);
  keyspace::Options options;
  options.unix_socket = server.unix_socket();
  options.port = keyspace::test::find_free_port();  // ignored when a socket is set
  keyspace::Client client{options};
  ops::set<keyspace::StringCodec>(client, kUserName, user_name_key(client, 1), "via socket");
  EXPECT_EQ(server.cli({"GET", "cache:user:1:name"}), "via socket");
  EXPECT_EQ(ops::get<keyspace::StringCodec>(client, kUserName, user_name_key(client, 1)),
            std::optional<std::string>("via socket"));
}

TEST(Connection, MissingUnixSocketIsAConnectionError) {
  keyspace::Options options;
  options.unix_socket = "/nonexistent/keyspace/redis.sock";
  keyspace::Client client{options};
  EXPECT_THROW(client.ping(), keyspace::ConnectionError);
}

class SlowServer : public keyspace::test::RedisTest {
 protected:
  // Blocks the whole server (DEBUG is enabled for local clients by the harness).
  static void sleep_server(keyspace::Client& client, const char* seconds) {
    keyspace::detail::ClientAccess::execute(client, kNoKey, "debug", {"DEBUG", "SLEEP", seconds});
  }
};

TEST_F(SlowServer, CommandTimeoutIsATimeoutErrorAndTheConnectionIsReplaced) {
  keyspace::Options options = this->options();
  options.pool_size = 1;
  options.command_timeout = 200ms;
  keyspace::Client client{options};
  client.ping();
  const auto started = std::chrono::steady_clock::now();
  EXPECT_THROW(sleep_server(client, "1"), keyspace::TimeoutError);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 900ms);
  std::this_thread::sleep_until(started + 1200ms);  // the server is awake again
  // The only pooled connection timed out; reusing it would read the stale DEBUG reply.
  EXPECT_NO_THROW(client.ping());
  ops::set<keyspace::StringCodec>(client, kUserName, user_name_key(client, 1), "fresh");
  EXPECT_EQ(ops::get<keyspace::StringCodec>(client, kUserName, user_name_key(client, 1)),
            std::optional<std::string>("fresh"));
}

TEST_F(SlowServer, ExhaustedPoolIsATimeoutErrorAfterPoolWait) {
  keyspace::Options options = this->options();
  options.pool_size = 1;
  options.pool_wait = 100ms;
  options.command_timeout = 5s;
  keyspace::Client client{options};
  client.ping();
  std::future<void> busy = std::async(std::launch::async, [&] { sleep_server(client, "1.5"); });
  std::this_thread::sleep_for(300ms);  // the only connection is now inside DEBUG SLEEP
  const auto started = std::chrono::steady_clock::now();
  try {
    ops::exists(client, kUserName, user_name_key(client, 1));
    FAIL() << "a second connection was opened beyond pool_size";
  } catch (const keyspace::TimeoutError& e) {
    EXPECT_TRUE(contains(e.what(), "pool exhausted")) << e.what();
    EXPECT_EQ(e.key_template(), "cache:user:{user_id}:name");
  }
  const auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_GE(waited, 100ms);
  EXPECT_LT(waited, 1000ms);
  busy.get();
  EXPECT_NO_THROW(client.ping());  // the connection came back to the pool
}

TEST(Connection, ServerThatGoesAwayIsAConnectionErrorNotACrash) {
  auto server = std::make_unique<RedisServer>();
  keyspace::Options options = server->options();
  options.pool_size = 1;
  keyspace::Client client{options};
  client.ping();  // leaves an idle pooled connection behind
  server->stop();
  // Large enough to need several write() calls into a closed socket (SIGPIPE territory).
  const std::string big(8 << 20, 'x');
  EXPECT_THROW(ops::set<keyspace::StringCodec>(client, kUserName, "k", big),
               keyspace::ConnectionError);
  EXPECT_THROW(client.ping(), keyspace::ConnectionError);
}

}  // namespace
}  // namespace runtime_test
