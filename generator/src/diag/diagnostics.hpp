#pragma once
// Diagnostics are values: every phase appends them to a DiagnosticSink, and the CLI prints them
// all at the end, as `file:line:col: error[KS0301]: message` or in a machine-readable format
// (diag/formats.hpp), after suppressions (diag/suppressions.hpp) and --werror are applied.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "diag/source_loc.hpp"

namespace keyspace::gen {

enum class Severity { error, warning, note };

struct Note {
  SourceLoc loc;
  std::string message;
};

struct Diagnostic {
  Severity severity = Severity::error;
  std::string code;  // stable, e.g. "KS0302"; see diag/codes.hpp and docs/diagnostics.md
  SourceLoc loc;
  std::string message;
  std::vector<Note> notes;  // related locations, e.g. "first declared here"
};

class DiagnosticSink {
 public:
  void error(std::string_view code, SourceLoc loc, std::string message, std::vector<Note> notes = {});
  void warning(std::string_view code, SourceLoc loc, std::string message, std::vector<Note> notes = {});
  void add(Diagnostic d) { diagnostics_.push_back(std::move(d)); }

  bool has_errors() const noexcept;
  const std::vector<Diagnostic>& all() const noexcept { return diagnostics_; }
  // Sorted by file, line, column, then insertion order (stable output).
  std::vector<Diagnostic> sorted() const;

 private:
  std::vector<Diagnostic> diagnostics_;
};

// Orders by file, line, column, then original order, so that every format prints the same order.
void sort_diagnostics(std::vector<Diagnostic>& diagnostics);
// --werror: every warning becomes an error (and so fails the run).
void promote_warnings(std::vector<Diagnostic>& diagnostics);
std::size_t count_severity(const std::vector<Diagnostic>& diagnostics, Severity severity);

const char* severity_name(Severity s);  // "error", "warning", "note"
// `file:line:col` (just `file` when the position is unknown).
std::string format_loc(const SourceLoc& loc);

// `file:line:col: error[CODE]: message`, then one line per note; no source excerpt (the text
// format with excerpts and colors is render_text in diag/formats.hpp).
std::string format_text(const Diagnostic& d);

}  // namespace keyspace::gen
