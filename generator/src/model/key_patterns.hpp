#pragma once
// What the documentation says about a key template: an example rendered key, and the Redis SCAN
// MATCH pattern of its keys together with whether that pattern is exact.

#include <deque>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"

namespace keyspace::gen {

// The key rendered with sample values: 42 for integers, "abc" for strings, the first value of
// an enum, in braces for the hash_tag param. The samples need no escaping, so the result is the
// key Redis stores.
std::string example_key(const Key& key, const Schema& schema);

// `text` with Redis' glob characters (`* ? [ ] \`) escaped: a pattern matching `text` alone.
std::string glob_escape(std::string_view text);

// The SCAN MATCH pattern of a template as rendered (rendered_key_template for a declared key):
// literal segments as they are (glob characters escaped), each parameter segment `*`. Without
// the runtime "<env>:" prefix.
std::string scan_pattern(const KeyTemplate& key_template);

// A Redis glob `*` also matches ':', so `profile:user:*` matches the keys of
// `profile:user:{id}:settings` too. The pattern of `key` is exact when no other key of the
// schema, and no companion key (a lock's `:_fence`, ...), can render a key it matches; escaped parameter values never hold ':' or glob
// characters, which makes this decidable.
bool scan_pattern_is_exact(const Key& key, const Schema& schema);

// The same decision for many keys of one schema. A pattern can only match templates whose
// literal beginning agrees with its own (one is a prefix of the other), so each pattern is
// checked against those alone, found in a sorted index of each namespace's templates, instead of
// against every template of its namespace: linear, not quadratic, in the keys of a namespace.
// `schema` must outlive the index.
// Keys and pub/sub channels are apart in Redis: a key pattern never matches a channel, so each
// has its own index.
enum class PatternSpace { keys, channels };

class ScanExactness {
 public:
  explicit ScanExactness(const Schema& schema, PatternSpace space = PatternSpace::keys);
  bool is_exact(const Key& key) const;
  // Whether the pattern of `key_template` (`key`'s own or one of its companions') matches keys of
  // `key` and of the other keys `allowed` takes alone (their templates, declared or companion):
  // what an ACL grant needs, `allowed` taking the keys the grant may reach anyway.
  bool matches_only(const KeyTemplate& key_template, const Key& key,
                    const std::function<bool(const Key&)>& allowed) const;

 private:
  struct Entry {
    std::string prefix;  // the template's literal beginning: its segments up to the first parameter
    const KeyTemplate* key_template;
    const Key* owner;
    bool declared;  // the owner's own template, not one of its companions
  };
  bool matches_other(const KeyTemplate& key_template, const Key& key,
                     const std::function<bool(const Entry&)>& excluded) const;

  std::deque<KeyTemplate> templates_;                     // owns the entries' templates (stable addresses)
  std::map<std::string, std::vector<Entry>> namespaces_;  // by namespace name, sorted by prefix
};

}  // namespace keyspace::gen
