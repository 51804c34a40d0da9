#pragma once
// Phase 4, lint: rules over the resolved model (TTL bounds, kind rules).

#include "diag/diagnostics.hpp"
#include "model/model.hpp"

namespace keyspace::gen {

void check_structural_rules(const Schema& schema, DiagnosticSink& sink);

}  // namespace keyspace::gen
