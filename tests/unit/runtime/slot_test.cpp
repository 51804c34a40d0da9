// Key slots as Redis Cluster computes them (the examples of the cluster specification and of
// CLUSTER KEYSLOT's documentation), and the key each command is routed by.
#include "slot.hpp"

#include <gtest/gtest.h>

namespace keyspace::detail {
namespace {

TEST(KeySlot, MatchesTheClusterSpecification) {
  EXPECT_EQ(key_slot("123456789"), 12739);  // CRC16/XMODEM check value 0x31C3
  EXPECT_EQ(key_slot("foo"), 12182);
  EXPECT_EQ(key_slot("bar"), 5061);
  EXPECT_EQ(key_slot("somekey"), 11058);
  EXPECT_EQ(key_slot(""), 0);
}

TEST(KeySlot, HashTagDecidesTheSlot) {
  EXPECT_EQ(key_slot("{user1000}.following"), key_slot("{user1000}.followers"));
  EXPECT_EQ(key_slot("{user1000}.following"), key_slot("user1000"));
  EXPECT_EQ(key_slot("foo{}{bar}"), key_slot("foo{}{bar}"));
  EXPECT_NE(key_slot("foo{}{bar}"), key_slot("bar"));  // an empty tag: the whole key counts
  EXPECT_EQ(key_slot("foo{{bar}}zap"), key_slot("{bar"));  // the tag ends at the first '}'
  EXPECT_EQ(key_slot("foo{bar}{zap}"), key_slot("bar"));   // only the first tag counts
  EXPECT_EQ(key_slot("no}tag{"), key_slot("no}tag{"));
  EXPECT_NE(key_slot("a{b"), key_slot("b"));  // no closing brace: the whole key
}

TEST(RoutingKey, IsTheFirstKeyOfTheCommand) {
  EXPECT_EQ(routing_key({"GET", "k"}), "k");
  EXPECT_EQ(routing_key({"EVALSHA", "sha", "2", "k1", "k2", "arg"}), "k1");
  EXPECT_EQ(routing_key({"eval", "return 1", "0"}), std::nullopt);
  EXPECT_EQ(routing_key({"XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">"}), "s");
  EXPECT_EQ(routing_key({"XINFO", "STREAM", "s"}), "s");
  EXPECT_EQ(routing_key({"PING"}), std::nullopt);
  EXPECT_EQ(routing_key({"SCRIPT", "LOAD", "return 1"}), std::nullopt);
  EXPECT_EQ(routing_key({"SCAN", "0", "MATCH", "x*"}), std::nullopt);
}

}  // namespace
}  // namespace keyspace::detail
