#pragma once
// `keyspace export`: the resolved model as stable JSON for other tools. The format is versioned
// and documented in docs/export.md; object keys keep a fixed order so that output diffs well.

#include <nlohmann/json.hpp>

#include "model/model.hpp"

namespace keyspace::gen {

inline constexpr int kExportFormatVersion = 1;

// {"format": "keyspace-model", "version": 1, "schema": {...}}. Requires a schema without errors.
nlohmann::ordered_json export_model(const Schema& schema);

}  // namespace keyspace::gen
