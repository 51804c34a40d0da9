#pragma once
// How values are stored. Scalars are stored as readable text (an int64 value is its decimal
// digits, so counters and values share one representation); structured values (declared
// types, list<T>, map<string,T>) are stored as JSON or MessagePack through nlohmann::json.
// Generated structs provide to_json/from_json; decoding failures become keyspace::DecodeError.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "keyspace/errors.hpp"
#include "keyspace/key_spec.hpp"

namespace keyspace {

using Timestamp = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

// Binary data. Stored raw as a value; inside JSON and MessagePack documents it is base64 text.
struct Bytes {
  std::string data;
  friend bool operator==(const Bytes& a, const Bytes& b) { return a.data == b.data; }
  friend bool operator!=(const Bytes& a, const Bytes& b) { return a.data != b.data; }
};

[[noreturn]] void throw_decode_error(const KeySpec& spec, std::string_view detail);

std::string base64_encode(std::string_view data);
bool base64_decode(std::string_view text, std::string& out);

struct StringCodec {
  using value_type = std::string;
  static std::string encode(const std::string& v) { return v; }
  static std::string decode(std::string_view text, const KeySpec&) { return std::string(text); }
};

struct BytesCodec {
  using value_type = Bytes;
  static std::string encode(const Bytes& v) { return v.data; }
  static Bytes decode(std::string_view text, const KeySpec&) { return Bytes{std::string(text)}; }
};

struct Int64Codec {
  using value_type = std::int64_t;
  static std::string encode(std::int64_t v);
  static std::int64_t decode(std::string_view text, const KeySpec& spec);
};

struct DoubleCodec {
  using value_type = double;
  static std::string encode(double v);  // shortest text that reads back to the same double
  static double decode(std::string_view text, const KeySpec& spec);
};

struct BoolCodec {
  using value_type = bool;
  static std::string encode(bool v) { return v ? "1" : "0"; }
  static bool decode(std::string_view text, const KeySpec& spec);
};

struct TimestampCodec {  // milliseconds since the Unix epoch, as decimal text
  using value_type = Timestamp;
  static std::string encode(Timestamp v);
  static Timestamp decode(std::string_view text, const KeySpec& spec);
};

template <class T>
struct JsonCodec {
  using value_type = T;
  static std::string encode(const T& v) { return nlohmann::json(v).dump(); }
  static T decode(std::string_view text, const KeySpec& spec) {
    try {
      return nlohmann::json::parse(text.begin(), text.end()).template get<T>();
    } catch (const nlohmann::json::exception& e) {
      throw_decode_error(spec, e.what());
    }
  }
};

template <class T>
struct MsgpackCodec {
  using value_type = T;
  static std::string encode(const T& v) {
    std::string out;
    nlohmann::json::to_msgpack(nlohmann::json(v), out);
    return out;
  }
  static T decode(std::string_view text, const KeySpec& spec) {
    try {
      return nlohmann::json::from_msgpack(text.begin(), text.end()).template get<T>();
    } catch (const nlohmann::json::exception& e) {
      throw_decode_error(spec, e.what());
    }
  }
};

// The codec of a type the schema declares (a struct or an enum) as a key's value: it calls the
// type's encode_json / decode_json (or _msgpack) functions, which the generated keyspace.cpp
// defines with JsonCodec / MsgpackCodec (found by argument-dependent lookup). A generated header
// thus instantiates no JSON code per type, and including it stays cheap however many types the
// schema has.
template <class T>
struct SchemaJsonCodec {
  using value_type = T;
  static std::string encode(const T& v) { return encode_json(v); }
  static T decode(std::string_view text, const KeySpec& spec) {
    T out{};
    decode_json(text, spec, out);
    return out;
  }
};

template <class T>
struct SchemaMsgpackCodec {
  using value_type = T;
  static std::string encode(const T& v) { return encode_msgpack(v); }
  static T decode(std::string_view text, const KeySpec& spec) {
    T out{};
    decode_msgpack(text, spec, out);
    return out;
  }
};

}  // namespace keyspace

namespace nlohmann {

template <>
struct adl_serializer<keyspace::Timestamp> {
  static void to_json(json& j, const keyspace::Timestamp& t) { j = t.time_since_epoch().count(); }
  static void from_json(const json& j, keyspace::Timestamp& t) {
    t = keyspace::Timestamp(std::chrono::milliseconds(j.get<std::int64_t>()));
  }
};

template <>
struct adl_serializer<keyspace::Bytes> {
  static void to_json(json& j, const keyspace::Bytes& b) { j = keyspace::base64_encode(b.data); }
  static void from_json(const json& j, keyspace::Bytes& b) {
    if (!keyspace::base64_decode(j.get_ref<const std::string&>(), b.data)) {
      throw json::other_error::create(501, "bytes field is not valid base64", &j);
    }
  }
};

}  // namespace nlohmann
