#include "diag/suppressions.hpp"

#include <algorithm>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "diag/codes.hpp"

namespace keyspace::gen {
namespace {

constexpr std::string_view kMarker = "keyspace:";
constexpr std::string_view kExample = "# keyspace: ignore[KS0402] <why this finding is accepted>";

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (is_space(s.front()) || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (is_space(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// A quote opens a quoted scalar only where a scalar can start: at the start of the line or after
// an indicator (`key: "x"`, `- 'x'`, `[ "a", "b" ]`). An apostrophe inside a plain scalar
// (`description: don't`) opens nothing.
bool quote_can_open(std::string_view line, std::size_t at) {
  std::size_t i = at;
  while (i > 0 && is_space(line[i - 1])) --i;
  if (i == 0) return true;
  const char before = line[i - 1];
  return before == ':' || before == '-' || before == '[' || before == '{' || before == ',' || before == '?';
}

// The offset of the comment's '#' in `line`, if the line has a comment.
std::optional<std::size_t> comment_start(std::string_view line) {
  char quote = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote == '"' && c == '\\') {
      ++i;  // an escaped character inside a double-quoted scalar
    } else if (quote != 0) {
      if (c == quote) quote = 0;
    } else if ((c == '"' || c == '\'') && quote_can_open(line, i)) {
      quote = c;
    } else if (c == '#' && (i == 0 || is_space(line[i - 1]))) {
      return i;
    }
  }
  return std::nullopt;
}

bool is_diagnostic_code(std::string_view code) {
  return code.size() == 6 && code.substr(0, 2) == "KS" &&
         std::all_of(code.begin() + 2, code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Parses `[KS0402,KS0501] reason` (the text after `ignore`), starting at byte `offset` of the line.
void parse_ignore_body(std::string_view body, std::size_t offset, IgnoreComment& out) {
  const std::size_t open = body.find_first_not_of(" \t");
  const std::size_t close = body.find(']');
  if (open == std::string_view::npos || body[open] != '[' || close == std::string_view::npos) {
    out.problem = fmt::format("malformed ignore comment; write it as `{}`", kExample);
    return;
  }
  std::size_t start = open + 1;
  while (start <= close) {
    std::size_t end = std::min(body.find(',', start), close);
    const std::string_view raw = body.substr(start, end - start);
    const std::string_view code = trim(raw);
    const std::size_t lead = raw.find_first_not_of(" \t");
    const std::size_t column = offset + start + (lead == std::string_view::npos ? 0 : lead) + 1;
    if (!is_diagnostic_code(code)) {
      out.problem = code.empty() ? "ignore comment with an empty code list; name the codes: ignore[KS0402]"
                                 : fmt::format("'{}' in ignore[...] is not a diagnostic code (KSnnnn)", code);
      return;
    }
    out.codes.push_back({std::string(code), static_cast<int>(column)});
    start = end + 1;
  }
  out.reason = std::string(trim(body.substr(close + 1)));
  if (out.reason.empty()) {
    out.problem = fmt::format("ignore comment without a reason: say why the finding is accepted, e.g. `{}`",
                              kExample);
  }
}

std::optional<IgnoreComment> parse_comment(std::string_view line, int line_number) {
  const std::optional<std::size_t> hash = comment_start(line);
  if (!hash) return std::nullopt;
  std::size_t at = line.find_first_not_of(" \t", *hash + 1);
  if (at == std::string_view::npos || line.substr(at, kMarker.size()) != kMarker) return std::nullopt;
  at = line.find_first_not_of(" \t", at + kMarker.size());
  if (at == std::string_view::npos || line.substr(at, 6) != "ignore") return std::nullopt;
  IgnoreComment comment;
  comment.line = line_number;
  comment.column = static_cast<int>(*hash) + 1;
  parse_ignore_body(line.substr(at + 6), at + 6, comment);
  return comment;
}

bool suppresses(const IgnoreComment& comment, const Diagnostic& d, const std::string& file) {
  if (!comment.problem.empty() || d.loc.file != file || d.loc.line != comment.line) return false;
  return std::any_of(comment.codes.begin(), comment.codes.end(),
                     [&d](const IgnoreCode& c) { return c.code == d.code; });
}

}  // namespace

std::vector<IgnoreComment> find_ignore_comments(const std::string& source) {
  std::vector<IgnoreComment> out;
  std::string_view text(source);
  int line_number = 1;
  while (!text.empty()) {
    const std::size_t end = std::min(text.find('\n'), text.size());
    if (auto comment = parse_comment(text.substr(0, end), line_number)) out.push_back(std::move(*comment));
    text.remove_prefix(std::min(end + 1, text.size()));
    ++line_number;
  }
  return out;
}

std::vector<Diagnostic> apply_suppressions(std::vector<Diagnostic> diagnostics, const std::string& file,
                                           const std::string& source, bool report_unused) {
  const std::vector<IgnoreComment> comments = find_ignore_comments(source);
  if (comments.empty()) return diagnostics;
  std::vector<Diagnostic> kept;
  std::vector<std::vector<bool>> used(comments.size());
  for (std::size_t i = 0; i < comments.size(); ++i) used[i].assign(comments[i].codes.size(), false);
  for (Diagnostic& d : diagnostics) {
    bool suppressed = false;
    for (std::size_t i = 0; i < comments.size(); ++i) {
      if (!suppresses(comments[i], d, file)) continue;
      for (std::size_t k = 0; k < comments[i].codes.size(); ++k) {
        if (comments[i].codes[k].code == d.code) used[i][k] = true;
      }
      suppressed = true;
    }
    if (!suppressed) kept.push_back(std::move(d));
  }
  for (std::size_t i = 0; i < comments.size(); ++i) {
    const IgnoreComment& c = comments[i];
    if (!c.problem.empty()) {
      kept.push_back({Severity::error, code::kBadIgnore, {file, c.line, c.column}, c.problem, {}});
      continue;
    }
    for (std::size_t k = 0; report_unused && k < c.codes.size(); ++k) {
      if (used[i][k]) continue;
      kept.push_back({Severity::warning, code::kUnusedIgnore, {file, c.line, c.codes[k].column},
                      fmt::format("ignore[{}] suppresses nothing: no {} is reported on this line; remove it",
                                  c.codes[k].code, c.codes[k].code),
                      {}});
    }
  }
  sort_diagnostics(kept);
  return kept;
}

}  // namespace keyspace::gen
