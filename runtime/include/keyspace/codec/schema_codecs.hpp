#pragma once
// For generated code: the value codecs generated accessors store with (keyspace/codec/).
//
// The members of SchemaCodecs (keyspace/codec/codec.hpp), which a generated keyspace.cpp
// instantiates once per declared type: JSON through the type's generated write_value /
// read_value (keyspace/codec/json_values.hpp), MessagePack through nlohmann's conversions of it.

#include <string>
#include <string_view>

#include "keyspace/codec/codec.hpp"
#include "keyspace/codec/json_codec.hpp"
#include "keyspace/codec/json_values.hpp"

namespace keyspace {

template <class T>
std::string SchemaCodecs<T>::encode_json(const T& value) {
  return json::encode(value);
}

template <class T>
T SchemaCodecs<T>::decode_json(std::string_view bytes, const KeySpec& spec) {
  T value{};
  json::decode(bytes, spec, value);
  return value;
}

template <class T>
std::string SchemaCodecs<T>::encode_msgpack(const T& value) {
  return MsgpackCodec<T>::encode(value);
}

template <class T>
T SchemaCodecs<T>::decode_msgpack(std::string_view bytes, const KeySpec& spec) {
  return MsgpackCodec<T>::decode(bytes, spec);
}

}  // namespace keyspace
