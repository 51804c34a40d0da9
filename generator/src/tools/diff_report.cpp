#include "tools/diff_report.hpp"

#include <array>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace keyspace::gen {
namespace {

struct Counts {
  int breaking = 0;  // not acknowledged
  int acknowledged = 0;
  int compatible = 0;
  std::array<int, 3> breaking_by_category{};
};

Counts count(const std::vector<Change>& changes) {
  Counts n;
  for (const Change& c : changes) {
    if (!c.breaking) {
      ++n.compatible;
    } else if (!c.acknowledged_by.empty()) {
      ++n.acknowledged;
    } else {
      ++n.breaking;
      ++n.breaking_by_category[static_cast<std::size_t>(c.category)];
    }
  }
  return n;
}

constexpr std::array<ChangeCategory, 3> kCategories{ChangeCategory::source, ChangeCategory::data, ChangeCategory::ops};

const char* category_heading(ChangeCategory c) {
  switch (c) {
    case ChangeCategory::source: return "SOURCE: service code that compiled against the old API stops compiling";
    case ChangeCategory::data: return "DATA: old and new binaries disagree about keys or values in the live Redis";
    case ChangeCategory::ops: return "OPS: behaviour operators see";
  }
  return "";
}

std::string plural(int n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

std::string summary_line(const Counts& n) {
  std::string line;
  if (n.breaking == 0) {
    line = "**No unacknowledged breaking changes**";
  } else {
    std::string parts;
    for (ChangeCategory c : kCategories) {
      const int k = n.breaking_by_category[static_cast<std::size_t>(c)];
      if (k) parts += fmt::format("{}{} {}", parts.empty() ? "" : ", ", k, category_name(c));
    }
    line = fmt::format("**{}** ({})", plural(n.breaking, "breaking change"), parts);
  }
  if (n.acknowledged) line += fmt::format(", {} acknowledged", n.acknowledged);
  return line + fmt::format(", {} compatible", n.compatible);
}

// Text inside a table cell: no line breaks, no column separators.
std::string cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n' || c == '\r') out += ' ';
    else if (c == '|') out += "\\|";
    else out += c;
  }
  return out;
}

std::string code_cell(const std::string& text) {
  if (text.empty()) return "—";
  if (text.find('`') != std::string::npos) return cell(text);
  return "`" + cell(text) + "`";
}

std::string location(const SourceLoc& loc) {
  return loc.line > 0 ? fmt::format("`{}:{}`", loc.file, loc.line) : code_cell(loc.file);
}

std::string table_row(const Change& c) {
  std::string what = fmt::format("`{}`: {}", cell(c.subject), cell(c.what));
  if (!c.acknowledged_by.empty()) what = fmt::format("~~{}~~ acknowledged ({})", what, cell(c.acknowledged_by));
  return fmt::format("| {} | {} | {} → {} | {} |\n", c.code, what, code_cell(c.old_text), code_cell(c.new_text),
                     location(c.loc));
}

std::string table(const std::vector<const Change*>& rows) {
  std::string out = "| Code | What | Old → new | Location |\n|---|---|---|---|\n";
  for (const Change* c : rows) out += table_row(*c);
  return out;
}

}  // namespace

std::string render_diff_markdown(const DiffReportInput& input) {
  const std::vector<Change>& changes = *input.changes;
  std::string out = fmt::format("## keyspace diff: `{}` → `{}`\n\n", input.old_path, input.new_path);
  if (changes.empty()) return out + "No changes.\n";
  out += summary_line(count(changes)) + "\n";
  for (ChangeCategory cat : kCategories) {
    std::vector<const Change*> rows;
    for (const Change& c : changes) {
      if (c.breaking && c.category == cat) rows.push_back(&c);
    }
    if (!rows.empty()) out += fmt::format("\n### {}\n\n{}", category_heading(cat), table(rows));
  }
  std::vector<const Change*> compatible;
  for (const Change& c : changes) {
    if (!c.breaking) compatible.push_back(&c);
  }
  if (!compatible.empty()) out += "\n### Compatible\n\n" + table(compatible);
  return out;
}

std::string render_diff_json(const DiffReportInput& input) {
  const Counts n = count(*input.changes);
  nlohmann::ordered_json doc;
  doc["old"] = input.old_path;
  doc["new"] = input.new_path;
  nlohmann::ordered_json summary;
  summary["breaking"] = n.breaking;
  summary["acknowledged"] = n.acknowledged;
  summary["compatible"] = n.compatible;
  for (ChangeCategory c : kCategories) summary["breaking_by_category"][category_name(c)] = n.breaking_by_category[static_cast<std::size_t>(c)];
  doc["summary"] = summary;
  doc["changes"] = nlohmann::ordered_json::array();
  for (const Change& c : *input.changes) {
    nlohmann::ordered_json j;
    j["code"] = c.code;
    j["category"] = category_name(c.category);
    j["breaking"] = c.breaking;
    j["acknowledged_by"] = c.acknowledged_by.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(c.acknowledged_by);
    j["subject"] = c.subject;
    j["what"] = c.what;
    j["old"] = c.old_text;
    j["new"] = c.new_text;
    j["location"] = {{"file", c.loc.file}, {"line", c.loc.line}, {"column", c.loc.column}};
    doc["changes"].push_back(std::move(j));
  }
  return doc.dump(2) + "\n";
}

}  // namespace keyspace::gen
