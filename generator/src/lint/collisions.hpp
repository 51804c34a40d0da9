#pragma once
// Phase 4, lint: two key templates that could ever render the same Redis key (KS0309), companion
// keys included. Parameter values are escaped into one segment each, so this is decided exactly,
// segment by segment: a literal matches an equal literal, an integer parameter matches the
// canonical spelling of an integer, an enum parameter its values, a string parameter any
// non-empty text its pattern accepts; a hash-tagged segment `{...}` only another hash-tagged one.

#include "diag/diagnostics.hpp"
#include "model/model.hpp"

namespace keyspace::gen {

void check_collisions(const Schema& schema, DiagnosticSink& sink);

}  // namespace keyspace::gen
