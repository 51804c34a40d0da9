#pragma once
// Phase 5, emit: the model becomes keyspace documentation through the templates in
// templates/docs/: Markdown for the repository (index.md with the access matrix and a Mermaid
// diagram, one <namespace>.md per namespace, types.md) and one self-contained index.html with a
// search box. Emitters read only the model.

#include <string>

#include "emit/output.hpp"
#include "model/model.hpp"

namespace keyspace::gen {

// Requires a schema without errors. `schema_display_path` is how the banner names the schema.
OutputSet emit_docs(const Schema& schema, const std::string& schema_display_path);

}  // namespace keyspace::gen
