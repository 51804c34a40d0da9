// The value types of the schema language through the JSON codec of declared types, with a
// struct written the way the generator writes them (templates/cpp/keyspace.cpp.mustache): the
// bytes are nlohmann::json's, and reading is at least as strict as nlohmann::json's from_json.

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
#include "keyspace/codec/json_values.hpp"

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
void write_value(keyspace::json::Writer& out, const Role& value) { out.string(value == Role::admin ? "admin" : "member"); }

void read_value(keyspace::json::Reader& in, Role& value) {
  const std::string_view text = in.string();
  if (text == "admin") value = Role::admin;
  else if (text == "member") value = Role::member;
  else in.fail("a string that is not a value of enum Role");
}

void write_value(keyspace::json::Writer& out, const Member& value) {
  out.begin_object();
  keyspace::json::write_field(out, "avatar", value.avatar);
  keyspace::json::write_field(out, "by_team", value.by_team);
  keyspace::json::write_field(out, "flags", value.flags);
  keyspace::json::write_field(out, "grid", value.grid);
  keyspace::json::write_field(out, "joined", value.joined);
  keyspace::json::write_field(out, "name", value.name);
  keyspace::json::write_field(out, "role", value.role);
  keyspace::json::write_field(out, "score", value.score);
  keyspace::json::write_field(out, "visits", value.visits);
  out.end_object();
}

void read_value(keyspace::json::Reader& in, Member& value) {
  bool seen[9] = {};
  in.begin_object();
  for (std::string_view name; in.next_key(name);) {
    if (name == "avatar") { keyspace::json::read_field(in, "avatar", seen[0], value.avatar); continue; }
    if (name == "by_team") { keyspace::json::read_field(in, "by_team", seen[1], value.by_team); continue; }
    if (name == "flags") { keyspace::json::read_field(in, "flags", seen[2], value.flags); continue; }
    if (name == "grid") { keyspace::json::read_field(in, "grid", seen[3], value.grid); continue; }
    if (name == "joined") { keyspace::json::read_field(in, "joined", seen[4], value.joined); continue; }
    if (name == "name") { keyspace::json::read_field(in, "name", seen[5], value.name); continue; }
    if (name == "role") { keyspace::json::read_field(in, "role", seen[6], value.role); continue; }
    if (name == "score") { keyspace::json::read_field(in, "score", seen[7], value.score); continue; }
    if (name == "visits") { keyspace::json::read_field(in, "visits", seen[8], value.visits); continue; }
    in.skip();
  }
  keyspace::json::require_field(in, "avatar", seen[0]);
  keyspace::json::require_field(in, "by_team", seen[1]);
  keyspace::json::require_field(in, "flags", seen[2]);
  keyspace::json::require_field(in, "grid", seen[3]);
  keyspace::json::require_field(in, "joined", seen[4]);
  keyspace::json::require_field(in, "name", seen[5]);
  keyspace::json::require_field(in, "score", seen[7]);
  keyspace::json::require_field(in, "visits", seen[8]);
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

sample::Member decoded(const std::string& text) {
  sample::Member out;
  keyspace::json::decode(text, kSpec, out);
  return out;
}

void expect_decode_error(const std::string& text, const std::string& detail) {
  try {
    decoded(text);
    ADD_FAILURE() << "decoded: " << text;
  } catch (const keyspace::DecodeError& e) {
    const std::string message = e.what();
    EXPECT_EQ(e.key_template(), kSpec.key_template);
    EXPECT_NE(message.find("team:{team}:member:{id}"), std::string::npos) << message;
    EXPECT_NE(message.find(detail), std::string::npos) << "wanted '" << detail << "' in: " << message;
  }
}

TEST(JsonValues, WriteTheBytesNlohmannJsonWrote) {
  sample::Member m = ada();
  EXPECT_EQ(keyspace::json::encode(m), nlohmann::json(m).dump());
  m.role.reset();
  m.score = 1e21;
  EXPECT_EQ(keyspace::json::encode(m), nlohmann::json(m).dump());
  EXPECT_EQ(keyspace::json::encode(sample::Member{}), nlohmann::json(sample::Member{}).dump());
}

TEST(JsonValues, RoundTrip) {
  EXPECT_EQ(decoded(keyspace::json::encode(ada())), ada());
  sample::Member without_role = ada();
  without_role.role.reset();
  EXPECT_EQ(decoded(keyspace::json::encode(without_role)), without_role);
}

TEST(JsonValues, ReadMembersInAnyOrderWithWhitespaceAndUnknownMembers) {
  const std::string text = R"( { "visits" : 1, "score": 2, "newer": {"x": [1, {"y": null}]}, "name": "n",
    "joined": 5, "grid": [[1]], "flags": [], "by_team": {}, "avatar": "", "role": null } )";
  sample::Member m = decoded(text);
  EXPECT_EQ(m.visits, 1u);
  EXPECT_EQ(m.score, 2.0);
  EXPECT_EQ(m.name, "n");
  EXPECT_EQ(m.role, std::nullopt);  // null: an optional member that is absent
  EXPECT_EQ(m.grid, (std::vector<std::vector<std::int64_t>>{{1}}));
}

TEST(JsonValues, DecodingIntoAValueReplacesItOnlyOnSuccess) {
  sample::Member target = ada();
  keyspace::json::decode(R"({"avatar":"","by_team":{},"flags":[],"grid":[],"joined":0,"name":"","score":0,"visits":0})",
                         kSpec, target);
  EXPECT_EQ(target, sample::Member{});
  target = ada();
  EXPECT_THROW(keyspace::json::decode("{", kSpec, target), keyspace::DecodeError);
  EXPECT_EQ(target, ada());
}

TEST(JsonValues, RefuseWhatFromJsonRefusedAndMore) {
  const nlohmann::json valid = ada();
  const auto with = [&](const char* member, const nlohmann::json& value) {
    nlohmann::json changed = valid;
    changed[member] = value;
    return changed.dump();
  };
  const auto without = [&](const char* member) {
    nlohmann::json changed = valid;
    changed.erase(member);
    return changed.dump();
  };
  expect_decode_error("", "expected an object");
  expect_decode_error("[]", "expected an object");
  expect_decode_error(without("name"), "a missing member 'name'");
  expect_decode_error(without("visits"), "a missing member 'visits'");
  expect_decode_error(with("name", nullptr), "(field 'name')");       // null only for optional members
  expect_decode_error(with("name", 1), "expected a string");
  expect_decode_error(with("score", "1"), "expected a number");
  expect_decode_error(with("visits", -1), "unsigned");
  expect_decode_error(with("joined", 1.5), "expected an integer");  // from_json cast it to 1
  expect_decode_error(with("flags", nlohmann::json::array({1})), "expected true or false");
  expect_decode_error(with("role", "owner"), "not a value of enum Role");
  expect_decode_error(with("avatar", "!!"), "not base64");
  expect_decode_error(with("grid", nlohmann::json::array({1})), "expected an array");
  expect_decode_error(with("by_team", nlohmann::json::array()), "expected an object");
  expect_decode_error(valid.dump() + "x", "unexpected text after the value");
  std::string twice = valid.dump();
  twice.insert(1, R"("name":"other",)");
  expect_decode_error(twice, "appears twice");
  expect_decode_error(R"({"by_team":{"a":[],"a":[]}})", "a map key that appears twice");
}

}  // namespace
