#pragma once
// Phase 4, lint: what each kind needs beyond the JSON Schema (TTL that a kind cannot do
// without, a rate limit's window, a session's id parameter, positive lengths).

#include "diag/diagnostics.hpp"
#include "model/model.hpp"

namespace keyspace::gen {

void check_kind_rules(const Key& key, DiagnosticSink& sink);

}  // namespace keyspace::gen
