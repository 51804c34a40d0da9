#include "load/schema_validator.hpp"

#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <utility>
#include <string>

#include <fmt/format.h>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "diag/codes.hpp"
#include "emit/resources.hpp"

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

// The name in a valijson message "<prefix>...<opener>NAME'." (a property name may hold quotes).
std::optional<std::string> quoted_name(const std::string& description, const std::string& prefix,
                                       const std::string& opener) {
  if (description.rfind(prefix, 0) != 0 || description.size() < 2 ||
      description.compare(description.size() - 2, 2, "'.") != 0) {
    return std::nullopt;
  }
  const std::size_t open = description.find(opener, prefix.size());
  if (open == std::string::npos || open + opener.size() > description.size() - 2) return std::nullopt;
  const std::size_t begin = open + opener.size();
  return description.substr(begin, description.size() - 2 - begin);
}

void report(const Document& doc, const valijson::ValidationResults::Error& error, DiagnosticSink& sink) {
  const std::string pointer = pointer_of(error.context);
  if (const auto name = quoted_name(error.description, "Object contains a property that could not be validated ", ": '")) {
    sink.error(code::kUnknownField, doc.key_loc(pointer_append(pointer, *name)),
               fmt::format("unknown field '{}' in {}", *name, display_path(pointer)));
  } else if (const auto field = quoted_name(error.description, "Missing required property", " '")) {
    sink.error(code::kMissingField, doc.value_loc(pointer),
               fmt::format("missing required field '{}' in {}", *field, display_path(pointer)));
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

// valijson reads nlohmann::json, the document is an ordered_json: converted directly, to exactly
// what parsing its dump would give (a non-finite number dumps as null; a parsed integer of zero
// or more is unsigned), without printing and parsing every document.
nlohmann::json plain_json(const nlohmann::ordered_json& value) {
  switch (value.type()) {
    case nlohmann::ordered_json::value_t::object: {
      nlohmann::json out = nlohmann::json::object();
      auto& members = out.get_ref<nlohmann::json::object_t&>();
      for (const auto& [name, member] : value.items()) members.emplace(name, plain_json(member));
      return out;
    }
    case nlohmann::ordered_json::value_t::array: {
      nlohmann::json out = nlohmann::json::array();
      auto& items = out.get_ref<nlohmann::json::array_t&>();
      items.reserve(value.size());
      for (const auto& item : value) items.push_back(plain_json(item));
      return out;
    }
    case nlohmann::ordered_json::value_t::number_integer: {
      const auto v = value.get<std::int64_t>();
      if (v >= 0) return static_cast<std::uint64_t>(v);
      return v;
    }
    case nlohmann::ordered_json::value_t::number_float: {
      const double v = value.get<double>();
      if (!std::isfinite(v)) return nullptr;
      return v;
    }
    case nlohmann::ordered_json::value_t::string: return value.get_ref<const std::string&>();
    case nlohmann::ordered_json::value_t::boolean: return value.get<bool>();
    case nlohmann::ordered_json::value_t::number_unsigned: return value.get<std::uint64_t>();
    default: return nullptr;
  }
}

}  // namespace

void validate_document(const Document& doc, DiagnosticSink& sink) {
  valijson::Validator validator;
  valijson::ValidationResults results;
  const nlohmann::json plain = plain_json(doc.root);
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
