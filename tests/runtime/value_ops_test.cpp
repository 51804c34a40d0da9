// The value kind against a real Redis: get / set / set_if_absent / del / exists / ttl, the TTL
// every write leaves behind, and what happens when Redis holds something else.

#include <string>

#include <gtest/gtest.h>

#include "keyspace/codec/json_codec.hpp"
#include "specs.hpp"

namespace runtime_test {
namespace {

using keyspace::test::redis_cli;
namespace ops = keyspace::ops;

struct Order {
  std::int64_t id = 0;
  std::string item;
  keyspace::Bytes receipt;
  friend bool operator==(const Order& a, const Order& b) {
    return a.id == b.id && a.item == b.item && a.receipt == b.receipt;
  }
};

void to_json(nlohmann::json& j, const Order& o) {
  j = nlohmann::json{{"id", o.id}, {"item", o.item}, {"receipt", o.receipt}};
}

void from_json(const nlohmann::json& j, Order& o) {
  j.at("id").get_to(o.id);
  j.at("item").get_to(o.item);
  j.at("receipt").get_to(o.receipt);
}

class ValueOps : public keyspace::test::RedisTest {
 protected:
  keyspace::Client client{options()};
};

TEST_F(ValueOps, SetThenGetReturnsTheValueAndLeavesTheSpecTtl) {
  const std::string key = user_name_key(client, 42);
  ops::set<keyspace::StringCodec>(client, kUserName, key, "Alice");
  EXPECT_EQ(ops::get<keyspace::StringCodec>(client, kUserName, key),
            std::optional<std::string>("Alice"));
  EXPECT_EQ(redis_cli({"GET", key}), "Alice");
  expect_fresh_ttl(key, kUserName);
}

TEST_F(ValueOps, GetOfAMissingKeyIsEmpty) {
  EXPECT_EQ(ops::get<keyspace::StringCodec>(client, kUserName, user_name_key(client, 1)),
            std::nullopt);
}

TEST_F(ValueOps, SetOverwritesAndRestoresTheFullTtl) {
  const std::string key = user_name_key(client, 42);
  ops::set<keyspace::StringCodec>(client, kUserName, key, "old");
  ASSERT_EQ(redis_cli({"PEXPIRE", key, "5000"}), "1");
  ops::set<keyspace::StringCodec>(client, kUserName, key, "new");
  EXPECT_EQ(redis_cli({"GET", key}), "new");
  expect_fresh_ttl(key, kUserName);
}

TEST_F(ValueOps, SetIfAbsentWritesOnlyTheFirstTimeAndSetsTheTtl) {
  const std::string key = user_name_key(client, 7);
  EXPECT_TRUE(ops::set_if_absent<keyspace::StringCodec>(client, kUserName, key, "first"));
  expect_fresh_ttl(key, kUserName);
  EXPECT_FALSE(ops::set_if_absent<keyspace::StringCodec>(client, kUserName, key, "second"));
  EXPECT_EQ(redis_cli({"GET", key}), "first");
}

TEST_F(ValueOps, DelReportsWhetherAKeyWasRemoved) {
  const std::string key = user_name_key(client, 3);
  EXPECT_FALSE(ops::del(client, kUserName, key));
  ops::set<keyspace::StringCodec>(client, kUserName, key, "x");
  EXPECT_TRUE(ops::del(client, kUserName, key));
  EXPECT_EQ(redis_cli({"EXISTS", key}), "0");
}

TEST_F(ValueOps, ExistsFollowsTheKey) {
  const std::string key = user_name_key(client, 5);
  EXPECT_FALSE(ops::exists(client, kUserName, key));
  ops::set<keyspace::StringCodec>(client, kUserName, key, "x");
  EXPECT_TRUE(ops::exists(client, kUserName, key));
}

TEST_F(ValueOps, TtlReportsRemainingTimeAndNothingForMissingOrPersistentKeys) {
  const std::string key = user_name_key(client, 9);
  EXPECT_EQ(ops::ttl(client, kUserName, key), std::nullopt);
  ops::set<keyspace::StringCodec>(client, kUserName, key, "x");
  const auto remaining = ops::ttl(client, kUserName, key);
  ASSERT_TRUE(remaining.has_value());
  EXPECT_GT(*remaining, kUserName.ttl - 5s);
  EXPECT_LE(*remaining, kUserName.ttl);
  const std::string persistent = total_orders_key(client);
  ops::set<keyspace::Int64Codec>(client, kTotalOrders, persistent, 1);
  EXPECT_EQ(ops::ttl(client, kTotalOrders, persistent), std::nullopt);
}

TEST_F(ValueOps, PersistentSpecWritesNoTtl) {
  const std::string key = total_orders_key(client);
  ops::set<keyspace::Int64Codec>(client, kTotalOrders, key, 12);
  EXPECT_EQ(redis_cli({"PTTL", key}), "-1");
  EXPECT_TRUE(ops::set_if_absent<keyspace::Int64Codec>(client, kTotalOrders, key + "x", 1));
  EXPECT_EQ(redis_cli({"PTTL", key + "x"}), "-1");
}

TEST_F(ValueOps, StructuredValuesRoundTripAsJsonAndMessagePack) {
  const Order order{17, "book", keyspace::Bytes{std::string("\0\x01\xff", 3)}};
  const std::string key = user_name_key(client, 17);
  ops::set<keyspace::JsonCodec<Order>>(client, kUserName, key, order);
  EXPECT_EQ(nlohmann::json::parse(redis_cli({"GET", key})).at("item"), "book");
  EXPECT_EQ(ops::get<keyspace::JsonCodec<Order>>(client, kUserName, key), order);
  ops::set<keyspace::MsgpackCodec<Order>>(client, kUserName, key, order);
  EXPECT_EQ(ops::get<keyspace::MsgpackCodec<Order>>(client, kUserName, key), order);
  expect_fresh_ttl(key, kUserName);
}

TEST_F(ValueOps, BinaryValuesRoundTripByteForByte) {
  std::string all_bytes;
  for (int b = 0; b < 256; ++b) all_bytes.push_back(static_cast<char>(b));
  const std::string key = user_name_key(client, 256);
  ops::set<keyspace::BytesCodec>(client, kUserName, key, keyspace::Bytes{all_bytes});
  EXPECT_EQ(ops::get<keyspace::BytesCodec>(client, kUserName, key), keyspace::Bytes{all_bytes});
  ops::set<keyspace::StringCodec>(client, kUserName, key, "");
  EXPECT_EQ(ops::get<keyspace::StringCodec>(client, kUserName, key),
            std::optional<std::string>(""));
}

// Commands are written into a buffer the connection reuses and keeps small: a value far larger
// than it keeps goes out whole, and the commands after it on the same connection are unaffected.
TEST_F(ValueOps, LargeValuesGoOutWholeAndLeaveTheConnectionUsable) {
  keyspace::Options one_connection = options();
  one_connection.pool_size = 1;
  keyspace::Client single{one_connection};
  const std::string key = user_name_key(single, 1 << 20);
  std::string large(3 << 20, 'x');
  large[12345] = '\0';
  ops::set<keyspace::StringCodec>(single, kUserName, key, large);
  EXPECT_EQ(ops::get<keyspace::StringCodec>(single, kUserName, key), large);
  ops::set<keyspace::StringCodec>(single, kUserName, key, "small");
  EXPECT_EQ(ops::get<keyspace::StringCodec>(single, kUserName, key), std::optional<std::string>("small"));
  EXPECT_EQ(redis_cli({"STRLEN", key}), "5");
}

TEST_F(ValueOps, CorruptStoredValueIsADecodeErrorNamingTheTemplate) {
  const std::string key = user_name_key(client, 13);
  redis_cli({"SET", key, "{not json"});
  try {
    ops::get<keyspace::JsonCodec<Order>>(client, kUserName, key);
    FAIL() << "a corrupt document decoded";
  } catch (const keyspace::DecodeError& e) {
    EXPECT_EQ(e.key_template(), "cache:user:{user_id}:name");
    EXPECT_TRUE(contains(e.what(), "cache:user:{user_id}:name")) << e.what();
  }
  redis_cli({"SET", key, "12.5"});
  EXPECT_THROW(ops::get<keyspace::Int64Codec>(client, kUserName, key), keyspace::DecodeError);
}

TEST_F(ValueOps, WrongTypeIsACommandErrorNamingTheTemplateAndOperation) {
  const std::string key = user_name_key(client, 21);
  redis_cli({"RPUSH", key, "a"});
  try {
    ops::get_raw(client, kUserName, key);
    FAIL() << "GET on a list succeeded";
  } catch (const keyspace::CommandError& e) {
    EXPECT_EQ(e.key_template(), "cache:user:{user_id}:name");
    EXPECT_TRUE(contains(e.what(), "WRONGTYPE")) << e.what();
    EXPECT_TRUE(contains(e.what(), "get on cache.user_name")) << e.what();
  }
}

}  // namespace
}  // namespace runtime_test
