// validate_sarif SCHEMA LOG: validates a SARIF log (the output of `keyspace check --format sarif`)
// against the official SARIF 2.1.0 JSON Schema (draft-04) with valijson. Exit 0 when valid, 1
// with every violation printed otherwise, 2 on unreadable input.
//
// valijson checks every keyword of that schema except `format: uri` / `uri-reference` (it checks
// only the date and time formats), so the URI-valued properties are checked here as well.
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

namespace {

nlohmann::json read_json(const char* path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(std::string("cannot read ") + path);
  std::ostringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

std::string context_of(const valijson::ValidationResults::Error& error) {
  std::string out;
  for (const std::string& part : error.context) out += part;
  return out;
}

// RFC 3986: a URI reference uses only these characters, and '%' starts a two-digit hex escape.
// An absolute URI (the `format: uri` properties) also starts with a scheme.
bool is_uri(const std::string& s, bool absolute) {
  static const std::regex reference_re(R"(([A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*)");
  static const std::regex scheme_re("[A-Za-z][A-Za-z0-9+.-]*:.*");
  return std::regex_match(s, reference_re) && (!absolute || std::regex_match(s, scheme_re));
}

// The properties of SARIF that keyspace writes with a URI format: `$schema` (uri) and every
// `uri` (artifactLocation.uri, uri-reference).
int check_uris(const nlohmann::json& node, const std::string& where) {
  int bad = 0;
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      const bool uri_key = key == "uri" || key == "$schema";
      if (uri_key && value.is_string() && !is_uri(value.get<std::string>(), key == "$schema")) {
        std::cerr << where << "[" << key << "]: not a valid URI: " << value << '\n';
        ++bad;
      }
      bad += check_uris(value, where + "[" + key + "]");
    }
  } else if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i) bad += check_uris(node[i], where + "[" + std::to_string(i) + "]");
  }
  return bad;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: validate_sarif SCHEMA LOG\n";
    return 2;
  }
  nlohmann::json schema_json, log;
  try {
    schema_json = read_json(argv[1]);
    log = read_json(argv[2]);
  } catch (const std::exception& e) {
    std::cerr << "validate_sarif: " << e.what() << '\n';
    return 2;
  }
  // The SARIF schema declares draft-04 ("id", not "$id"); its $refs are all local (#/definitions).
  valijson::Schema schema;
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft4);
  valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_json);
  parser.populateSchema(schema_adapter, schema);

  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter log_adapter(log);
  const bool uris_ok = check_uris(log, "<root>") == 0;
  if (validator.validate(schema, log_adapter, &results) && uris_ok) {
    std::cout << argv[2] << ": valid SARIF 2.1.0\n";
    return 0;
  }
  valijson::ValidationResults::Error error;
  while (results.popError(error)) std::cerr << context_of(error) << ": " << error.description << '\n';
  return 1;
}
