// Structured values through nlohmann::json: a hand-written struct with the to_json/from_json
// pair generated code provides, stored as JSON or MessagePack, with Timestamp and Bytes fields.

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "keyspace/codec/json_codec.hpp"

namespace sample {

enum class Role { admin, member };
NLOHMANN_JSON_SERIALIZE_ENUM(Role, {{Role::admin, "admin"}, {Role::member, "member"}})

struct Profile {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> email;
  std::vector<Role> roles;
  keyspace::Timestamp updated_at;
  keyspace::Bytes avatar;

  friend bool operator==(const Profile& a, const Profile& b) {
    return a.id == b.id && a.name == b.name && a.email == b.email && a.roles == b.roles &&
           a.updated_at == b.updated_at && a.avatar == b.avatar;
  }
};

void to_json(nlohmann::json& j, const Profile& p) {
  j = nlohmann::json{{"id", p.id},
                     {"name", p.name},
                     {"roles", p.roles},
                     {"updated_at", p.updated_at},
                     {"avatar", p.avatar}};
  if (p.email) j["email"] = *p.email;
}

void from_json(const nlohmann::json& j, Profile& p) {
  j.at("id").get_to(p.id);
  j.at("name").get_to(p.name);
  j.at("roles").get_to(p.roles);
  j.at("updated_at").get_to(p.updated_at);
  j.at("avatar").get_to(p.avatar);
  p.email = j.contains("email") ? std::optional<std::string>(j.at("email").get<std::string>())
                                : std::nullopt;
}

}  // namespace sample

namespace {

using namespace std::chrono_literals;

constexpr keyspace::KeySpec kSpec{"cache.user_profile", "cache:user:{user_id}:profile", 1h};

sample::Profile alice() {
  sample::Profile p;
  p.id = 42;
  p.name = "Alice \"the admin\" Zoë";
  p.email = "alice@example.com";
  p.roles = {sample::Role::admin, sample::Role::member};
  p.updated_at = keyspace::Timestamp(std::chrono::milliseconds(1717243200123));
  p.avatar = keyspace::Bytes{std::string("\x89PNG\r\n\x1a\n\0\xff", 10)};
  return p;
}

template <class Codec>
void expect_decode_error(const std::string& stored) {
  try {
    Codec::decode(stored, kSpec);
    ADD_FAILURE() << "decoded: " << stored;
  } catch (const keyspace::DecodeError& e) {
    EXPECT_EQ(e.key_template(), kSpec.key_template);
    EXPECT_NE(std::string(e.what()).find("cache:user:{user_id}:profile"), std::string::npos)
        << e.what();
  }
}

TEST(JsonCodec, StructRoundTrips) {
  using Codec = keyspace::JsonCodec<sample::Profile>;
  EXPECT_EQ(Codec::decode(Codec::encode(alice()), kSpec), alice());
  sample::Profile without_email = alice();
  without_email.email.reset();
  EXPECT_EQ(Codec::decode(Codec::encode(without_email), kSpec), without_email);
}

TEST(JsonCodec, StoresTimestampAsMillisecondsAndBytesAsBase64) {
  const nlohmann::json stored =
      nlohmann::json::parse(keyspace::JsonCodec<sample::Profile>::encode(alice()));
  EXPECT_EQ(stored.at("updated_at"), 1717243200123);
  EXPECT_EQ(stored.at("avatar"), keyspace::base64_encode(alice().avatar.data));
  EXPECT_EQ(stored.at("roles"), nlohmann::json::array({"admin", "member"}));
}

TEST(JsonCodec, ListsAndMapsOfScalarsRoundTrip) {
  using ListCodec = keyspace::JsonCodec<std::vector<std::int64_t>>;
  using MapCodec = keyspace::JsonCodec<std::map<std::string, double>>;
  const std::vector<std::int64_t> list{1, -2, 3};
  const std::map<std::string, double> map{{"a", 0.5}, {"b:c", -1.25}};
  EXPECT_EQ(ListCodec::decode(ListCodec::encode(list), kSpec), list);
  EXPECT_EQ(MapCodec::decode(MapCodec::encode(map), kSpec), map);
}

TEST(JsonCodec, MalformedOrMismatchedDocumentsAreDecodeErrorsNamingTheTemplate) {
  using Codec = keyspace::JsonCodec<sample::Profile>;
  expect_decode_error<Codec>("");
  expect_decode_error<Codec>("not json");
  expect_decode_error<Codec>("{\"id\": 1");
  expect_decode_error<Codec>("[1, 2]");
  expect_decode_error<Codec>(
      R"({"id": "x", "name": "a", "roles": [], "updated_at": 1, "avatar": ""})");
  expect_decode_error<Codec>(R"({"id": 1, "name": "a", "roles": [], "updated_at": 1})");
  expect_decode_error<Codec>(
      R"({"id": 1, "name": "a", "roles": [], "updated_at": 1, "avatar": "!!"})");
  expect_decode_error<Codec>(
      R"({"id": 1, "name": "a", "roles": [], "updated_at": "x", "avatar": ""})");
}

// Another writer's numbers read only into integer fields that can hold them: nlohmann alone would
// cast (2.5 read as 2, -1 as 2^64 - 1, 1e300 undefined behaviour).
TEST(JsonCodec, IntegersReadOnlyFromIntegersTheirTypeCanHold) {
  using Signed = keyspace::JsonCodec<std::vector<std::int64_t>>;
  using Unsigned = keyspace::JsonCodec<std::map<std::string, std::uint64_t>>;
  using Times = keyspace::JsonCodec<std::vector<keyspace::Timestamp>>;
  for (const char* bad : {"[2.5]", "[1e300]", "[2.0]", "[9223372036854775808]", "[true]", "[\"1\"]", "{}"}) {
    expect_decode_error<Signed>(bad);
  }
  for (const char* bad : {R"({"a": -1})", R"({"a": 1.5})", R"({"a": 1e300})", "[]"}) {
    expect_decode_error<Unsigned>(bad);
  }
  expect_decode_error<Times>("[1e300]");
  EXPECT_EQ(Signed::decode("[-9223372036854775808, 9223372036854775807]", kSpec),
            (std::vector<std::int64_t>{std::numeric_limits<std::int64_t>::min(),
                                       std::numeric_limits<std::int64_t>::max()}));
  EXPECT_EQ(Unsigned::decode(R"({"a": 18446744073709551615})", kSpec).at("a"),
            std::numeric_limits<std::uint64_t>::max());
}

TEST(MsgpackCodec, IntegersReadOnlyFromIntegersTheirTypeCanHold) {
  using Signed = keyspace::MsgpackCodec<std::vector<std::int64_t>>;
  using Unsigned = keyspace::MsgpackCodec<std::vector<std::uint64_t>>;
  std::string stored;
  nlohmann::json::to_msgpack(nlohmann::json::array({7.05e20}), stored);
  expect_decode_error<Signed>(stored);
  stored.clear();
  nlohmann::json::to_msgpack(nlohmann::json::array({std::numeric_limits<std::uint64_t>::max()}), stored);
  expect_decode_error<Signed>(stored);
  stored.clear();
  nlohmann::json::to_msgpack(nlohmann::json::array({-1}), stored);
  expect_decode_error<Unsigned>(stored);
  stored.clear();
  nlohmann::json::to_msgpack(nlohmann::json::array({-1, 1}), stored);
  EXPECT_EQ(Signed::decode(stored, kSpec), (std::vector<std::int64_t>{-1, 1}));
}

TEST(JsonCodec, OptionalsListsOfBoolsAndNestedListsRead) {
  using Codec = keyspace::JsonCodec<std::vector<std::optional<std::vector<bool>>>>;
  const std::vector<std::optional<std::vector<bool>>> value{std::vector<bool>{true, false}, std::nullopt};
  EXPECT_EQ(Codec::decode(R"([[true, false], null])", kSpec), value);
  expect_decode_error<Codec>("[[1]]");
}

TEST(MsgpackCodec, StructRoundTrips) {
  using Codec = keyspace::MsgpackCodec<sample::Profile>;
  const std::string stored = Codec::encode(alice());
  EXPECT_EQ(Codec::decode(stored, kSpec), alice());
  EXPECT_EQ(nlohmann::json::from_msgpack(stored), nlohmann::json(alice()));
}

TEST(MsgpackCodec, MalformedDocumentsAreDecodeErrorsNamingTheTemplate) {
  using Codec = keyspace::MsgpackCodec<sample::Profile>;
  expect_decode_error<Codec>("");
  expect_decode_error<Codec>(std::string("\xc1", 1));  // a byte MessagePack never uses
  std::string truncated = Codec::encode(alice());
  truncated.resize(truncated.size() / 2);
  expect_decode_error<Codec>(truncated);
  expect_decode_error<Codec>(keyspace::JsonCodec<sample::Profile>::encode(alice()));
}

}  // namespace
