#pragma once
// Key templates: `cache:user:{user_id}:profile`. Segments are separated by ':'; a segment is
// either a literal `[a-z0-9][a-z0-9_-]*` or one whole placeholder `{name}`.

#include <string>
#include <vector>

#include "diag/diagnostics.hpp"
#include "model/model.hpp"

namespace keyspace::gen {

// Parses `text`, whose first character is at `loc`. Syntax errors (KS0301), bad literals
// (KS0304) and repeated placeholders (KS0306) are reported at the offending segment.
KeyTemplate parse_key_template(const std::string& text, const SourceLoc& loc, DiagnosticSink& sink);

// True when `text` is a valid literal segment.
bool is_literal_segment(const std::string& text);

}  // namespace keyspace::gen
