#pragma once
// Phase 3, model: the validated document becomes a Schema of plain structs. Names are checked
// and references (types, services, params, placeholders) resolved; each problem is a diagnostic
// at its source location, and building continues so that one run reports everything.

#include "diag/diagnostics.hpp"
#include "load/document.hpp"
#include "model/model.hpp"

namespace keyspace::gen {

Schema build_model(const Document& doc, DiagnosticSink& sink);

}  // namespace keyspace::gen
