#include "model/reader.hpp"

#include <fmt/format.h>

#include "diag/codes.hpp"
#include "model/duration.hpp"
#include "model/names.hpp"

namespace keyspace::gen {

Node ModelReader::child(const Node& parent, const std::string& name) const {
  if (!parent || !parent.json->is_object()) return {};
  auto it = parent.json->find(name);
  if (it == parent.json->end()) return {};
  return {&*it, pointer_append(parent.pointer, name)};
}

std::vector<std::pair<std::string, Node>> ModelReader::members(const Node& object) const {
  std::vector<std::pair<std::string, Node>> out;
  if (!object || !object.json->is_object()) return out;
  for (auto it = object.json->begin(); it != object.json->end(); ++it) {
    out.emplace_back(it.key(), Node{&it.value(), pointer_append(object.pointer, it.key())});
  }
  return out;
}

std::vector<Node> ModelReader::items(const Node& array) const {
  std::vector<Node> out;
  if (!array || !array.json->is_array()) return out;
  for (std::size_t i = 0; i < array.json->size(); ++i) {
    out.push_back({&(*array.json)[i], pointer_append(array.pointer, std::to_string(i))});
  }
  return out;
}

std::optional<std::string> ModelReader::string(const Node& parent, const std::string& name) const {
  const Node n = child(parent, name);
  if (!n || !n.json->is_string()) return std::nullopt;
  return n.json->get<std::string>();
}

std::optional<std::int64_t> ModelReader::integer(const Node& parent, const std::string& name) const {
  const Node n = child(parent, name);
  if (!n || !n.json->is_number_integer()) return std::nullopt;
  return n.json->get<std::int64_t>();
}

std::optional<bool> ModelReader::boolean(const Node& parent, const std::string& name) const {
  const Node n = child(parent, name);
  if (!n || !n.json->is_boolean()) return std::nullopt;
  return n.json->get<bool>();
}

std::vector<std::string> ModelReader::strings(const Node& parent, const std::string& name) const {
  std::vector<std::string> out;
  for (const Node& item : items(child(parent, name))) {
    if (item.json->is_string()) out.push_back(item.json->get<std::string>());
  }
  return out;
}

std::optional<Millis> ModelReader::duration(const Node& parent, const std::string& name, bool* is_none) const {
  const Node n = child(parent, name);
  if (!n || !n.json->is_string()) return std::nullopt;
  const std::string text = n.json->get<std::string>();
  if (is_none != nullptr && text == "none") {
    *is_none = true;
    return std::nullopt;
  }
  if (auto d = parse_duration(text)) return d;
  sink_.error(code::kBadDuration, value_loc(n),
              fmt::format("'{}' is not a duration: write a positive whole number and a unit, as 500ms, 30s, 5m, 1h "
                          "or 7d{}", text, is_none != nullptr ? " (or 'none' with a persistent_reason)" : ""));
  return std::nullopt;
}

Encoding read_encoding(const ModelReader& r, const Node& parent, Encoding fallback) {
  const auto text = r.string(parent, "encoding");
  if (!text) return fallback;
  return *text == "msgpack" ? Encoding::msgpack : Encoding::json;
}

void check_service_ref(const ModelReader& r, const Node& node, const Schema& s) {
  if (!node.json->is_string()) return;
  const std::string name = node.json->get<std::string>();
  if (s.find_service(name)) return;
  r.sink().error(code::kUnknownService, r.value_loc(node),
                 fmt::format("unknown service '{}'{}", name, s.services.empty() ? " (the schema declares no services)" : ""));
}

SourceLoc ModelReader::text_loc(const Node& n) const {
  const NodeMarks& m = doc_.marks_of(n.pointer);
  SourceLoc loc = doc_.loc(m.value);
  if (m.quoted) ++loc.column;
  return loc;
}

void ModelReader::check_name(const Node& n, const std::string& name, const char* what, bool upper) const {
  if (upper ? is_upper_camel(name) : is_lower_snake(name)) return;
  sink_.error(code::kBadName, key_loc(n),
              fmt::format("{} name '{}' must be {}", what, name,
                          upper ? "UpperCamelCase (e.g. UserProfile)" : "lower_snake_case (e.g. user_profile)"));
}

}  // namespace keyspace::gen
