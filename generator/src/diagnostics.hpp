#pragma once
// Diagnostics are values: every phase appends them to a DiagnosticSink, and the CLI prints them
// all at the end, as `file:line:col: error[KS0301]: message`.

#include <string>
#include <string_view>
#include <vector>

#include "source_loc.hpp"

namespace keyspace::gen {

enum class Severity { error, warning, note };

struct Note {
  SourceLoc loc;
  std::string message;
};

struct Diagnostic {
  Severity severity = Severity::error;
  std::string code;  // stable, e.g. "KS0302"; see diagnostic_codes.hpp and docs/diagnostics.md
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

// `file:line:col: error[CODE]: message`, then one line per note.
std::string format_text(const Diagnostic& d);

}  // namespace keyspace::gen
