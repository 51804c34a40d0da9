#pragma once
// Phase 4, lint: what each kind needs beyond the JSON Schema (TTL that a kind cannot do
// without, a rate limit's window, a session's id parameter, positive lengths).

#include "diag/diagnostics.hpp"
#include "model/model.hpp"

namespace keyspace::gen {

void check_kind_rules(const Key& key, DiagnosticSink& sink);
// Namespace and key names become members of the generated Keyspace and Keys classes, beside the
// members those classes have of their own.
void check_member_names(const Namespace& ns, DiagnosticSink& sink);
// Cache tags are namespace-wide: each tag text is one `invalidate_<tag>` function on the
// namespace, which must not clash with another tag's function or a key of the namespace.
void check_cache_tags(const Namespace& ns, DiagnosticSink& sink);

}  // namespace keyspace::gen
