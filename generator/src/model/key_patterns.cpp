#include "model/key_patterns.hpp"

#include <algorithm>
#include <functional>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

namespace keyspace::gen {
namespace {

const Param* find_param(const Key& key, const std::string& name) {
  const auto p = std::find_if(key.params.begin(), key.params.end(), [&](const Param& x) { return x.name == name; });
  return p == key.params.end() ? nullptr : &*p;
}

std::string sample_value(const Param* param, const Schema& schema) {
  if (!param || param->type == Param::Type::string) return "abc";
  if (param->type == Param::Type::enum_) {
    const TypeDef* type = schema.find_type(param->enum_type);
    if (type && !type->values.empty()) return type->values.front().name;
  }
  return "42";
}

// One symbol of a glob pattern or of a template's keys. `any_text` is a pattern `*`; `value` is
// a parameter's escaped value: any run of characters other than ':' (and glob characters), and
// at least one character unless the parameter is a string (an empty string is a valid value).
// Enum values are taken as any text: simple, and only ever too cautious.
struct Symbol {
  enum class Type { literal, any_text, value, nonempty_value } type = Type::literal;
  char c = 0;
  bool digits = false;  // an integer's value: digits and '-' only
};

bool can_produce(const Symbol& value, char c) {
  if (c == ':') return false;
  return !value.digits || (c >= '0' && c <= '9') || c == '-';
}

std::vector<Symbol> symbols(const KeyTemplate& t, const Key& key, bool as_pattern) {
  std::vector<Symbol> out;
  for (std::size_t i = 0; i < t.segments.size(); ++i) {
    const Segment& seg = t.segments[i];
    if (i > 0) out.push_back({Symbol::Type::literal, ':'});
    if (!seg.is_param) {
      for (char c : seg.text) out.push_back({Symbol::Type::literal, c});
    } else if (as_pattern) {
      out.push_back({Symbol::Type::any_text});
    } else {
      const Param* p = find_param(key, seg.text);
      const bool may_be_empty = !p || p->type == Param::Type::string;
      const bool digits = p && (p->type == Param::Type::int64 || p->type == Param::Type::uint64);
      const bool tagged = seg.text == key.hash_tag;
      if (tagged) out.push_back({Symbol::Type::literal, '{'});
      if (!may_be_empty) out.push_back({Symbol::Type::nonempty_value, 0, digits});  // its first character
      out.push_back({Symbol::Type::value, 0, digits});
      if (tagged) out.push_back({Symbol::Type::literal, '}'});
    }
  }
  return out;
}

// Whether some key of `keys` matches `pattern`: reachability in the product of the two
// automata, state (position in pattern, position in keys).
bool intersects(const std::vector<Symbol>& pattern, const std::vector<Symbol>& keys) {
  std::set<std::pair<std::size_t, std::size_t>> seen;
  std::vector<std::pair<std::size_t, std::size_t>> pending{{0, 0}};
  auto visit = [&](std::size_t i, std::size_t j) {
    if (seen.insert({i, j}).second) pending.emplace_back(i, j);
  };
  while (!pending.empty()) {
    const auto [i, j] = pending.back();
    pending.pop_back();
    if (i == pattern.size() && j == keys.size()) return true;
    const bool p_star = i < pattern.size() && pattern[i].type == Symbol::Type::any_text;
    const bool p_char = i < pattern.size() && !p_star;
    const bool k_value = j < keys.size() && keys[j].type == Symbol::Type::value;
    const bool k_one = j < keys.size() && keys[j].type == Symbol::Type::nonempty_value;
    const bool k_char = j < keys.size() && keys[j].type == Symbol::Type::literal;
    if (p_star) visit(i + 1, j);  // `*` matches the empty string
    if (k_value) visit(i, j + 1);  // the value ends here
    if (p_star && (k_char || k_one)) visit(i, j + 1);
    if (p_char && k_char && pattern[i].c == keys[j].c) visit(i + 1, j + 1);
    if (p_char && k_value && can_produce(keys[j], pattern[i].c)) visit(i + 1, j);
    if (p_char && k_one && can_produce(keys[j], pattern[i].c)) visit(i + 1, j + 1);
  }
  return false;
}

// Whether the literal beginnings of `pattern` and of the keys of `t` already differ: then no key
// of `t` matches, and the automaton need not be built. Most templates of a schema are told
// apart by their namespace or key name this way.
bool literal_prefixes_differ(const std::vector<Symbol>& pattern, const KeyTemplate& t) {
  std::size_t i = 0;
  for (std::size_t s = 0; s < t.segments.size(); ++s) {
    const Segment& seg = t.segments[s];
    if (seg.is_param) return false;
    const std::string_view text = seg.text;
    for (std::size_t c = (s > 0 ? 0 : 1); c <= text.size(); ++c, ++i) {
      // c == 0 stands for the ':' before a segment other than the first.
      const char ch = c == 0 ? ':' : text[c - 1];
      if (i >= pattern.size() || pattern[i].type != Symbol::Type::literal) return false;
      if (pattern[i].c != ch) return true;
    }
  }
  return false;
}

bool may_match(const std::vector<Symbol>& pattern, const KeyTemplate& t, const Key& owner) {
  return !literal_prefixes_differ(pattern, t) && intersects(pattern, symbols(t, owner, false));
}

// The literal text that literal_prefixes_differ compares for `t`: its segments joined by ':' up
// to the first parameter segment.
std::string literal_prefix(const KeyTemplate& t) {
  std::string out;
  for (std::size_t s = 0; s < t.segments.size() && !t.segments[s].is_param; ++s) {
    if (s > 0) out += ':';
    out += t.segments[s].text;
  }
  return out;
}

// The pattern's literal symbols up to its first `*`.
std::string pattern_prefix(const std::vector<Symbol>& pattern) {
  std::string out;
  for (const Symbol& symbol : pattern) {
    if (symbol.type != Symbol::Type::literal) break;
    out += symbol.c;
  }
  return out;
}

}  // namespace

std::string example_key(const Key& key, const Schema& schema) {
  std::string out;
  for (std::size_t i = 0; i < key.key.segments.size(); ++i) {
    const Segment& seg = key.key.segments[i];
    if (i > 0) out += ':';
    if (!seg.is_param) out += seg.text;
    else if (seg.text == key.hash_tag) out += "{" + sample_value(find_param(key, seg.text), schema) + "}";
    else out += sample_value(find_param(key, seg.text), schema);
  }
  if (key.version > 1) out += ":v" + std::to_string(key.version);
  return out;
}

std::string glob_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::string_view("*?[]\\").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string scan_pattern(const KeyTemplate& key_template) {
  std::string out;
  for (std::size_t i = 0; i < key_template.segments.size(); ++i) {
    const Segment& seg = key_template.segments[i];
    if (i > 0) out += ':';
    if (seg.is_param) {
      out += '*';
      continue;
    }
    // The language's literals cannot hold glob characters; escaping keeps the pattern exact even
    // if a later version of the language allows them.
    out += glob_escape(seg.text);
  }
  return out;
}

bool scan_pattern_is_exact(const Key& key, const Schema& schema) {
  const std::vector<Symbol> pattern = symbols(rendered_key_template(key), key, true);
  for (const Namespace& ns : schema.namespaces) {
    // Every template of a valid schema, companions included, starts with its namespace's name
    // as a whole segment (KS0305), so only the key's own namespace can hold keys it matches.
    if (ns.name != key.namespace_name) continue;
    for (const Key& other : ns.keys) {
      // Channels live in the pub/sub namespace of Redis, which SCAN never sees.
      if (other.kind == Kind::channel) continue;
      if (&other != &key && may_match(pattern, rendered_key_template(other), other)) return false;
      for (const CompanionKey& companion : companion_keys(other)) {
        if (may_match(pattern, companion.key, other)) return false;
      }
    }
  }
  return true;
}

ScanExactness::ScanExactness(const Schema& schema, PatternSpace space) {
  for (const Namespace& ns : schema.namespaces) {
    std::vector<Entry>& entries = namespaces_[ns.name];
    for (const Key& other : ns.keys) {
      if ((other.kind == Kind::channel) != (space == PatternSpace::channels)) continue;
      const KeyTemplate& own = templates_.emplace_back(rendered_key_template(other));
      entries.push_back({literal_prefix(own), &own, &other, true});
      for (CompanionKey& companion : companion_keys(other)) {
        const KeyTemplate& t = templates_.emplace_back(std::move(companion.key));
        entries.push_back({literal_prefix(t), &t, &other, false});
      }
    }
  }
  for (auto& [name, entries] : namespaces_) {
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.prefix < b.prefix; });
  }
}

bool ScanExactness::is_exact(const Key& key) const {
  return !matches_other(rendered_key_template(key), key, [&](const Entry& e) { return e.declared && e.owner == &key; });
}

bool ScanExactness::matches_only(const KeyTemplate& key_template, const Key& key,
                                const std::function<bool(const Key&)>& allowed) const {
  return !matches_other(key_template, key, [&](const Entry& e) { return e.owner == &key || allowed(*e.owner); });
}

bool ScanExactness::matches_other(const KeyTemplate& key_template, const Key& key,
                                  const std::function<bool(const Entry&)>& excluded) const {
  const auto ns = namespaces_.find(key.namespace_name);
  if (ns == namespaces_.end()) return false;
  const std::vector<Entry>& entries = ns->second;
  const std::vector<Symbol> pattern = symbols(key_template, key, true);
  const std::string own = pattern_prefix(pattern);
  auto matches = [&](const Entry& e) { return !excluded(e) && may_match(pattern, *e.key_template, *e.owner); };
  auto by_prefix = [](const Entry& e, const std::string& p) { return e.prefix < p; };
  // Templates whose literal beginning is a prefix of the pattern's (the empty one included)...
  for (std::size_t length = 0; length <= own.size(); ++length) {
    const std::string head = own.substr(0, length);
    for (auto it = std::lower_bound(entries.begin(), entries.end(), head, by_prefix);
         it != entries.end() && it->prefix == head; ++it) {
      if (matches(*it)) return true;
    }
  }
  // ...and those whose literal beginning is longer and starts with the pattern's.
  for (auto it = std::upper_bound(entries.begin(), entries.end(), own,
                                  [](const std::string& p, const Entry& e) { return p < e.prefix; });
       it != entries.end() && it->prefix.compare(0, own.size(), own) == 0; ++it) {
    if (matches(*it)) return true;
  }
  return false;
}

}  // namespace keyspace::gen
