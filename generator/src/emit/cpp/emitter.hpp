#pragma once
// Phase 5, emit: the model becomes `<name>/keyspace.hpp` and `<name>/keyspace.cpp` through the
// mustache templates in templates/cpp/. Emitters read only the model.

#include <optional>
#include <string>

#include "emit/output.hpp"
#include "model/model.hpp"

namespace keyspace::gen {

struct EmitOptions {
  std::optional<std::string> service;  // generate the view of one service only
  std::string schema_display_path;     // how the banner names the schema file
};

// Requires a schema without errors. A service view keeps only the keys the service owns or
// reads (and the namespaces holding them).
OutputSet emit_cpp(const Schema& schema, const EmitOptions& options);

}  // namespace keyspace::gen
