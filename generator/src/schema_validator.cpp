#include "schema_validator.hpp"

#include <memory>
#include <regex>
#include <set>
#include <utility>
#include <string>

#include <fmt/format.h>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "diagnostic_codes.hpp"
#include "resources.hpp"

namespace keyspace::gen {
namespace {

const valijson::Schema& language_schema() {
  static const std::unique_ptr<valijson::Schema> schema = [] {
    const auto text = resources().at("schemas/keyspace.schema.json");
    const nlohmann::json json = nlohmann::json::parse(text.begin(), text.end());
    auto s = std::make_unique<valijson::Schema>();
    valijson::SchemaParser parser;
    valijson::adapters::NlohmannJsonAdapter adapter(json);
    parser.populateSchema(adapter, *s);
    return s;
  }();
  return *schema;
}

// valijson describes the failing node as {"<root>", "[namespaces]", "[cache]", "[0]", ...}.
std::string pointer_of(const std::vector<std::string>& context) {
  std::string pointer;
  for (const std::string& part : context) {
    if (part.size() >= 2 && part.front() == '[' && part.back() == ']') {
      pointer = pointer_append(pointer, part.substr(1, part.size() - 2));
    }
  }
  return pointer;
}

// The failing object's path, as the user sees it in the YAML.
std::string display_path(const std::string& pointer) {
  if (pointer.empty()) return "the top level";
  std::string path = pointer.substr(1);
  for (char& c : path) if (c == '/') c = '.';
  return "'" + path + "'";
}

void report(const Document& doc, const valijson::ValidationResults::Error& error, DiagnosticSink& sink) {
  static const std::regex unknown_re("Object contains a property that could not be validated .*: '(.*)'\\.");
  static const std::regex missing_re("Missing required property '(.*)'\\.");
  const std::string pointer = pointer_of(error.context);
  std::smatch m;
  if (std::regex_match(error.description, m, unknown_re)) {
    sink.error(code::kUnknownField, doc.key_loc(pointer_append(pointer, m[1])),
               fmt::format("unknown field '{}' in {}", m[1].str(), display_path(pointer)));
  } else if (std::regex_match(error.description, m, missing_re)) {
    sink.error(code::kMissingField, doc.value_loc(pointer),
               fmt::format("missing required field '{}' in {}", m[1].str(), display_path(pointer)));
  } else {
    sink.error(code::kInvalidValue, doc.value_loc(pointer),
               fmt::format("invalid value at {}: {}", display_path(pointer), error.description));
  }
}

// valijson reports a failing subschema and then each enclosing constraint that failed because of
// it ("Failed to validate against schema associated with property ..."). Only the innermost,
// most specific findings are useful to a reader.
bool is_wrapper(const std::string& description) {
  return description.rfind("Failed to validate against schema associated with property", 0) == 0 ||
         description.rfind("Failed to validate item #", 0) == 0 ||
         description.rfind("Failed to validate against child schema", 0) == 0 ||
         description.rfind("Failed to validate value for property", 0) == 0 ||
         description.rfind("Failed to validate against schema associated with", 0) == 0 ||
         description.rfind("Failed to validate against additional properties schema", 0) == 0;
}

}  // namespace

void validate_document(const Document& doc, DiagnosticSink& sink) {
  valijson::Validator validator;
  valijson::ValidationResults results;
  const nlohmann::json plain = nlohmann::json::parse(doc.root.dump());
  valijson::adapters::NlohmannJsonAdapter target(plain);
  if (validator.validate(language_schema(), target, &results)) return;
  valijson::ValidationResults::Error error;
  std::set<std::pair<std::string, std::string>> reported;  // nested schemas can repeat a finding
  while (results.popError(error)) {
    if (is_wrapper(error.description)) continue;
    if (reported.emplace(pointer_of(error.context), error.description).second) report(doc, error, sink);
  }
}

}  // namespace keyspace::gen
