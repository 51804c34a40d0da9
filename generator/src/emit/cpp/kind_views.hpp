#pragma once
// View data of the kinds, for the C++ emitter. emit/cpp/emitter.cpp builds the view every accessor
// shares (class_name, spec, params, params_comma, args, key_calls, value_type, codec); each kind
// adds its own entries here, and its operations render from templates/cpp/kind_<kind>.hpp.mustache
// (declarations inside the accessor class) and kind_<kind>.cpp.mustache (their definitions in
// keyspace.cpp). Kinds with namespace-wide operations (cache tags) add members to the namespace's
// `Keys` class (`tag_functions`).

#include <optional>
#include <string>
#include <vector>

#include "emit/render.hpp"
#include "model/model.hpp"

namespace keyspace::gen {

// Adds the entries of `key`'s kind to its accessor view.
void add_kind_view(const Key& key, const Schema& schema, mstch::data& view);
// Adds namespace-wide operations (`tag_functions`) for the keys in the view of `service`.
void add_namespace_view(const Namespace& ns, const std::vector<const Key*>& keys, const Schema& schema,
                        const std::optional<std::string>& service, mstch::data& view);

// One function per kind family, each in its own cpp_view_<family>.cpp.
void add_cache_view(const Key& key, const Schema& schema, mstch::data& view);
void add_collection_view(const Key& key, const Schema& schema, mstch::data& view);  // hash, set, sorted_set, list, stream
void add_lock_view(const Key& key, const Schema& schema, mstch::data& view);
void add_session_view(const Key& key, const Schema& schema, mstch::data& view);
void add_rate_limit_view(const Key& key, const Schema& schema, mstch::data& view);
void add_messaging_view(const Key& key, const Schema& schema, mstch::data& view);  // queue, channel
// Tags, of any kind (views/tags.cpp): the accessor's tag sets, and the namespace's `tag_functions`.
void add_tags_view(const Key& key, const Schema& schema, mstch::data& view);
void add_tag_functions_view(const Namespace& ns, const std::vector<const Key*>& keys, const Schema& schema,
                            const std::optional<std::string>& service, mstch::data& view);

// Shared helpers (emit/cpp/emitter.cpp).
std::string cpp_string_literal(const std::string& text);
// Who writes `key`, as the read-only stubs name it: "service <owner>", or that no service does.
std::string writer_text(const Key& key);
// A string parameter's rule as the templates render it (`name`, `ident`, `pattern_literal`, `max_length`).
mstch::data string_rule_view(const Param& p);
// The parameter as a C++ declaration: `::keyspace::Int64Param user_id`, `::keyspace::StringParam ip`,
// `::ns::Role role` (see runtime params.hpp: a wrong argument type is a compile error naming the rule).
std::string param_decl(const Param& p, const Schema& schema);
// The KeyBuilder calls rendering template `t` (a version above 1 appends `:v<N>`): literal runs
// are merged, so "cache:user:{id}:profile" becomes .literal("cache:user:").param(id).literal(":profile").
// String params use the StringRule that `string_rule` formats from the param's identifier
// (`<name>_rule()` by default), enum params `to_string`. The segment of param `hash_tag` is
// wrapped in braces, `{42}`, so that Redis Cluster hashes only it (escaping keeps braces out of
// every other segment). The segments of params from position `given_params` of `params` on are
// `*`: the calls then render the SCAN pattern of the keys whose first `given_params` parameters
// are those given (escaped values hold no glob characters).
std::string key_builder_calls(const KeyTemplate& t, const std::vector<Param>& params, int version,
                              const Schema& schema, const std::string& hash_tag = "",
                              const char* string_rule = "{}_rule()", std::size_t given_params = SIZE_MAX);

}  // namespace keyspace::gen
