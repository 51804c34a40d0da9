// The SARIF 2.1.0 format: one run of the tool `keyspace`, one rule per diagnostic code that the run
// reports, one result per diagnostic, notes as related locations. The output is checked against
// the official SARIF 2.1.0 JSON Schema in tests/cli.
#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "diag/formats.hpp"

namespace keyspace::gen {
namespace {

using Json = nlohmann::ordered_json;

const char* sarif_level(Severity s) {
  switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::note: return "note";
  }
  return "error";
}

// artifactLocation.uri must be a URI reference: a relative path stays relative (SARIF viewers
// resolve it against the checkout), an absolute one becomes a file:// URI; bytes outside the
// unreserved set are percent-encoded.
std::string path_to_uri(const std::string& path) {
  std::string out = !path.empty() && path.front() == '/' ? "file://" : "";
  for (char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += c;
    } else {
      out += fmt::format("%{:02X}", byte);
    }
  }
  return out;
}

Json physical_location(const SourceLoc& loc) {
  Json physical = {{"artifactLocation", {{"uri", path_to_uri(loc.file)}}}};
  if (loc.line > 0) physical["region"] = {{"startLine", loc.line}, {"startColumn", std::max(loc.column, 1)}};
  return physical;
}

Json rule(const std::string& code) {
  const std::string_view summary = code_summary(code);
  return {{"id", code}, {"shortDescription", {{"text", summary.empty() ? code : std::string(summary)}}}};
}

Json result(const Diagnostic& d, const std::vector<std::string>& rule_ids) {
  Json r = {{"ruleId", d.code}};
  const auto index = std::find(rule_ids.begin(), rule_ids.end(), d.code);
  if (index != rule_ids.end()) r["ruleIndex"] = index - rule_ids.begin();
  r["level"] = sarif_level(d.severity);
  r["message"] = {{"text", d.message}};
  r["locations"] = Json::array({{{"physicalLocation", physical_location(d.loc)}}});
  if (!d.notes.empty()) {
    Json related = Json::array();
    int id = 0;
    for (const Note& n : d.notes) {
      related.push_back({{"id", id++}, {"physicalLocation", physical_location(n.loc)}, {"message", {{"text", n.message}}}});
    }
    r["relatedLocations"] = std::move(related);
  }
  return r;
}

}  // namespace

std::string render_sarif(const std::vector<Diagnostic>& diagnostics) {
  std::set<std::string> codes;
  for (const Diagnostic& d : diagnostics) codes.insert(d.code);
  const std::vector<std::string> rule_ids(codes.begin(), codes.end());
  Json rules = Json::array();
  for (const std::string& code : rule_ids) rules.push_back(rule(code));
  Json results = Json::array();
  for (const Diagnostic& d : diagnostics) results.push_back(result(d, rule_ids));
  const Json driver = {{"name", "keyspace"}, {"version", KEYSPACE_VERSION}, {"rules", std::move(rules)}};
  const Json run = {{"tool", {{"driver", driver}}}, {"results", std::move(results)}};
  const Json log = {{"$schema", "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"},
                    {"version", "2.1.0"},
                    {"runs", Json::array({run})}};
  return log.dump(2) + "\n";
}

}  // namespace keyspace::gen
