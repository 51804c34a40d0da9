#pragma once
// Read access to the document for the model builder. Values of the wrong JSON type read as
// absent: the JSON Schema validation has already reported them, and reporting them again here
// would only repeat the finding.

#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostics.hpp"
#include "load/document.hpp"
#include "model/model.hpp"

namespace keyspace::gen {

struct Node {
  const nlohmann::ordered_json* json = nullptr;  // null when absent
  std::string pointer;

  explicit operator bool() const { return json != nullptr; }
};

class ModelReader {
 public:
  ModelReader(const Document& doc, DiagnosticSink& sink) : doc_(doc), sink_(sink) {}

  Node root() const { return {&doc_.root, ""}; }
  Node child(const Node& parent, const std::string& name) const;
  // Members of an object node, in document order.
  std::vector<std::pair<std::string, Node>> members(const Node& object) const;
  std::vector<Node> items(const Node& array) const;

  std::optional<std::string> string(const Node& parent, const std::string& name) const;
  std::optional<std::int64_t> integer(const Node& parent, const std::string& name) const;
  std::optional<bool> boolean(const Node& parent, const std::string& name) const;
  std::vector<std::string> strings(const Node& parent, const std::string& name) const;
  // A duration field; reports KS0501 when it is a string but not a duration. `allow_none`
  // accepts "none" and returns nullopt with *is_none set.
  std::optional<Millis> duration(const Node& parent, const std::string& name, bool* is_none = nullptr) const;

  SourceLoc value_loc(const Node& n) const { return doc_.value_loc(n.pointer); }
  SourceLoc key_loc(const Node& n) const { return doc_.key_loc(n.pointer); }
  // Location of the first character of a scalar's text (after an opening quote).
  SourceLoc text_loc(const Node& n) const;

  // Reports KS0201 unless `name` is lower_snake (or UpperCamel when `upper` is set).
  void check_name(const Node& n, const std::string& name, const char* what, bool upper = false) const;

  DiagnosticSink& sink() const { return sink_; }
  const Document& doc() const { return doc_; }

 private:
  const Document& doc_;
  DiagnosticSink& sink_;
};

// `encoding:` of `parent`, or `fallback` when absent.
Encoding read_encoding(const ModelReader& r, const Node& parent, Encoding fallback);
// Reports KS0402 unless the string at `node` names a declared service.
void check_service_ref(const ModelReader& r, const Node& node, const Schema& s);
// Parses a `params:` mapping (shared by keys and session indexes).
// A struct field or hash field: a type expression, or {type, optional, description}.
Field read_field(const ModelReader& r, const std::string& name, const Node& node);
std::vector<Param> read_params(const ModelReader& r, const Node& params_node, const Schema& s);
// Reads a key of a namespace (everything but TTL policy checks, which lint does).
Key read_key(const ModelReader& r, const Node& key_node, const std::string& key_name, const Namespace& ns,
             const Schema& schema);

}  // namespace keyspace::gen
