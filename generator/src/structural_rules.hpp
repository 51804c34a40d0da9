#pragma once
// Phase 4, lint: rules over the resolved model (TTL bounds, what this generator can emit).

#include "diagnostics.hpp"
#include "model.hpp"

namespace keyspace::gen {

// Kinds the C++ emitter generates accessors for.
bool kind_is_emitted(Kind kind);

void check_structural_rules(const Schema& schema, DiagnosticSink& sink);

}  // namespace keyspace::gen
