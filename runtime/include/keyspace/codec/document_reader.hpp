#pragma once
// For code that stores values of its own types through keyspace/codec/json_codec.hpp.
// Reads a parsed nlohmann::json document (a stored JSON or MessagePack value) into C++ values as
// strictly as keyspace's own JSON reader (keyspace/codec/json_reader.hpp) reads declared types: an
// integer field takes integers within its range only. nlohmann's get<std::int64_t>() converts any
// number with a cast, so a stored 2.5 would read as 2, -1 as 18446744073709551615 in a uint64,
// and 1e300 (another writer's bytes) would be undefined behaviour. Lists, maps and optionals are
// walked here so that their elements are read the same way; every other type (strings, doubles,
// bools, types of one's own with a from_json) is read through
// nlohmann as before. A value that does not fit throws nlohmann::json::other_error, which the
// codecs turn into keyspace::DecodeError.

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace keyspace {

// All overloads are declared before any is defined: the templates find each other by ordinary
// lookup (ADL would look in std and nlohmann only).
inline void read_document(const nlohmann::json& j, std::int64_t& out);
inline void read_document(const nlohmann::json& j, std::uint64_t& out);
template <class T>
void read_document(const nlohmann::json& j, std::vector<T>& out);
template <class T>
void read_document(const nlohmann::json& j, std::map<std::string, T>& out);
template <class T>
void read_document(const nlohmann::json& j, std::optional<T>& out);
template <class T>
void read_document(const nlohmann::json& j, T& out);

namespace detail {

[[noreturn]] inline void refuse(const nlohmann::json& j, const std::string& what) {
  throw nlohmann::json::other_error::create(501, what, &j);
}

}  // namespace detail

inline void read_document(const nlohmann::json& j, std::int64_t& out) {
  if (j.is_number_unsigned()) {
    const auto value = j.get_ref<const nlohmann::json::number_unsigned_t&>();
    if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      detail::refuse(j, "an integer out of the int64 range");
    }
    out = static_cast<std::int64_t>(value);
  } else if (j.is_number_integer()) {
    out = j.get_ref<const nlohmann::json::number_integer_t&>();
  } else {
    detail::refuse(j, "expected an integer, found " + std::string(j.type_name()));
  }
}

inline void read_document(const nlohmann::json& j, std::uint64_t& out) {
  if (j.is_number_unsigned()) {
    out = j.get_ref<const nlohmann::json::number_unsigned_t&>();
  } else if (j.is_number_integer()) {
    const auto value = j.get_ref<const nlohmann::json::number_integer_t&>();
    if (value < 0) detail::refuse(j, "a negative integer where an unsigned one belongs");
    out = static_cast<std::uint64_t>(value);
  } else {
    detail::refuse(j, "expected an integer, found " + std::string(j.type_name()));
  }
}

template <class T>
void read_document(const nlohmann::json& j, std::vector<T>& out) {
  if (!j.is_array()) detail::refuse(j, "expected an array, found " + std::string(j.type_name()));
  out.clear();
  out.reserve(j.size());
  for (const nlohmann::json& item : j) {
    T element{};  // a temporary, so that std::vector<bool> reads like any other list
    read_document(item, element);
    out.push_back(std::move(element));
  }
}

template <class T>
void read_document(const nlohmann::json& j, std::map<std::string, T>& out) {
  if (!j.is_object()) detail::refuse(j, "expected an object, found " + std::string(j.type_name()));
  out.clear();
  for (const auto& [name, item] : j.items()) {
    T element{};
    read_document(item, element);
    out.emplace(name, std::move(element));
  }
}

template <class T>
void read_document(const nlohmann::json& j, std::optional<T>& out) {
  if (j.is_null()) {
    out.reset();
    return;
  }
  T value{};
  read_document(j, value);
  out = std::move(value);
}

template <class T>
void read_document(const nlohmann::json& j, T& out) {
  j.get_to(out);
}

}  // namespace keyspace
