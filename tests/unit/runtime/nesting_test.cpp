// Stored values nested too deep are refused before a recursive decoder sees them, at the same
// 256 levels for MessagePack and JSON, with a DecodeError naming the key template.

#include <chrono>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "keyspace/codec/json_codec.hpp"
#include "keyspace/codec/nesting.hpp"
#include "keyspace/errors.hpp"

namespace {

using namespace std::chrono_literals;

constexpr keyspace::KeySpec kSpec{"cache.doc", "cache:doc:{id}", 1min};

std::string msgpack_arrays(int depth) { return std::string(static_cast<std::size_t>(depth), '\x91') + '\xc0'; }
std::string json_arrays(int depth) {
  return std::string(static_cast<std::size_t>(depth), '[') + std::string(static_cast<std::size_t>(depth), ']');
}

TEST(Nesting, MessagePackOf256LevelsIsAcceptedAnd257Refused) {
  EXPECT_NO_THROW(keyspace::check_msgpack_nesting(msgpack_arrays(256), kSpec));
  EXPECT_THROW(keyspace::check_msgpack_nesting(msgpack_arrays(257), kSpec), keyspace::DecodeError);
}

TEST(Nesting, MessagePackMapsAndWideContainersCountByDepthNotSize) {
  std::string maps;
  for (int i = 0; i < 300; ++i) maps += "\x81\xa1k";  // {"k": {"k": ...}}
  maps += '\xc0';
  EXPECT_THROW(keyspace::check_msgpack_nesting(maps, kSpec), keyspace::DecodeError);
  std::string wide = "\xdc\x27\x10";  // array16 of 10,000 arrays of one nil
  for (int i = 0; i < 10'000; ++i) wide += "\x91\xc0";
  EXPECT_NO_THROW(keyspace::check_msgpack_nesting(wide, kSpec));
}

TEST(Nesting, MessagePackThatEndsEarlyIsLeftToTheDecoder) {
  EXPECT_NO_THROW(keyspace::check_msgpack_nesting("\xdd\xff\xff", kSpec));
  EXPECT_NO_THROW(keyspace::check_msgpack_nesting("\xdb\xff\xff\xff\xff", kSpec));
  EXPECT_THROW(keyspace::MsgpackCodec<nlohmann::json>::decode("\xdd\xff\xff", kSpec), keyspace::DecodeError);
}

TEST(Nesting, JsonOf256LevelsIsAcceptedAnd257RefusedBracketsInStringsNotCounted) {
  EXPECT_NO_THROW(keyspace::check_json_nesting(json_arrays(256), kSpec));
  EXPECT_THROW(keyspace::check_json_nesting(json_arrays(257), kSpec), keyspace::DecodeError);
  EXPECT_NO_THROW(keyspace::check_json_nesting("[\"" + std::string(1000, '[') + "\\\"\"]", kSpec));
}

TEST(Nesting, DeepValuesThroughTheCodecsNameTheTemplate) {
  for (const auto& decode : {+[] { (void)keyspace::MsgpackCodec<nlohmann::json>::decode(msgpack_arrays(200'000), kSpec); },
                             +[] { (void)keyspace::JsonCodec<nlohmann::json>::decode(json_arrays(200'000), kSpec); }}) {
    try {
      decode();
      ADD_FAILURE() << "decoded";
    } catch (const keyspace::DecodeError& e) {
      EXPECT_NE(std::string(e.what()).find("cache:doc:{id}"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
