// The generated code of tests/golden/schemas/all_types.yaml against a real Redis: every value
// type through both codecs, every parameter type, keyword-named schema elements.
#include <chrono>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "all_types/keyspace.hpp"
#include "keyspace_test/shared_redis.hpp"

namespace {

namespace t = tests::all_types;
using keyspace::test::redis_cli;

class AllTypesKeys : public keyspace::test::RedisTest {
 protected:
  keyspace::Client client{options()};
  t::Keyspace keys{client};
};

// The generated codecs (keyspace::SchemaCodecs, declared in the header).
template <class T>
std::string encode_json(const T& value) {
  return keyspace::SchemaCodecs<T>::encode_json(value);
}

template <class T>
void decode_json(std::string_view bytes, const keyspace::KeySpec& spec, T& value) {
  value = keyspace::SchemaCodecs<T>::decode_json(bytes, spec);
}

// A value as nlohmann::json reads it from the generated MessagePack codec, which keeps every type
// and value of the document.
template <class T>
nlohmann::json as_nlohmann(const T& value) {
  return nlohmann::json::from_msgpack(keyspace::SchemaCodecs<T>::encode_msgpack(value));
}

t::Everything everything() {
  t::Everything e;
  e.text = "text with \"quotes\" and ünïcode";
  e.blob = keyspace::Bytes{std::string("\0\x01\xff binary", 10)};
  e.signed_ = std::numeric_limits<std::int64_t>::min();
  e.unsigned_ = std::numeric_limits<std::uint64_t>::max();
  e.ratio = 0.1;
  e.flag = true;
  e.at = keyspace::Timestamp(std::chrono::milliseconds(-1));
  e.status = t::Status::delete_;
  e.maybe = t::Status::new_;
  e.tree = {"root", {{"leaf", {}}}};
  e.nested = {{"a", {t::Status::open}}, {"b", {}}};
  return e;
}

// The generated JSON and MessagePack codecs write the same document, each as nlohmann::json
// writes it (dump(), to_msgpack()), byte for byte, so stored values keep decoding and unchanged
// values are stored as unchanged bytes. (tests/unit/runtime/values_test.cpp pins both against a
// document nlohmann::json builds itself.)
TEST(AllTypesJson, StructsAreWrittenAsNlohmannJsonWroteThem) {
  t::Everything e = everything();
  EXPECT_EQ(encode_json(e), as_nlohmann(e).dump());
  e.maybe.reset();
  e.ratio = -1e-7;
  e.text = std::string("\x01\t\"\\ \xe2\x82\xac", 8);
  EXPECT_EQ(encode_json(e), as_nlohmann(e).dump());
  EXPECT_EQ(encode_json(t::Everything{}), as_nlohmann(t::Everything{}).dump());
  EXPECT_EQ(encode_json(t::Status::delete_), as_nlohmann(t::Status::delete_).dump());
  for (const t::Everything& value : {everything(), e, t::Everything{}}) {
    std::string msgpack;
    nlohmann::json::to_msgpack(nlohmann::json::parse(encode_json(value)), msgpack);
    EXPECT_EQ(keyspace::SchemaCodecs<t::Everything>::encode_msgpack(value), msgpack);
  }
}

TEST(AllTypesJson, ValuesWrittenByNlohmannJsonDecode) {
  constexpr keyspace::KeySpec spec{"values.everything_json", "values:json:{status}", std::chrono::minutes(5)};
  t::Everything decoded;
  decode_json(as_nlohmann(everything()).dump(), spec, decoded);
  EXPECT_EQ(decoded, everything());
  decode_json(as_nlohmann(everything()).dump(2), spec, decoded);  // whitespace anywhere
  EXPECT_EQ(decoded, everything());
}

TEST(AllTypesJson, MistypedNestedMembersAreDecodeErrors) {
  constexpr keyspace::KeySpec spec{"values.everything_json", "values:json:{status}", std::chrono::minutes(5)};
  nlohmann::json stored = as_nlohmann(everything());
  stored["tree"]["children"][0]["name"] = 7;
  t::Everything decoded;
  EXPECT_THROW(decode_json(stored.dump(), spec, decoded), keyspace::DecodeError);
  stored = as_nlohmann(everything());
  stored["nested"]["a"] = nlohmann::json::array({"closed"});
  EXPECT_THROW(decode_json(stored.dump(), spec, decoded), keyspace::DecodeError);
  stored = as_nlohmann(everything());
  stored["tree"].erase("children");
  EXPECT_THROW(decode_json(stored.dump(), spec, decoded), keyspace::DecodeError);
  stored = as_nlohmann(everything());
  stored["empty"] = nlohmann::json::array();
  EXPECT_THROW(decode_json(stored.dump(), spec, decoded), keyspace::DecodeError);
}

// MessagePack written by another writer: a number that an integer field cannot hold is a
// DecodeError, never a cast (2.5 as 2, -1 as 2^64 - 1, 1e300 undefined behaviour).
TEST(AllTypesMsgpack, NumbersAnIntegerFieldCannotHoldAreDecodeErrors) {
  constexpr keyspace::KeySpec spec{"values.everything_msgpack", "values:msgpack:{name}", std::chrono::minutes(5)};
  const auto decode = [&](const nlohmann::json& stored) {
    std::string bytes;
    nlohmann::json::to_msgpack(stored, bytes);
    return keyspace::SchemaCodecs<t::Everything>::decode_msgpack(bytes, spec);
  };
  EXPECT_EQ(decode(as_nlohmann(everything())), everything());
  for (const auto& [field, number] : {std::pair<const char*, nlohmann::json>{"signed", 2.5},
                                      {"signed", 1e300},
                                      {"signed", std::numeric_limits<std::uint64_t>::max()},
                                      {"unsigned", -1},
                                      {"unsigned", 0.5},
                                      {"at", 1e300}}) {
    nlohmann::json stored = as_nlohmann(everything());
    stored[field] = number;
    EXPECT_THROW(decode(stored), keyspace::DecodeError) << field << " = " << number.dump();
  }
}

TEST_F(AllTypesKeys, StructsRoundTripAsJsonAndAsMessagePack) {
  keys.values.everything_json.set(t::Status::open, everything());
  keys.values.everything_msgpack.set("abc", everything());
  EXPECT_EQ(keys.values.everything_json.get(t::Status::open), everything());
  EXPECT_EQ(keys.values.everything_msgpack.get("abc"), everything());
  EXPECT_EQ(keys.values.everything_json.key(t::Status::open), "values:json:open");
}

TEST_F(AllTypesKeys, OptionalFieldsMayBeAbsent) {
  t::Everything e = everything();
  e.maybe.reset();
  keys.values.everything_json.set(t::Status::new_, e);
  EXPECT_EQ(keys.values.everything_json.get(t::Status::new_)->maybe, std::nullopt);
  EXPECT_EQ(redis_cli({"GET", "values:json:new"}).find("maybe"), std::string::npos);
}

TEST_F(AllTypesKeys, ScalarValuesRoundTripAsReadableText) {
  keys.values.text.set(std::numeric_limits<std::uint64_t>::max(), "hello");
  keys.values.blob.set(-5, keyspace::Bytes{std::string("\0a\0", 3)});
  keys.values.number.set(-42);
  keys.values.real.set(2.5);
  keys.values.yes_no.set(true);
  keys.values.when.set(keyspace::Timestamp(std::chrono::milliseconds(1234)));
  EXPECT_EQ(keys.values.text.get(std::numeric_limits<std::uint64_t>::max()), "hello");
  EXPECT_EQ(keys.values.blob.get(-5)->data, std::string("\0a\0", 3));
  EXPECT_EQ(keys.values.number.get(), -42);
  EXPECT_EQ(keys.values.real.get(), 2.5);
  EXPECT_EQ(keys.values.yes_no.get(), true);
  EXPECT_EQ(keys.values.when.get(), keyspace::Timestamp(std::chrono::milliseconds(1234)));
  EXPECT_EQ(redis_cli({"GET", "values:number"}), "-42");
  EXPECT_EQ(redis_cli({"GET", "values:text:18446744073709551615"}), "hello");
}

TEST_F(AllTypesKeys, ListsAndMapsOfValues) {
  keys.values.statuses.set({t::Status::open, t::Status::delete_});
  keys.values.scores.set({{"x", 1.5}});
  EXPECT_EQ(keys.values.statuses.get(), (std::vector<t::Status>{t::Status::open, t::Status::delete_}));
  EXPECT_EQ(keys.values.scores.get(), (std::map<std::string, double>{{"x", 1.5}}));
}

TEST_F(AllTypesKeys, KeywordNamedNamespaceAndKeysWork) {
  keys.class_.value_.set("v");
  EXPECT_TRUE(keys.class_.value_.exists("v"));
  EXPECT_EQ(keys.class_.keys.incr(), 1);
  EXPECT_EQ(std::stoll(redis_cli({"PTTL", "class:keys"})), -1);
}

TEST_F(AllTypesKeys, StringParamRulesApply) {
  EXPECT_THROW(keys.values.everything_msgpack.set("ABC", everything()), keyspace::InvalidKey);
  EXPECT_THROW(keys.values.everything_msgpack.set(std::string(17, 'a'), everything()), keyspace::InvalidKey);
}

TEST_F(AllTypesKeys, UnknownEnumTextIsADecodeError) {
  redis_cli({"SET", "values:statuses", R"(["open","reopened"])"});
  EXPECT_THROW(keys.values.statuses.get(), keyspace::DecodeError);
}

}  // namespace
