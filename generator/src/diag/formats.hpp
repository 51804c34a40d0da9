#pragma once
// The formats `keyspace check --format ...` prints diagnostics in (docs/diagnostic-formats.md):
//
//   text    for people: `file:line:col: error[KS0301]: message`, the source line and a caret,
//           notes the same way; ANSI colors only when asked for (the CLI decides: a TTY, NO_COLOR)
//   json    a stable, versioned document for scripts
//   github  GitHub Actions workflow commands, which become annotations on the pull request
//   sarif   SARIF 2.1.0, for code-scanning dashboards and editors
//
// Rendering is pure: diagnostics (already sorted, suppressed and promoted) in, text out.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diag/diagnostics.hpp"

namespace keyspace::gen {

enum class DiagnosticFormat { text, json, github, sarif };

// "text", "json", "github", "sarif"; nullopt for anything else.
std::optional<DiagnosticFormat> parse_diagnostic_format(std::string_view name);

// The text of each schema file by path, for the source excerpts of the text format. A file that
// is missing here (or a position past its end) is printed without an excerpt.
using SourceFiles = std::map<std::string, std::string>;

struct RenderOptions {
  bool color = false;  // ANSI escapes in the text format; ignored by the other formats
};

std::string render_diagnostics(DiagnosticFormat format, const std::vector<Diagnostic>& diagnostics,
                               const SourceFiles& sources, const RenderOptions& options = {});

std::string render_text(const std::vector<Diagnostic>& diagnostics, const SourceFiles& sources,
                        const RenderOptions& options = {});
std::string render_json(const std::vector<Diagnostic>& diagnostics);
std::string render_github(const std::vector<Diagnostic>& diagnostics);
std::string render_sarif(const std::vector<Diagnostic>& diagnostics);

// The one-line summary of a diagnostic code (SARIF rule descriptions); empty for an unknown code.
std::string_view code_summary(std::string_view code);

}  // namespace keyspace::gen
