// The text, json and github formats (SARIF is in diag/formats_sarif.cpp).
#include "diag/formats.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>
#include <fmt/format.h>

#include "diag/printable.hpp"

namespace keyspace::gen {
namespace {

// ANSI SGR sequences; the text format uses them only when RenderOptions::color is set.
constexpr const char* kReset = "\x1b[0m";
constexpr const char* kBold = "\x1b[1m";
constexpr const char* kBoldRed = "\x1b[1;31m";
constexpr const char* kBoldYellow = "\x1b[1;33m";
constexpr const char* kBoldCyan = "\x1b[1;36m";

const char* severity_color(Severity s) {
  switch (s) {
    case Severity::error: return kBoldRed;
    case Severity::warning: return kBoldYellow;
    case Severity::note: return kBoldCyan;
  }
  return kBoldRed;
}

class Painter {
 public:
  explicit Painter(bool color) : color_(color) {}
  std::string operator()(const char* style, std::string_view text) const {
    if (!color_) return std::string(text);
    return fmt::format("{}{}{}", style, text, kReset);
  }

 private:
  bool color_;
};

// Where each line of each source file starts, computed once per file: a run can report many
// findings in a large file, and each excerpt must not rescan the text from its start.
class LineIndex {
 public:
  explicit LineIndex(const SourceFiles& sources) : sources_(sources) {}

  // Line `line` (1-based) of `file`, without its line break; nullopt when unknown.
  std::optional<std::string_view> line(const std::string& file, int line) {
    const auto source = sources_.find(file);
    if (source == sources_.end() || line <= 0) return std::nullopt;
    const std::string_view text(source->second);
    const std::vector<std::size_t>& starts = starts_of(file, text);
    if (static_cast<std::size_t>(line) > starts.size()) return std::nullopt;
    const std::size_t begin = starts[static_cast<std::size_t>(line) - 1];
    if (begin >= text.size()) return std::nullopt;
    std::size_t end = std::min(text.find('\n', begin), text.size());
    if (end > begin && text[end - 1] == '\r') --end;
    return text.substr(begin, end - begin);
  }

 private:
  const std::vector<std::size_t>& starts_of(const std::string& file, std::string_view text) {
    auto [it, inserted] = starts_.try_emplace(file);
    if (inserted) {
      it->second.push_back(0);
      for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n') it->second.push_back(i + 1);
      }
    }
    return it->second;
  }

  const SourceFiles& sources_;
  std::map<std::string, std::vector<std::size_t>> starts_;
};

// Spaces up to the byte column `column`, copying tabs so that the caret lines up under the same
// terminal column as the source text; a multi-byte UTF-8 character takes one cell.
std::string caret_padding(std::string_view line, int column) {
  std::string pad;
  for (std::size_t i = 0; i + 1 < static_cast<std::size_t>(column); ++i) {
    if (i >= line.size()) {
      pad += ' ';
    } else if (line[i] == '\t') {
      pad += '\t';
    } else if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) {
      pad += ' ';  // continuation bytes of a UTF-8 sequence take no cell of their own
    }
  }
  return pad;
}

// A long line is shown as the part around the column, with `...` where it was cut; `column`
// becomes the column within what is shown. Cuts fall on UTF-8 character starts.
std::string_view shown_part(std::string_view line, int& column, std::string& before, std::string& after) {
  constexpr std::size_t kMaxShown = 160, kContext = 60;
  if (line.size() <= kMaxShown) return line;
  const auto char_start = [&](std::size_t i) {
    while (i > 0 && i < line.size() && (static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) --i;
    return std::min(i, line.size());
  };
  const std::size_t at = static_cast<std::size_t>(std::max(column, 1) - 1);
  const std::size_t from = char_start(at > kContext ? at - kContext : 0);
  const std::size_t to = char_start(std::min(line.size(), from + kMaxShown));
  if (from > 0) before = "...";
  if (to < line.size()) after = "...";
  column = static_cast<int>(at - from + before.size() + 1);
  return line.substr(from, to - from);
}

// ` 14 |     owner: users` and `    |            ^` (nothing when the line is not known).
std::string excerpt(const SourceLoc& loc, Severity severity, LineIndex& lines, const Painter& paint) {
  const std::optional<std::string_view> line = lines.line(loc.file, loc.line);
  if (!line) return "";
  const std::string number = std::to_string(loc.line);
  const std::string gutter(number.size(), ' ');
  const std::string caret = paint(severity_color(severity), "^");
  int column = loc.column;
  std::string before, after;
  const std::string_view part = shown_part(*line, column, before, after);
  std::string text = before + std::string(part) + after;
  // Control bytes of the source line shown as '?', one byte each so that the caret lines up.
  for (char& c : text) {
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) c = '?';
  }
  return fmt::format(" {} | {}\n {} | {}{}\n", number, text, gutter, caret_padding(text, std::max(column, 1)), caret);
}

std::string text_header(const SourceLoc& loc, Severity severity, std::string_view code, std::string_view message,
                        const Painter& paint) {
  const std::string label = code.empty() ? severity_name(severity) : fmt::format("{}[{}]", severity_name(severity), code);
  return fmt::format("{}{}{}\n", paint(kBold, printable(format_loc(loc)) + ": "), paint(severity_color(severity), label),
                     paint(kBold, fmt::format(": {}", printable(message))));
}

nlohmann::ordered_json json_position(const SourceLoc& loc) {
  if (loc.line <= 0) return nullptr;
  return loc.line;
}

nlohmann::ordered_json json_column(const SourceLoc& loc) {
  if (loc.line <= 0) return nullptr;
  return loc.column;
}

nlohmann::ordered_json json_diagnostic(const Diagnostic& d) {
  nlohmann::ordered_json notes = nlohmann::ordered_json::array();
  for (const Note& n : d.notes) {
    notes.push_back({{"file", n.loc.file}, {"line", json_position(n.loc)}, {"column", json_column(n.loc)},
                     {"message", n.message}});
  }
  return {{"severity", severity_name(d.severity)}, {"code", d.code},         {"message", d.message},
          {"file", d.loc.file},                    {"line", json_position(d.loc)}, {"column", json_column(d.loc)},
          {"notes", std::move(notes)}};
}

// GitHub's workflow-command escaping (the data after `::`): '%', CR and LF.
std::string escape_github_data(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out += c;
  }
  return out;
}

// Property values (`file=...`) also escape the separators ':' and ','.
std::string escape_github_property(std::string_view text) {
  std::string out;
  for (char c : escape_github_data(text)) {
    if (c == ':') out += "%3A";
    else if (c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

const char* github_command(Severity s) {
  switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::note: return "notice";
  }
  return "error";
}

}  // namespace

std::optional<DiagnosticFormat> parse_diagnostic_format(std::string_view name) {
  if (name == "text") return DiagnosticFormat::text;
  if (name == "json") return DiagnosticFormat::json;
  if (name == "github") return DiagnosticFormat::github;
  if (name == "sarif") return DiagnosticFormat::sarif;
  return std::nullopt;
}

std::string render_diagnostics(DiagnosticFormat format, const std::vector<Diagnostic>& diagnostics,
                               const SourceFiles& sources, const RenderOptions& options) {
  switch (format) {
    case DiagnosticFormat::text: return render_text(diagnostics, sources, options);
    case DiagnosticFormat::json: return render_json(diagnostics);
    case DiagnosticFormat::github: return render_github(diagnostics);
    case DiagnosticFormat::sarif: return render_sarif(diagnostics);
  }
  return render_text(diagnostics, sources, options);
}

std::string render_text(const std::vector<Diagnostic>& diagnostics, const SourceFiles& sources,
                        const RenderOptions& options) {
  const Painter paint(options.color);
  LineIndex lines(sources);
  std::string out;
  for (const Diagnostic& d : diagnostics) {
    out += text_header(d.loc, d.severity, d.code, d.message, paint);
    out += excerpt(d.loc, d.severity, lines, paint);
    for (const Note& n : d.notes) {
      out += text_header(n.loc, Severity::note, "", n.message, paint);
      out += excerpt(n.loc, Severity::note, lines, paint);
    }
  }
  return out;
}

std::string render_json(const std::vector<Diagnostic>& diagnostics) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const Diagnostic& d : diagnostics) list.push_back(json_diagnostic(d));
  const nlohmann::ordered_json doc = {{"version", 1},
                                      {"diagnostics", std::move(list)},
                                      {"errors", count_severity(diagnostics, Severity::error)},
                                      {"warnings", count_severity(diagnostics, Severity::warning)}};
  return doc.dump(2) + "\n";
}

// `::error file=F,line=L,col=C,title=KS0301::message`; notes have no place of their own in an
// annotation, so they are appended to the message as `note: file:line:col: text` lines.
std::string render_github(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) {
    std::string properties = "file=" + escape_github_property(d.loc.file);
    if (d.loc.line > 0) properties += fmt::format(",line={},col={}", d.loc.line, std::max(d.loc.column, 1));
    if (!d.code.empty()) properties += ",title=" + escape_github_property(d.code);
    std::string message = d.message;
    for (const Note& n : d.notes) message += fmt::format("\nnote: {}: {}", format_loc(n.loc), n.message);
    out += fmt::format("::{} {}::{}\n", github_command(d.severity), properties, escape_github_data(message));
  }
  return out;
}

}  // namespace keyspace::gen
