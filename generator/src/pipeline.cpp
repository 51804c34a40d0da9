#include "pipeline.hpp"

#include "emit/cpp/validate.hpp"
#include "lint/lint.hpp"
#include "load/document.hpp"
#include "load/schema_validator.hpp"
#include "model/builder.hpp"

namespace keyspace::gen {
namespace {

std::optional<Schema> check_document(const std::optional<Document>& doc, DiagnosticSink& sink) {
  if (!doc) return std::nullopt;
  validate_document(*doc, sink);
  Schema schema = build_model(*doc, sink);
  validate_cpp(schema, sink);
  check_structural_rules(schema, sink);
  return schema;
}

}  // namespace

std::optional<Schema> load_schema(const std::string& path, DiagnosticSink& sink) {
  return check_document(load_document(path, sink), sink);
}

std::optional<Schema> load_schema_text(const std::string& path, const std::string& text, DiagnosticSink& sink) {
  return check_document(parse_document(path, text, sink), sink);
}

}  // namespace keyspace::gen
