// One-line summaries of the diagnostic codes of diag/codes.hpp, as the headings of
// docs/diagnostics.md say them. SARIF consumers show them as rule descriptions. A test
// (tests/cli, check_code_summaries) fails when a code of diag/codes.hpp has none here.
// Codes are spelled as literals here so that this table does not depend on the constants'
// names, only on the stable codes.
#include <algorithm>
#include <iterator>
#include <utility>

#include "diag/formats.hpp"

namespace keyspace::gen {
namespace {

constexpr std::pair<std::string_view, std::string_view> kSummaries[] = {
    // Reading the file
    {"KS0001", "cannot read the schema"},
    {"KS0002", "not a text file (NUL byte or invalid UTF-8)"},
    {"KS0003", "YAML syntax error"},
    {"KS0004", "empty schema"},
    {"KS0005", "duplicate key"},
    {"KS0006", "ignore comment without a reason, or with a malformed code list"},
    {"KS0007", "ignore comment that suppresses nothing"},
    {"KS0008", "input above a limit (file size, nesting depth or node count)"},
    // Shape
    {"KS0101", "unknown field"},
    {"KS0102", "missing required field"},
    {"KS0103", "invalid value"},
    {"KS0104", "unsupported language version"},
    // Names
    {"KS0201", "bad name (wrong case or characters)"},
    {"KS0202", "reserved name (clashes with generated C++)"},
    {"KS0203", "bad C++ namespace"},
    // Key templates
    {"KS0301", "key template syntax error"},
    {"KS0302", "placeholder not declared in params"},
    {"KS0303", "parameter not used in the template"},
    {"KS0304", "bad literal segment in a key template"},
    {"KS0305", "first template segment is not the namespace"},
    {"KS0306", "repeated placeholder in a key template"},
    {"KS0307", "hash_tag names no parameter of the key"},
    {"KS0308", "parameter pattern is not a valid regular expression"},
    {"KS0309", "two key templates can render the same key"},
    {"KS0310", "key too long"},
    {"KS0311", "keys cannot share a cluster slot"},
    // References and kinds
    {"KS0401", "unknown type"},
    {"KS0402", "unknown service"},
    {"KS0403", "unknown kind"},
    {"KS0405", "field not allowed for the kind"},
    {"KS0406", "bad parameter type"},
    {"KS0407", "bad value type"},
    {"KS0408", "recursive type"},
    {"KS0409", "missing value type"},
    {"KS0410", "duplicate enum value"},
    {"KS0411", "bad kind setting"},
    {"KS0412", "two tags share one invalidate function"},
    // TTLs
    {"KS0501", "bad duration"},
    {"KS0502", "missing TTL"},
    {"KS0503", "TTL above the maximum"},
    {"KS0504", "TTL and persistent_reason together"},
    {"KS0505", "TTL shorter than the rate-limit window"},
    {"KS0506", "kind needs a TTL (lock, cache, session)"},
    {"KS0507", "blank persistent_reason"},
    // Hygiene (warnings)
    {"KS0601", "unused type"},
    {"KS0602", "service touches nothing"},
    {"KS0603", "namespace without owner"},
    {"KS0604", "missing description"},
    {"KS0605", "very short cache TTL"},
    {"KS0701", "no exact ACL pattern"},
    {"KS0702", "ACL degraded for an older Redis"},
    {"KS0703", "ACL password variables clash"},
    // Retired codes keep their summary: old SARIF logs still name them.
    {"KS0404", "retired: kind not emitted yet"},
};

}  // namespace

std::string_view code_summary(std::string_view code) {
  const auto it = std::find_if(std::begin(kSummaries), std::end(kSummaries),
                               [code](const auto& entry) { return entry.first == code; });
  return it == std::end(kSummaries) ? std::string_view() : it->second;
}

}  // namespace keyspace::gen
