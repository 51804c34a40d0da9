#include "diag/diagnostics.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

namespace keyspace::gen {

void DiagnosticSink::error(std::string_view code, SourceLoc loc, std::string message, std::vector<Note> notes) {
  diagnostics_.push_back({Severity::error, std::string(code), std::move(loc), std::move(message), std::move(notes)});
}

void DiagnosticSink::warning(std::string_view code, SourceLoc loc, std::string message, std::vector<Note> notes) {
  diagnostics_.push_back({Severity::warning, std::string(code), std::move(loc), std::move(message), std::move(notes)});
}

bool DiagnosticSink::has_errors() const noexcept {
  return std::any_of(diagnostics_.begin(), diagnostics_.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::error; });
}

std::vector<Diagnostic> DiagnosticSink::sorted() const {
  std::vector<Diagnostic> out = diagnostics_;
  sort_diagnostics(out);
  return out;
}

void sort_diagnostics(std::vector<Diagnostic>& diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.loc.file, a.loc.line, a.loc.column) < std::tie(b.loc.file, b.loc.line, b.loc.column);
  });
}

void promote_warnings(std::vector<Diagnostic>& diagnostics) {
  for (Diagnostic& d : diagnostics) {
    if (d.severity == Severity::warning) d.severity = Severity::error;
  }
}

std::size_t count_severity(const std::vector<Diagnostic>& diagnostics, Severity severity) {
  return static_cast<std::size_t>(std::count_if(diagnostics.begin(), diagnostics.end(),
                                                [severity](const Diagnostic& d) { return d.severity == severity; }));
}

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::note: return "note";
  }
  return "error";
}

std::string format_loc(const SourceLoc& loc) {
  if (loc.line <= 0) return loc.file;
  return fmt::format("{}:{}:{}", loc.file, loc.line, loc.column);
}

std::string format_text(const Diagnostic& d) {
  std::string out = fmt::format("{}: {}[{}]: {}\n", format_loc(d.loc), severity_name(d.severity), d.code, d.message);
  for (const Note& n : d.notes) out += fmt::format("{}: note: {}\n", format_loc(n.loc), n.message);
  return out;
}

}  // namespace keyspace::gen
