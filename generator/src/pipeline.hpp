#pragma once
// The phases in order: load -> validate -> model -> C++ names (emit/cpp/validate) -> lint. Each phase reports into the sink; the
// model is returned only when there is one to lint or emit.

#include <optional>
#include <string>

#include "diag/diagnostics.hpp"
#include "model/model.hpp"

namespace keyspace::gen {

// Runs every phase up to lint on the schema file at `path`. The result is nullopt when the file
// could not be read as a document at all; otherwise check sink.has_errors() before emitting.
std::optional<Schema> load_schema(const std::string& path, DiagnosticSink& sink);
// Same, for schema text already in memory (tests).
std::optional<Schema> load_schema_text(const std::string& path, const std::string& text, DiagnosticSink& sink);

}  // namespace keyspace::gen
