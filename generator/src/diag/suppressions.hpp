#pragma once
// Suppressions: a YAML comment `# keyspace: ignore[KS0402] reason` (or `ignore[KS0402,KS0501]`)
// accepts the findings with those codes that are reported on the comment's own line. The reason
// is required, so that every accepted finding says why (KS0006 otherwise); an ignore that
// suppresses nothing is reported (KS0007, a warning) so that stale ones do not pile up.
//
// A phase of its own, run on the collected diagnostics after lint and before printing; it reads
// the schema's source text, since the YAML parser drops comments.

#include <string>
#include <vector>

#include "diag/diagnostics.hpp"

namespace keyspace::gen {

struct IgnoreCode {
  std::string code;  // "KS0402"
  int column = 0;    // of the code inside the brackets, 1-based
};

struct IgnoreComment {
  int line = 0;
  int column = 0;               // of the '#'
  std::vector<IgnoreCode> codes;
  std::string reason;           // trimmed; empty when missing
  std::string problem;          // why the comment is malformed; empty when it is well-formed
};

// Every `# keyspace: ignore...` comment of `source`, well-formed or not. A '#' counts as a
// comment only where YAML says so: at the start of a line or after whitespace, outside quotes.
std::vector<IgnoreComment> find_ignore_comments(const std::string& source);

// Removes the diagnostics of `file` that a well-formed ignore comment of `source` suppresses, and
// adds KS0006 for each malformed ignore comment (which suppresses nothing) and, when
// `report_unused`, KS0007 for each code of an ignore comment that matched no diagnostic. The
// caller passes report_unused = false when the schema could not be checked completely (e.g. a
// YAML syntax error): the findings an ignore was written for are then missing.
std::vector<Diagnostic> apply_suppressions(std::vector<Diagnostic> diagnostics, const std::string& file,
                                           const std::string& source, bool report_unused);

}  // namespace keyspace::gen
