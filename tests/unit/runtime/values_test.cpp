// The value types of the schema language through the codecs of structured values, JSON and
// MessagePack, with a struct written the way the generator writes them
// (templates/cpp/keyspace.cpp.mustache): the bytes are nlohmann::json's (dump() and to_msgpack()),
// and reading is at least as strict as nlohmann::json's from_json.

#include <chrono>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "keyspace/codec/json_codec.hpp"
#include "keyspace/codec/json_reader.hpp"
#include "keyspace/codec/json_writer.hpp"
#include "keyspace/codec/msgpack_reader.hpp"
#include "keyspace/codec/msgpack_writer.hpp"
#include "keyspace/codec/values.hpp"

namespace sample {

enum class Role { admin, member };

struct Member {
  std::string name;
  std::optional<Role> role;
  std::vector<std::vector<std::int64_t>> grid;
  std::map<std::string, std::vector<Role>> by_team;
  std::vector<bool> flags;
  keyspace::Timestamp joined;
  keyspace::Bytes avatar;
  std::uint64_t visits = 0;
  double score = 0;

  friend bool operator==(const Member& a, const Member& b) {
    return a.name == b.name && a.role == b.role && a.grid == b.grid && a.by_team == b.by_team &&
           a.flags == b.flags && a.joined == b.joined && a.avatar == b.avatar && a.visits == b.visits &&
           a.score == b.score;
  }
};

NLOHMANN_JSON_SERIALIZE_ENUM(Role, {{Role::admin, "admin"}, {Role::member, "member"}})

// What nlohmann::json wrote before: the reference for the bytes.
void to_json(nlohmann::json& j, const Member& m) {
  j = nlohmann::json{{"name", m.name},   {"grid", m.grid},     {"by_team", m.by_team}, {"flags", m.flags},
                     {"joined", m.joined}, {"avatar", m.avatar}, {"visits", m.visits},   {"score", m.score}};
  if (m.role) j["role"] = *m.role;
}

// As generated: enums by name, members in name order, any order accepted when reading.
template <class Out>
void write_value(Out& out, const Role& value) { out.string(value == Role::admin ? "admin" : "member"); }

template <class In>
void read_value(In& in, Role& value) {
  const std::string_view text = in.string();
  if (text == "admin") value = Role::admin;
  else if (text == "member") value = Role::member;
  else in.fail("a string that is not a value of enum Role");
}

template <class Out>
void write_value(Out& out, const Member& value) {
  out.begin_object(std::size_t{8} + value.role.has_value());
  keyspace::codec::write_field(out, "avatar", value.avatar);
  keyspace::codec::write_field(out, "by_team", value.by_team);
  keyspace::codec::write_field(out, "flags", value.flags);
  keyspace::codec::write_field(out, "grid", value.grid);
  keyspace::codec::write_field(out, "joined", value.joined);
  keyspace::codec::write_field(out, "name", value.name);
  keyspace::codec::write_field(out, "role", value.role);
  keyspace::codec::write_field(out, "score", value.score);
  keyspace::codec::write_field(out, "visits", value.visits);
  out.end_object();
}

template <class In>
void read_value(In& in, Member& value) {
  bool seen[9] = {};
  in.begin_object();
  for (std::string_view name; in.next_key(name);) {
    if (name == "avatar") { keyspace::codec::read_field(in, "avatar", seen[0], value.avatar); continue; }
    if (name == "by_team") { keyspace::codec::read_field(in, "by_team", seen[1], value.by_team); continue; }
    if (name == "flags") { keyspace::codec::read_field(in, "flags", seen[2], value.flags); continue; }
    if (name == "grid") { keyspace::codec::read_field(in, "grid", seen[3], value.grid); continue; }
    if (name == "joined") { keyspace::codec::read_field(in, "joined", seen[4], value.joined); continue; }
    if (name == "name") { keyspace::codec::read_field(in, "name", seen[5], value.name); continue; }
    if (name == "role") { keyspace::codec::read_field(in, "role", seen[6], value.role); continue; }
    if (name == "score") { keyspace::codec::read_field(in, "score", seen[7], value.score); continue; }
    if (name == "visits") { keyspace::codec::read_field(in, "visits", seen[8], value.visits); continue; }
    in.skip();
  }
  keyspace::codec::require_field(in, "avatar", seen[0]);
  keyspace::codec::require_field(in, "by_team", seen[1]);
  keyspace::codec::require_field(in, "flags", seen[2]);
  keyspace::codec::require_field(in, "grid", seen[3]);
  keyspace::codec::require_field(in, "joined", seen[4]);
  keyspace::codec::require_field(in, "name", seen[5]);
  keyspace::codec::require_field(in, "score", seen[7]);
  keyspace::codec::require_field(in, "visits", seen[8]);
}

}  // namespace sample

namespace {

using namespace std::chrono_literals;

constexpr keyspace::KeySpec kSpec{"team.member", "team:{team}:member:{id}", 1h};

sample::Member ada() {
  sample::Member m;
  m.name = "Ada \"the first\" Lovelace\n";
  m.role = sample::Role::admin;
  m.grid = {{1, -2}, {}, {std::numeric_limits<std::int64_t>::min()}};
  m.by_team = {{"b", {sample::Role::member}}, {"a", {}}, {"é", {sample::Role::admin, sample::Role::member}}};
  m.flags = {true, false, true};
  m.joined = keyspace::Timestamp(std::chrono::milliseconds(-1717243200123));
  m.avatar = keyspace::Bytes{std::string("\x89PNG\r\n\x1a\n\0\xff", 10)};
  m.visits = std::numeric_limits<std::uint64_t>::max();
  m.score = 0.1;
  return m;
}

// The two encodings, each with how nlohmann::json writes a document in it.
struct Json {
  using Writer = keyspace::json::Writer;
  using Reader = keyspace::json::Reader;
  static std::string of(const nlohmann::json& j) { return j.dump(); }
};

struct Msgpack {
  using Writer = keyspace::msgpack::Writer;
  using Reader = keyspace::msgpack::Reader;
  static std::string of(const nlohmann::json& j) {
    std::string out;
    nlohmann::json::to_msgpack(j, out);
    return out;
  }
};

template <class Encoding>
std::string encoded(const sample::Member& m) {
  return keyspace::codec::encode<typename Encoding::Writer>(m);
}

template <class Encoding>
sample::Member decoded(const std::string& bytes) {
  sample::Member out;
  keyspace::codec::decode<typename Encoding::Reader>(bytes, kSpec, out);
  return out;
}

template <class Encoding>
void expect_decode_error(const std::string& bytes, const std::string& detail) {
  try {
    decoded<Encoding>(bytes);
    ADD_FAILURE() << "decoded: " << bytes;
  } catch (const keyspace::DecodeError& e) {
    const std::string message = e.what();
    EXPECT_EQ(e.key_template(), kSpec.key_template);
    EXPECT_NE(message.find("team:{team}:member:{id}"), std::string::npos) << message;
    EXPECT_NE(message.find(detail), std::string::npos) << "wanted '" << detail << "' in: " << message;
  }
}

template <class Encoding>
class Values : public ::testing::Test {};
using Encodings = ::testing::Types<Json, Msgpack>;
class EncodingNames {
 public:
  template <class T>
  static std::string GetName(int) {
    return std::is_same_v<T, Json> ? "Json" : "Msgpack";
  }
};
TYPED_TEST_SUITE(Values, Encodings, EncodingNames);

TYPED_TEST(Values, WriteTheBytesNlohmannJsonWrote) {
  sample::Member m = ada();
  EXPECT_EQ(encoded<TypeParam>(m), TypeParam::of(m));
  m.role.reset();
  m.score = 1e21;
  EXPECT_EQ(encoded<TypeParam>(m), TypeParam::of(m));
  m.score = 0.5;  // a float 32 in MessagePack
  m.grid = {{127, 128, 255, 256, 65535, 65536, 4294967295, 4294967296, -32, -33, -128, -129, -32768, -32769,
             -2147483648LL, -2147483649LL}};
  EXPECT_EQ(encoded<TypeParam>(m), TypeParam::of(m));
  EXPECT_EQ(encoded<TypeParam>(sample::Member{}), TypeParam::of(sample::Member{}));
}

TYPED_TEST(Values, RoundTrip) {
  EXPECT_EQ(decoded<TypeParam>(encoded<TypeParam>(ada())), ada());
  sample::Member without_role = ada();
  without_role.role.reset();
  EXPECT_EQ(decoded<TypeParam>(encoded<TypeParam>(without_role)), without_role);
}

TYPED_TEST(Values, ReadMembersInAnyOrderAndSkipUnknownMembers) {
  nlohmann::json stored = ada();
  stored["newer"] = nlohmann::json::parse(R"({"x": [1, {"y": null}, 2.5, "z", true]})");
  stored["role"] = nullptr;  // null: an optional member that is absent
  sample::Member m = decoded<TypeParam>(TypeParam::of(stored));
  sample::Member expected = ada();
  expected.role.reset();
  EXPECT_EQ(m, expected);
}

TYPED_TEST(Values, DecodingIntoAValueReplacesItOnlyOnSuccess) {
  sample::Member target = ada();
  keyspace::codec::decode<typename TypeParam::Reader>(TypeParam::of(sample::Member{}), kSpec, target);
  EXPECT_EQ(target, sample::Member{});
  target = ada();
  EXPECT_THROW(keyspace::codec::decode<typename TypeParam::Reader>(TypeParam::of(nlohmann::json::object()), kSpec, target),
               keyspace::DecodeError);
  EXPECT_EQ(target, ada());
}

TYPED_TEST(Values, RefuseWhatFromJsonRefusedAndMore) {
  const nlohmann::json valid = ada();
  const auto with = [&](const char* member, const nlohmann::json& value) {
    nlohmann::json changed = valid;
    changed[member] = value;
    return TypeParam::of(changed);
  };
  const auto without = [&](const char* member) {
    nlohmann::json changed = valid;
    changed.erase(member);
    return TypeParam::of(changed);
  };
  expect_decode_error<TypeParam>("", "expected an object");
  expect_decode_error<TypeParam>(TypeParam::of(nlohmann::json::array()), "expected an object");
  expect_decode_error<TypeParam>(without("name"), "a missing member 'name'");
  expect_decode_error<TypeParam>(without("visits"), "a missing member 'visits'");
  expect_decode_error<TypeParam>(with("name", nullptr), "(field 'name')");  // null only for optional members
  expect_decode_error<TypeParam>(with("name", 1), "expected a string");
  expect_decode_error<TypeParam>(with("score", "1"), "expected a number");
  expect_decode_error<TypeParam>(with("visits", -1), "unsigned");
  expect_decode_error<TypeParam>(with("joined", 1.5), "expected an integer");  // from_json cast it to 1
  expect_decode_error<TypeParam>(with("joined", 9223372036854775808ULL), "out of the int64 range");
  expect_decode_error<TypeParam>(with("flags", nlohmann::json::array({1})), "expected true or false");
  expect_decode_error<TypeParam>(with("role", "owner"), "not a value of enum Role");
  expect_decode_error<TypeParam>(with("avatar", "!!"), "not base64");
  expect_decode_error<TypeParam>(with("grid", nlohmann::json::array({1})), "expected an array");
  expect_decode_error<TypeParam>(with("by_team", nlohmann::json::array()), "expected an object");
  expect_decode_error<TypeParam>(TypeParam::of(valid) + TypeParam::of(valid), "after the value");
}

TEST(JsonValues, RefuseMembersAndKeysThatAppearTwice) {
  std::string twice = nlohmann::json(ada()).dump();
  twice.insert(1, R"("name":"other",)");
  expect_decode_error<Json>(twice, "appears twice");
  expect_decode_error<Json>(R"({"by_team":{"a":[],"a":[]}})", "a map key that appears twice");
}

TEST(MsgpackValues, RefuseMembersAndKeysThatAppearTwice) {
  keyspace::msgpack::Writer twice;
  twice.begin_object(2);
  twice.key("name");
  twice.string("a");
  twice.key("name");
  twice.string("b");
  twice.end_object();
  expect_decode_error<Msgpack>(twice.text(), "a member that appears twice");
  keyspace::msgpack::Writer keys;
  keys.begin_object(1);
  keys.key("by_team");
  keys.begin_object(2);
  for (int i = 0; i < 2; ++i) {
    keys.key("a");
    keys.begin_array(0);
    keys.end_array();
  }
  keys.end_object();
  keys.end_object();
  expect_decode_error<Msgpack>(keys.text(), "a map key that appears twice");
}

}  // namespace
