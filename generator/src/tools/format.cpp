#include "tools/format.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <re2/re2.h>

#include "pipeline.hpp"

namespace keyspace::gen {
namespace {

using Json = nlohmann::ordered_json;

// What a node is in the schema language; it decides the order of its entries and its style.
enum class Role {
  root, services, service, types, type, struct_fields, hash_fields, field, namespaces, name_space,
  keys, key, params, param, index, limit, defaults, namespace_ttl, policies, kinds, other
};

// Named entries (services, types, keys, ...) keep the author's order: it is meaningful (it is
// the order of the generated code and docs). Entries of everything else follow these lists.
const std::vector<std::string_view>& canonical_order(Role role) {
  static const std::vector<std::string_view> none;
  static const std::vector<std::string_view> root{"keyspace", "name", "description", "cpp", "environments",
                                                  "defaults", "policies", "services", "types", "namespaces"};
  static const std::vector<std::string_view> key{
      "description", "key", "channel", "params", "kind", "value", "encoding", "ttl", "persistent_reason",
      "tags", "on_error", "refresh_ahead", "stale", "early_refresh", "limit", "index", "max_length", "visibility_timeout", "fields",
      "sliding", "owner", "readers", "deprecated", "hash_tag", "version"};
  static const std::vector<std::string_view> name_space{"description", "owner", "readers", "ttl", "keys"};
  static const std::vector<std::string_view> type{"description", "fields", "enum"};
  static const std::vector<std::string_view> field{"type", "optional", "description"};
  static const std::vector<std::string_view> param{"type", "pattern", "max_length", "description"};
  static const std::vector<std::string_view> index{"key", "params", "max"};
  static const std::vector<std::string_view> limit{"requests", "per", "algorithm", "burst"};
  static const std::vector<std::string_view> defaults{"ttl", "encoding"};
  static const std::vector<std::string_view> namespace_ttl{"default", "max"};
  static const std::vector<std::string_view> policies{"max_key_length", "require_descriptions", "kinds"};
  switch (role) {
    case Role::root: return root;
    case Role::key: return key;
    case Role::name_space: return name_space;
    case Role::type: return type;
    case Role::field: return field;
    case Role::param: return param;
    case Role::index: return index;
    case Role::limit: return limit;
    case Role::defaults: return defaults;
    case Role::namespace_ttl: return namespace_ttl;
    case Role::policies: return policies;
    default: return none;
  }
}

Role child_role(Role parent, const std::string& name) {
  switch (parent) {
    case Role::root:
      if (name == "services") return Role::services;
      if (name == "types") return Role::types;
      if (name == "namespaces") return Role::namespaces;
      if (name == "policies") return Role::policies;
      if (name == "defaults") return Role::defaults;
      return Role::other;
    case Role::services: return Role::service;
    case Role::types: return Role::type;
    case Role::type: return name == "fields" ? Role::struct_fields : Role::other;
    case Role::struct_fields:
    case Role::hash_fields: return Role::field;
    case Role::namespaces: return Role::name_space;
    case Role::name_space:
      if (name == "keys") return Role::keys;
      return name == "ttl" ? Role::namespace_ttl : Role::other;
    case Role::keys: return Role::key;
    case Role::key:
      if (name == "params") return Role::params;
      if (name == "fields") return Role::hash_fields;
      if (name == "index") return Role::index;
      return name == "limit" ? Role::limit : Role::other;
    case Role::index: return name == "params" ? Role::params : Role::other;
    case Role::params: return Role::param;
    case Role::policies: return name == "kinds" ? Role::kinds : Role::other;
    default: return Role::other;
  }
}

// The skeleton of the file is always block style, one entry per line, whatever its size.
bool always_block(Role role) {
  switch (role) {
    case Role::root: case Role::services: case Role::types: case Role::type: case Role::struct_fields:
    case Role::namespaces: case Role::name_space: case Role::keys: case Role::key: case Role::policies:
      return true;
    default: return false;
  }
}

std::vector<std::string> ordered_keys(const Json& object, Role role) {
  std::vector<std::string> keys;
  for (std::string_view known : canonical_order(role)) {
    if (object.contains(std::string(known))) keys.emplace_back(known);
  }
  for (const auto& item : object.items()) {
    if (std::find(keys.begin(), keys.end(), item.key()) == keys.end()) keys.push_back(item.key());
  }
  return keys;
}

// Columns a line takes: UTF-8 continuation bytes do not count.
std::size_t width(const std::string& line) {
  return static_cast<std::size_t>(
      std::count_if(line.begin(), line.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool is_control(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7F;
}

// Plain scalars that a YAML reader (1.2 core schema, or the older 1.1 rules some tools still
// apply) resolves to a null, a boolean or a number.
bool looks_like_non_string(const std::string& s) {
  static const RE2 special(
      "~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|"
      R"([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|0x[0-9a-fA-F_]+|0o?[0-7_]+|0b[01_]+|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+)");
  static const RE2 number(R"([-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?)");
  return RE2::FullMatch(s, special) || RE2::FullMatch(s, number);
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (is_control(c)) out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
        else out += c;
    }
  }
  return out + "\"";
}

std::string scalar_text(const Json& value, bool in_flow) {
  if (value.is_string()) return yaml_string(value.get<std::string>(), in_flow);
  if (value.is_null()) return "null";
  return value.dump();  // numbers and booleans: JSON and YAML spell them alike
}

bool is_empty_container(const Json& v) { return (v.is_object() || v.is_array()) && v.empty(); }

// `node` on one line: `{a: b, c: [d, e]}`.
std::string flow_text(const Json& node, Role role) {
  if (!node.is_object() && !node.is_array()) return scalar_text(node, true);
  std::string out = node.is_object() ? "{" : "[";
  bool first = true;
  if (node.is_object()) {
    for (const std::string& key : ordered_keys(node, role)) {
      out += (first ? "" : ", ") + yaml_string(key, true) + ": " + flow_text(node.at(key), child_role(role, key));
      first = false;
    }
  } else {
    for (const Json& item : node) {
      out += (first ? "" : ", ") + flow_text(item, Role::other);
      first = false;
    }
  }
  return out + (node.is_object() ? "}" : "]");
}

class BlockWriter {
 public:
  std::string take() { return std::move(out_); }

  void mapping(const Json& node, Role role, std::size_t indent) {
    bool previous_multiline = false;
    bool first = true;
    for (const std::string& key : ordered_keys(node, role)) {
      BlockWriter entry_writer;
      entry_writer.entry(yaml_string(key, false), node.at(key), child_role(role, key), indent);
      std::string entry = entry_writer.take();
      const bool multiline = std::count(entry.begin(), entry.end(), '\n') > 1;
      // Top-level sections that take several lines stand apart from their neighbours.
      if (role == Role::root && !first && (multiline || previous_multiline)) out_ += '\n';
      out_ += entry;
      previous_multiline = multiline;
      first = false;
    }
  }

  void sequence(const Json& node, std::size_t indent) {
    for (const Json& item : node) {
      const std::string dash = std::string(indent, ' ') + "- ";
      if (!item.is_object() && !item.is_array()) {
        out_ += dash + scalar_text(item, false) + '\n';
      } else if (is_empty_container(item) || width(dash + flow_text(item, Role::other)) <= kFormatWidth) {
        out_ += dash + flow_text(item, Role::other) + '\n';
      } else {
        // The item as a block nested two columns deeper, its first line starting after the dash.
        BlockWriter nested;
        nested.block(item, Role::other, indent + 2);
        out_ += dash + nested.take().substr(indent + 2);
      }
    }
  }

 private:
  void block(const Json& node, Role role, std::size_t indent) {
    if (node.is_object()) mapping(node, role, indent);
    else sequence(node, indent);
  }

  void entry(const std::string& key, const Json& value, Role role, std::size_t indent) {
    const std::string line = std::string(indent, ' ') + key + ":";
    if (value.is_null()) {
      out_ += line + '\n';
    } else if (!value.is_object() && !value.is_array()) {
      out_ += line + ' ' + scalar_text(value, false) + '\n';
    } else if (is_empty_container(value)) {
      out_ += line + (value.is_object() ? " {}\n" : " []\n");
    } else if (!always_block(role) && width(line + ' ' + flow_text(value, role)) <= kFormatWidth) {
      out_ += line + ' ' + flow_text(value, role) + '\n';
    } else {
      out_ += line + '\n';
      block(value, role, indent + 2);
    }
  }

  std::string out_;
};

std::size_t line_end(const std::string& text, std::size_t pos) {
  const std::size_t end = text.find('\n', pos);
  return end == std::string::npos ? text.size() : end;
}

// Where the first line of content starts (the end of the header).
std::size_t content_start(const std::string& text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t first = text.find_first_not_of(" \t\r", pos);
    const std::size_t end = line_end(text, pos);
    if (first != std::string::npos && first < end && text[first] != '#') return pos;
    pos = end + 1;
  }
  return text.size();
}

}  // namespace

bool needs_quotes(const std::string& s, bool in_flow) {
  if (s.empty() || looks_like_non_string(s)) return true;
  static constexpr std::string_view kIndicators = "-?:,[]{}#&*!|>'\"%@`";
  if (kIndicators.find(s.front()) != std::string_view::npos) return true;
  if (s.front() == ' ' || s.back() == ' ' || s.back() == ':' || s.rfind("...", 0) == 0) return true;
  if (std::any_of(s.begin(), s.end(), is_control)) return true;
  if (s.find(": ") != std::string::npos || s.find(" #") != std::string::npos) return true;
  return in_flow && s.find_first_of(",[]{}") != std::string::npos;
}

std::string yaml_string(const std::string& text, bool in_flow) {
  return needs_quotes(text, in_flow) ? quoted(text) : text;
}

std::string format_document(const Json& root) {
  BlockWriter writer;
  if (root.is_object()) writer.mapping(root, Role::root, 0);
  else if (root.is_array()) writer.sequence(root, 0);
  else return scalar_text(root, false) + '\n';
  return writer.take();
}

std::string header_comments(const std::string& text) {
  const std::string header = text.substr(0, content_start(text));
  // Up to the end of the last comment line: trailing blank lines are dropped.
  const std::size_t last_hash = header.rfind('#');
  if (last_hash == std::string::npos) return "";
  const std::size_t end = line_end(header, last_hash);
  return header.substr(0, end) + '\n';
}

std::optional<SourceLoc> find_comment(const Document& doc, const std::string& text) {
  int line = 1;
  std::size_t line_start = 0;
  const std::size_t start = content_start(text);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
      continue;
    }
    if (i < start || text[i] != '#' || (i > line_start && text[i - 1] != ' ' && text[i - 1] != '\t')) continue;
    // A `#` after whitespace starts a comment unless it is inside a quoted or block scalar. A
    // comment is the `#` whose removal (to the end of its line) leaves the same document; in a
    // scalar the removal changes the scalar or breaks the syntax.
    std::string without = text;
    without.erase(i, line_end(text, i) - i);
    DiagnosticSink ignored;
    const std::optional<Document> other = parse_document(doc.file, without, ignored);
    if (other && !ignored.has_errors() && other->root == doc.root) {
      return SourceLoc{doc.file, line, static_cast<int>(i - line_start) + 1};
    }
  }
  return std::nullopt;
}

FormatResult format_schema_text(const std::string& path, const std::string& text, DiagnosticSink& sink) {
  FormatResult result;
  const std::optional<Schema> schema = load_schema_text(path, text, sink);
  if (!schema || sink.has_errors()) return result;
  DiagnosticSink reparse;
  const std::optional<Document> doc = parse_document(path, text, reparse);
  if (!doc) return result;
  result.comment = find_comment(*doc, text);
  if (!result.comment) result.text = header_comments(text) + format_document(doc->root);
  return result;
}

}  // namespace keyspace::gen
