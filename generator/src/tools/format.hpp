#pragma once
// `keyspace fmt`: a schema document rewritten in canonical order and style (docs/fmt.md).
// yaml-cpp does not keep comments, so only the comment lines at the very top of the file (the
// header, e.g. a yaml-language-server modeline) are carried over; a schema with any other comment
// is not formatted at all rather than losing it.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "diag/diagnostics.hpp"
#include "load/document.hpp"

namespace keyspace::gen {

// Lines a formatted line may take, indentation included, before a flow node goes block.
inline constexpr std::size_t kFormatWidth = 100;

// The canonical YAML text of a schema document (without any comment).
std::string format_document(const nlohmann::ordered_json& root);

// Whether `text` must be double-quoted to stay the same string when read back as a plain
// scalar; `in_flow` is true inside `{...}` and `[...]`, where `,[]{}` end a plain scalar.
bool needs_quotes(const std::string& text, bool in_flow);

// `text` as a YAML scalar: plain when that reads back as the same string, else double-quoted.
std::string yaml_string(const std::string& text, bool in_flow);

// The comment lines (and blank lines between them) before the first line of content, verbatim,
// without trailing blank lines; empty when the file does not start with a comment.
std::string header_comments(const std::string& text);

// The first comment of `text` after its header: a `#` that YAML reads as the start of a comment,
// not one inside a quoted or block scalar. `doc` is `text` already parsed.
std::optional<SourceLoc> find_comment(const Document& doc, const std::string& text);

struct FormatResult {
  std::optional<std::string> text;  // the canonical text, when the schema could be formatted
  std::optional<SourceLoc> comment;  // a comment that fmt would lose, when there is one
};

// Checks the schema (every phase up to lint, diagnostics into `sink`) and, when it has no errors
// and no comment outside its header, returns its canonical text.
FormatResult format_schema_text(const std::string& path, const std::string& text, DiagnosticSink& sink);

}  // namespace keyspace::gen
