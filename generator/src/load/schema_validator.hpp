#pragma once
// Phase 2, validate: the document is checked against schemas/keyspace.schema.json (the JSON
// Schema of the language, compiled into the generator) with valijson; each violation becomes a
// diagnostic at the YAML line:col of the offending node.

#include "diag/diagnostics.hpp"
#include "load/document.hpp"

namespace keyspace::gen {

void validate_document(const Document& doc, DiagnosticSink& sink);

}  // namespace keyspace::gen
