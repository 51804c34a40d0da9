#include "model.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

namespace keyspace::gen {
namespace {

constexpr std::array<std::pair<Kind, const char*>, 14> kKinds{{
    {Kind::value, "value"},     {Kind::counter, "counter"}, {Kind::flag, "flag"},
    {Kind::hash, "hash"},       {Kind::set, "set"},         {Kind::sorted_set, "sorted_set"},
    {Kind::list, "list"},       {Kind::stream, "stream"},   {Kind::cache, "cache"},
    {Kind::session, "session"}, {Kind::rate_limit, "rate_limit"}, {Kind::lock, "lock"},
    {Kind::queue, "queue"},     {Kind::channel, "channel"},
}};

}  // namespace

const char* kind_name(Kind kind) {
  for (const auto& [k, name] : kKinds) {
    if (k == kind) return name;
  }
  return "?";
}

std::optional<Kind> parse_kind(const std::string& text) {
  for (const auto& [k, name] : kKinds) {
    if (text == name) return k;
  }
  return std::nullopt;
}

Access access_of(const Key& key, const std::string& service) {
  if (key.owner == service) return Access::read_write;
  if (std::find(key.readers.begin(), key.readers.end(), service) != key.readers.end()) return Access::read;
  return Access::none;
}

std::string rendered_template(const Key& key) {
  return key.version > 1 ? key.key.text + ":v" + std::to_string(key.version) : key.key.text;
}

const TypeDef* Schema::find_type(const std::string& type_name) const {
  for (const TypeDef& t : types) {
    if (t.name == type_name) return &t;
  }
  return nullptr;
}

const Service* Schema::find_service(const std::string& service_name) const {
  for (const Service& s : services) {
    if (s.name == service_name) return &s;
  }
  return nullptr;
}

}  // namespace keyspace::gen
