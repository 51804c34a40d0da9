#pragma once
// For generated code: the value codecs generated accessors store with (keyspace/codec/).
// How values are stored. Scalars are stored as readable text (an int64 value is its decimal
// digits, so counters and values share one representation); structured values (declared
// types, list<T>, map<string,T>) are stored as JSON or MessagePack, written and read without a
// document in between by generated code and keyspace/codec/values.hpp (SchemaCodecs below).
// Decoding failures become keyspace::DecodeError.
//
// JsonCodec and MsgpackCodec store values of types of one's own through nlohmann::json (their
// to_json / from_json); they are defined in keyspace/codec/json_codec.hpp, which generated code
// never includes: nlohmann/json.hpp alone costs a translation unit more than a header of a
// thousand keys.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

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
  static std::string encode(const T& v);
  static T decode(std::string_view text, const KeySpec& spec);
};

template <class T>
struct MsgpackCodec {
  using value_type = T;
  static std::string encode(const T& v);
  static T decode(std::string_view text, const KeySpec& spec);
};

// The bytes of a structured type of the schema (a declared struct or enum, or a list or map of
// values) under each encoding; decoding throws DecodeError naming the key template of `spec`.
// One class template for every such type: the generated header declares its instantiation for
// each type it stores (`extern template`), the generated keyspace.cpp instantiates it once with
// the members of keyspace/codec/schema_codecs.hpp. Members of one class template rather than
// overloads of the same functions for every type: GCC compares each new overload with all
// earlier ones, which makes a header of many types quadratic to compile.
template <class T>
struct SchemaCodecs {
  static std::string encode_json(const T& value);
  static T decode_json(std::string_view bytes, const KeySpec& spec);
  static std::string encode_msgpack(const T& value);
  static T decode_msgpack(std::string_view bytes, const KeySpec& spec);
};

// The codecs of structured types as a key's value or a hash field's.
template <class T>
struct SchemaJsonCodec {
  using value_type = T;
  static std::string encode(const T& v) { return SchemaCodecs<T>::encode_json(v); }
  static T decode(std::string_view text, const KeySpec& spec) { return SchemaCodecs<T>::decode_json(text, spec); }
};

template <class T>
struct SchemaMsgpackCodec {
  using value_type = T;
  static std::string encode(const T& v) { return SchemaCodecs<T>::encode_msgpack(v); }
  static T decode(std::string_view text, const KeySpec& spec) { return SchemaCodecs<T>::decode_msgpack(text, spec); }
};

}  // namespace keyspace
