#include "model/key_template.hpp"

#include <set>

#include <fmt/format.h>

#include "diag/codes.hpp"

namespace keyspace::gen {

bool is_literal_segment(const std::string& text) {
  if (text.empty()) return false;
  auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!lower_or_digit(text[0])) return false;
  for (char c : text) {
    if (!lower_or_digit(c) && c != '_' && c != '-') return false;
  }
  return true;
}

namespace {

// Classifies one segment and appends it to `out`; reports what is wrong with it.
void add_segment(const std::string& text, SourceLoc loc, KeyTemplate& out, std::set<std::string>& params,
                 DiagnosticSink& sink) {
  const bool opens = text.find('{') != std::string::npos;
  const bool closes = text.find('}') != std::string::npos;
  if (text.empty()) {
    sink.error(code::kTemplateSyntax, loc, fmt::format("empty segment in key template '{}'", out.text));
    return;
  }
  if (opens || closes) {
    const bool whole = text.size() >= 3 && text.front() == '{' && text.back() == '}' &&
                       text.find_first_of("{}", 1) == text.size() - 1;
    if (!whole) {
      sink.error(code::kTemplateSyntax, loc,
                 fmt::format("segment '{}' of key template '{}': a placeholder must fill one whole segment, as "
                             "'{{name}}'", text, out.text));
      return;
    }
    const std::string name = text.substr(1, text.size() - 2);
    if (!params.insert(name).second) {
      sink.error(code::kRepeatedParam, loc, fmt::format("placeholder '{{{}}}' appears twice in key template '{}'",
                                                        name, out.text));
      return;
    }
    out.segments.push_back({true, name, loc});
    return;
  }
  if (!is_literal_segment(text)) {
    sink.error(code::kBadLiteral, loc,
               fmt::format("literal segment '{}' of key template '{}' must match [a-z0-9][a-z0-9_-]*", text, out.text));
  }
  out.segments.push_back({false, text, loc});
}

}  // namespace

KeyTemplate parse_key_template(const std::string& text, const SourceLoc& loc, DiagnosticSink& sink) {
  KeyTemplate out;
  out.text = text;
  out.loc = loc;
  std::set<std::string> params;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = text.find(':', start);
    SourceLoc seg_loc = loc;
    seg_loc.column += static_cast<int>(start);
    add_segment(text.substr(start, end == std::string::npos ? std::string::npos : end - start), seg_loc, out,
                params, sink);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

}  // namespace keyspace::gen
