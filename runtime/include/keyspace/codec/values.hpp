#pragma once
// For generated code: the value codecs generated accessors store with (keyspace/codec/).
// The codecs of structured values without a document in between, one set of templates over a
// writer and a reader: JSON (keyspace/codec/json_writer.hpp, json_reader.hpp) and MessagePack
// (msgpack_writer.hpp, msgpack_reader.hpp) have the same interface. The generated keyspace.cpp
// defines write_value / read_value for each declared struct and enum, as templates over the
// writer or reader too; this header provides them for every other value type of the schema
// language. Calls are unqualified, so argument-dependent lookup joins the two sets: a std::vector
// of a declared struct, a map of lists of an enum, and so on, each to any depth.
//
// The bytes are those nlohmann::json wrote for the same values (dump() and to_msgpack()): members
// in name order (nlohmann::json objects are sorted maps), absent optional members left out,
// timestamps as milliseconds, bytes as base64 text, enums by their schema names. Reading is at
// least as strict as it was: a member missing, twice or of the wrong type is an error, a null
// counts as absent only for an optional member, and integers must be integers.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "keyspace/codec/codec.hpp"
#include "keyspace/codec/limits.hpp"
#include "keyspace/key_spec.hpp"

namespace keyspace::codec {

template <class Out>
void write_value(Out& out, const std::string& value) { out.string(value); }
template <class Out>
void write_value(Out& out, std::int64_t value) { out.int64(value); }
template <class Out>
void write_value(Out& out, std::uint64_t value) { out.uint64(value); }
template <class Out>
void write_value(Out& out, double value) { out.number(value); }
template <class Out>
void write_value(Out& out, bool value) { out.boolean(value); }
template <class Out>
void write_value(Out& out, Timestamp value) { out.int64(value.time_since_epoch().count()); }
template <class Out>
void write_value(Out& out, const Bytes& value) { out.string(base64_encode(value.data)); }

template <class In>
void read_value(In& in, std::string& value) { value.assign(in.string()); }
template <class In>
void read_value(In& in, std::int64_t& value) { value = in.int64(); }
template <class In>
void read_value(In& in, std::uint64_t& value) { value = in.uint64(); }
template <class In>
void read_value(In& in, double& value) { value = in.number(); }
template <class In>
void read_value(In& in, bool& value) { value = in.boolean(); }
template <class In>
void read_value(In& in, Timestamp& value) { value = Timestamp(std::chrono::milliseconds(in.int64())); }
template <class In>
void read_value(In& in, Bytes& value) {
  if (!base64_decode(in.string(), value.data)) in.fail("bytes that are not base64");
}

// Declared before any is defined, so that each can hold the others.
template <class Out, class T>
void write_value(Out& out, const std::vector<T>& values);
template <class Out, class T>
void write_value(Out& out, const std::map<std::string, T>& values);
template <class In, class T>
void read_value(In& in, std::vector<T>& values);
template <class In, class T>
void read_value(In& in, std::map<std::string, T>& values);

template <class Out, class T>
void write_value(Out& out, const std::vector<T>& values) {
  out.begin_array(values.size());
  for (const auto& value : values) write_value(out, value);
  out.end_array();
}

template <class Out, class T>
void write_value(Out& out, const std::map<std::string, T>& values) {
  out.begin_object(values.size());
  for (const auto& [key, value] : values) {
    out.key(key);
    write_value(out, value);
  }
  out.end_object();
}

// Elements are read into a local and moved in: std::vector<bool> has no bool& to read into.
template <class In, class T>
void read_value(In& in, std::vector<T>& values) {
  values.clear();
  in.begin_array();
  while (in.next_element()) {
    T value{};
    read_value(in, value);
    values.push_back(std::move(value));
  }
}

// nlohmann::json kept the last of duplicate keys; they are refused instead (no writer makes them).
template <class In, class T>
void read_value(In& in, std::map<std::string, T>& values) {
  values.clear();
  in.begin_object();
  for (std::string_view name; in.next_key(name);) {
    std::string key(name);  // `name` may point into the reader's buffer, reused by the value
    T value{};
    read_value(in, value);
    if (!values.emplace(std::move(key), std::move(value)).second) in.fail("a map key that appears twice");
  }
}

// --- members of declared structs (called by generated code) ---------------------------------

// `name` is a field name of a declared type: lower_snake, so it is written unescaped.
template <class Out, class T>
void write_field(Out& out, std::string_view name, const T& value) {
  out.plain_key(name);
  write_value(out, value);
}

template <class Out, class T>
void write_field(Out& out, std::string_view name, const std::optional<T>& value) {
  if (value) write_field(out, name, *value);
}

// Reads the value of member `name`; `seen` is its flag among the struct's members.
template <class In, class T>
void read_field(In& in, const char* name, bool& seen, T& value) {
  in.at_field(name);
  if (seen) in.fail("a member that appears twice");
  seen = true;
  read_value(in, value);
}

template <class In, class T>
void read_field(In& in, const char* name, bool& seen, std::optional<T>& value) {
  in.at_field(name);
  if (seen) in.fail("a member that appears twice");
  seen = true;
  if (in.consume_null()) {
    value.reset();
    return;
  }
  T present{};
  read_value(in, present);
  value = std::move(present);
}

// Throws unless the required member `name` was read.
template <class In>
void require_field(In& in, const char* name, bool seen) {
  if (seen) return;
  in.at_field(nullptr);
  in.fail("a missing member '" + std::string(name) + "'");
}

// --- whole values (the members of SchemaCodecs, keyspace/codec/schema_codecs.hpp) -------------

template <class Writer, class T>
std::string encode(const T& value) {
  Writer out;
  write_value(out, value);
  return std::move(out).take();
}

// Decodes into a fresh value and moves it into `value` only when all went well; a failure is a
// DecodeError naming the key template of `spec`.
template <class Reader, class T>
void decode(std::string_view bytes, const KeySpec& spec, T& value) {
  try {
    Reader in(bytes);
    T decoded{};
    read_value(in, decoded);
    in.finish();
    value = std::move(decoded);
  } catch (const ReadError& e) {
    throw_decode_error(spec, e.what());
  }
}

}  // namespace keyspace::codec
