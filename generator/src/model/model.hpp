#pragma once
// The resolved schema: plain structs, every node with its SourceLoc. Built by model_builder from
// the validated document; read (never modified) by lint and the emitters.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "diag/source_loc.hpp"

namespace keyspace::gen {

using Millis = std::chrono::milliseconds;

enum class Kind {
  value, counter, flag, hash, set, sorted_set, list, stream, hyperloglog, presence, geo,
  cache, session, rate_limit, lock, queue, channel,
};
enum class Encoding { json, msgpack };

// A value type expression: `string`, `int64`, `UserProfile`, `list<Role>`, `map<string,T>`.
struct TypeRef {
  enum class Tag { string, bytes, int64, uint64, double_, bool_, timestamp, named, list, map };
  Tag tag = Tag::string;
  std::string name;            // Tag::named: the declared type's name
  std::vector<TypeRef> args;   // Tag::list and Tag::map: exactly one element type
  SourceLoc loc;
};

struct Field {
  std::string name;
  TypeRef type;
  bool optional = false;
  std::string description;
  SourceLoc loc;
};

struct EnumValue {
  std::string name;
  SourceLoc loc;
};

struct TypeDef {
  std::string name;
  std::string description;
  bool is_enum = false;
  std::vector<Field> fields;      // struct
  std::vector<EnumValue> values;  // enum
  SourceLoc loc;
};

struct Param {
  enum class Type { string, int64, uint64, enum_ };
  std::string name;
  Type type = Type::string;
  std::string enum_type;  // Type::enum_
  std::string pattern;    // Type::string, optional (RE2 syntax, whole value, bytes)
  std::size_t max_length = 0;  // Type::string, 0: unbounded
  SourceLoc loc;
};

struct Segment {
  bool is_param = false;
  std::string text;  // literal text, or the parameter's name
  SourceLoc loc;
};

struct KeyTemplate {
  std::string text;
  std::vector<Segment> segments;
  SourceLoc loc;
};

struct Ttl {
  enum class From { key, namespace_default, schema_default, kind };
  std::optional<Millis> value;    // nullopt: persistent (ttl: none) or missing
  bool persistent = false;        // `ttl: none`
  std::string persistent_reason;
  From from = From::key;
  SourceLoc loc;                  // where the effective TTL was written
};

// How a rate limit counts (`limit.algorithm`).
enum class RateLimitAlgorithm { fixed_window, sliding_window, token_bucket };

// What a cache read does when Redis fails or the stored value does not decode (`on_error`).
enum class CacheOnError { throw_error, miss };

struct RateLimit {
  std::int64_t requests = 0;
  Millis per{0};
  RateLimitAlgorithm algorithm = RateLimitAlgorithm::fixed_window;
  std::int64_t burst = 0;
  SourceLoc loc;
};

struct SessionIndex {
  KeyTemplate key;
  std::vector<Param> params;
  std::int64_t max = 0;
  SourceLoc loc;
};

struct Key {
  std::string name;
  std::string namespace_name;
  std::string description;
  Kind kind = Kind::value;
  SourceLoc kind_loc;
  KeyTemplate key;  // for channels: the channel template
  std::vector<Param> params;
  std::optional<TypeRef> value;
  Encoding encoding = Encoding::json;
  Ttl ttl;
  std::string owner;                 // effective (key overrides namespace)
  std::vector<std::string> readers;  // effective
  std::optional<std::string> deprecated;
  std::string hash_tag;
  // Layout version (`version:`, default 1). Above 1 it is folded into the rendered key as a final
  // segment `v<N>`, so entries written under an incompatible earlier layout are never read back.
  int version = 1;
  SourceLoc version_loc;
  // kind-specific
  std::vector<KeyTemplate> tags;            // cache
  CacheOnError on_error = CacheOnError::throw_error;  // cache
  std::optional<int> refresh_ahead;         // cache: percent of the TTL, 1..99
  std::optional<Millis> stale;              // cache: served this long past the TTL while reloading
  std::optional<double> early_refresh_beta; // cache: XFetch's beta (`early_refresh`)
  bool sliding = false;                     // session: reads and touches reset the TTL
  std::optional<RateLimit> limit;           // rate_limit
  std::optional<SessionIndex> index;        // session
  std::optional<std::int64_t> max_length;   // list, stream, queue
  std::optional<Millis> visibility_timeout; // queue
  std::vector<Field> fields;                // hash with named fields
  SourceLoc loc;
};

// A key that a kind creates beside the declared one: a cache's tag sets and load lock, a
// session's index, a lock's fencing counter, a queue's processing list and in-flight index.
// Collision checks, ACLs and docs treat them like declared keys.
struct CompanionKey {
  std::string role;        // e.g. "tag set", "fencing counter"
  std::string redis_type;  // string | list | set | zset | hash
  KeyTemplate key;         // as rendered in Redis (version segment included)
  std::vector<Param> params;
};

struct Namespace {
  std::string name;
  std::string description;
  std::string owner;
  std::vector<std::string> readers;
  std::optional<Millis> ttl_default;
  std::optional<Millis> ttl_max;
  SourceLoc ttl_max_loc;
  std::vector<Key> keys;
  SourceLoc loc;
};

struct Service {
  std::string name;
  std::string description;
  SourceLoc loc;
};

struct KindPolicy {
  std::optional<Millis> max_ttl;
  SourceLoc loc;
};

struct Schema {
  std::string file;  // path as given on the command line
  int version = 1;
  std::string name;
  std::string description;
  std::string cpp_namespace;  // e.g. "shop::redis"; defaults to `name`
  SourceLoc cpp_namespace_loc;  // of `cpp.namespace`, or of `name` when it is the default
  std::vector<std::string> environments;
  std::optional<Millis> default_ttl;
  SourceLoc default_ttl_loc;
  Encoding default_encoding = Encoding::json;
  std::optional<std::size_t> max_key_length;
  SourceLoc max_key_length_loc;
  bool require_descriptions = false;  // policies.require_descriptions: KS0604 on
  std::map<Kind, KindPolicy> kind_policies;
  std::vector<Service> services;
  std::vector<TypeDef> types;
  std::vector<Namespace> namespaces;
  SourceLoc loc;

  const TypeDef* find_type(const std::string& type_name) const;
  const Service* find_service(const std::string& service_name) const;

  // The position of each type in `types` by name (the first of a name) and how many types it
  // covers, built by the builder once the types are read (index_types), so that resolving every
  // type reference of a schema is not quadratic. While it covers every type find_type answers from
  // it; otherwise (a schema built by hand, in tests) it scans `types`.
  std::unordered_map<std::string, std::size_t> type_positions;
  std::size_t indexed_types = 0;
};

// What a service may do with a key: its owner reads and writes, its readers only read.
enum class Access { none, read, read_write };
Access access_of(const Key& key, const std::string& service);
// Whether writers of a key of `kind` may give it a TTL of their own (`set(..., ttl)` of a value
// or a flag).
bool takes_ttl_override(Kind kind);
// The largest TTL an override may set on `key` (value keys' `set(..., ttl)`): the smaller of
// its namespace's `ttl_max` and its kind's policy maximum; nullopt when neither is declared.
std::optional<Millis> max_ttl(const Key& key, const Schema& schema);
// The key template as rendered in Redis: the template, plus a final `v<N>` segment when the key's
// version is above 1 ("cache:user:{id}" with `version: 2` is "cache:user:{id}:v2").
std::string rendered_template(const Key& key);
// The same as a template: `key.key` with the `v<N>` segment appended (SCAN patterns and the
// checks that compare rendered keys read this one).
KeyTemplate rendered_key_template(const Key& key);
// The set of the cache entries tagged `tag` in a namespace: `<namespace>:_tag:<tag>`. Tags are
// namespace-wide: every cache key of the namespace with tag `user:{id}` adds to the one set.
KeyTemplate tag_set_template(const std::string& namespace_name, const KeyTemplate& tag);
// The companion keys of `key`, in a fixed order (see CompanionKey and docs/kinds.md).
std::vector<CompanionKey> companion_keys(const Key& key);

// Fills schema.type_positions from schema.types.
void index_types(Schema& schema);

const char* kind_name(Kind kind);
std::optional<Kind> parse_kind(const std::string& text);
// The schema's spellings: "fixed_window", ...; "throw" and "miss".
const char* algorithm_name(RateLimitAlgorithm algorithm);
std::optional<RateLimitAlgorithm> parse_algorithm(const std::string& text);
const char* on_error_name(CacheOnError on_error);
std::optional<CacheOnError> parse_on_error(const std::string& text);

}  // namespace keyspace::gen
