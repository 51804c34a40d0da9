#pragma once
// What the documentation says about a key template: an example rendered key, and the Redis SCAN
// MATCH pattern of its keys together with whether that pattern is exact.

#include <string>

#include "model.hpp"

namespace keyspace::gen {

// The key rendered with sample values: 42 for integers, "abc" for strings, the first value of
// an enum, in braces for the hash_tag param. The samples need no escaping, so the result is the
// key Redis stores.
std::string example_key(const Key& key, const Schema& schema);

// The SCAN MATCH pattern of the key's template: literal segments as they are (glob characters
// escaped), each parameter segment `*`. Without the runtime "<env>:" prefix.
std::string scan_pattern(const KeyTemplate& key_template);

// A Redis glob `*` also matches ':', so `profile:user:*` matches the keys of
// `profile:user:{id}:settings` too. The pattern of `key` is exact when no other key of the
// schema, and no companion key (a lock's `:_fence`, ...), can render a key it matches; escaped parameter values never hold ':' or glob
// characters, which makes this decidable.
bool scan_pattern_is_exact(const Key& key, const Schema& schema);

}  // namespace keyspace::gen
