#pragma once
// For code that stores values of its own types (generated code never includes it).
// JsonCodec and MsgpackCodec (declared in keyspace/codec/codec.hpp) through nlohmann::json: a type
// with nlohmann's to_json / from_json (or an adl_serializer specialisation) is stored with them,
// read as strictly as declared types by keyspace/codec/document_reader.hpp, with the nlohmann
// conversions of the runtime's value types below. The codecs of the types a schema declares do
// not use it (keyspace/codec/schema_codecs.hpp).

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "keyspace/codec/codec.hpp"
#include "keyspace/codec/document_reader.hpp"
#include "keyspace/codec/nesting.hpp"
#include "keyspace/key_spec.hpp"

namespace nlohmann {

template <>
struct adl_serializer<keyspace::Timestamp> {
  static void to_json(json& j, const keyspace::Timestamp& t) { j = t.time_since_epoch().count(); }
  static void from_json(const json& j, keyspace::Timestamp& t) {
    std::int64_t millis = 0;
    keyspace::read_document(j, millis);
    t = keyspace::Timestamp(std::chrono::milliseconds(millis));
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

namespace keyspace {

template <class T>
std::string JsonCodec<T>::encode(const T& v) {
  return nlohmann::json(v).dump();
}

template <class T>
T JsonCodec<T>::decode(std::string_view text, const KeySpec& spec) {
  check_json_nesting(text, spec);
  try {
    T value{};
    read_document(nlohmann::json::parse(text.begin(), text.end()), value);
    return value;
  } catch (const nlohmann::json::exception& e) {
    throw_decode_error(spec, e.what());
  }
}

template <class T>
std::string MsgpackCodec<T>::encode(const T& v) {
  std::string out;
  nlohmann::json::to_msgpack(nlohmann::json(v), out);
  return out;
}

template <class T>
T MsgpackCodec<T>::decode(std::string_view text, const KeySpec& spec) {
  check_msgpack_nesting(text, spec);
  try {
    T value{};
    read_document(nlohmann::json::from_msgpack(text.begin(), text.end()), value);
    return value;
  } catch (const nlohmann::json::exception& e) {
    throw_decode_error(spec, e.what());
  }
}

}  // namespace keyspace
