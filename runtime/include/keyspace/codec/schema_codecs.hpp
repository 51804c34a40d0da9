#pragma once
// For generated code: the value codecs generated accessors store with (keyspace/codec/).
//
// The members of SchemaCodecs (keyspace/codec/codec.hpp), which a generated keyspace.cpp
// instantiates once per structured type it stores (declared types, and the lists and maps of
// them that are key values or hash fields): JSON and MessagePack through the generated
// write_value / read_value of each type and those of keyspace/codec/values.hpp.

#include <string>
#include <string_view>

#include "keyspace/codec/codec.hpp"
#include "keyspace/codec/json_reader.hpp"
#include "keyspace/codec/json_writer.hpp"
#include "keyspace/codec/msgpack_reader.hpp"
#include "keyspace/codec/msgpack_writer.hpp"
#include "keyspace/codec/values.hpp"

namespace keyspace {

template <class T>
std::string SchemaCodecs<T>::encode_json(const T& value) {
  return codec::encode<json::Writer>(value);
}

template <class T>
T SchemaCodecs<T>::decode_json(std::string_view bytes, const KeySpec& spec) {
  T value{};
  codec::decode<json::Reader>(bytes, spec, value);
  return value;
}

template <class T>
std::string SchemaCodecs<T>::encode_msgpack(const T& value) {
  return codec::encode<msgpack::Writer>(value);
}

template <class T>
T SchemaCodecs<T>::decode_msgpack(std::string_view bytes, const KeySpec& spec) {
  T value{};
  codec::decode<msgpack::Reader>(bytes, spec, value);
  return value;
}

}  // namespace keyspace
