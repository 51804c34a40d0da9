#pragma once
// Phase 4, lint: warnings (KS06xx) about schema rot — types no key uses, services that touch
// nothing, namespaces nobody owns, undocumented shared keys, cache TTLs too short to help.

#include "diag/diagnostics.hpp"
#include "model/model.hpp"

namespace keyspace::gen {

void check_hygiene(const Schema& schema, DiagnosticSink& sink);

}  // namespace keyspace::gen
