#pragma once
// Phase 1, load: a YAML file becomes a JSON document plus a table of source marks, so that later
// phases (JSON Schema validation, model building) can report every finding at its line:col.
// Reading problems (I/O, binary data, YAML syntax, duplicate keys) are diagnostics, never
// exceptions.

#include <optional>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "diag/diagnostics.hpp"

namespace keyspace::gen {

// A line:col in the document's file (1-based; 0 when unknown). The file is the document's, so
// a mark does not carry its own copy of the path.
struct Position {
  int line = 0;
  int column = 0;
};

struct NodeMarks {
  Position key;         // the mapping key naming the node (the value's own mark otherwise)
  Position value;       // the node itself
  bool quoted = false;  // a quoted scalar: its text starts one column after `value`
};

struct Document {
  std::string file;
  nlohmann::ordered_json root;
  std::unordered_map<std::string, NodeMarks> marks;  // by JSON pointer; "" is the root

  // Marks of the node at `pointer`, or of its closest ancestor that has marks.
  const NodeMarks& marks_of(const std::string& pointer) const;
  SourceLoc loc(Position pos) const { return {file, pos.line, pos.column}; }
  SourceLoc value_loc(const std::string& pointer) const { return loc(marks_of(pointer).value); }
  SourceLoc key_loc(const std::string& pointer) const { return loc(marks_of(pointer).key); }
};

// Appends one reference token to a JSON pointer, escaping '~' and '/'.
std::string pointer_append(const std::string& pointer, const std::string& token);

// The text of the schema file at `path`, or nullopt after reporting why it cannot be read
// (KS0001). Callers that need the source text too (source excerpts, `# keyspace: ignore`
// comments) read it once with this and parse it with parse_document.
std::optional<std::string> read_schema_file(const std::string& path, DiagnosticSink& sink);
// Reads and parses `path`. Returns nullopt (with diagnostics) when there is no document to check.
std::optional<Document> load_document(const std::string& path, DiagnosticSink& sink);
// Same, for text already in memory (tests); `path` is used in locations only.
std::optional<Document> parse_document(const std::string& path, const std::string& text, DiagnosticSink& sink);

}  // namespace keyspace::gen
