#pragma once
// Phase 4, lint: the schema's policies over whole keys — the longest key a template can render
// (KS0310) and keys that a cluster cannot keep in one slot (KS0311).

#include "diag/diagnostics.hpp"
#include "model/model.hpp"

namespace keyspace::gen {

void check_policy_rules(const Schema& schema, DiagnosticSink& sink);

}  // namespace keyspace::gen
