#include "document.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "diagnostic_codes.hpp"

namespace keyspace::gen {
namespace {

// Bounds that keep hostile input (deep nesting, alias bombs) from exhausting the stack or memory.
constexpr int kMaxDepth = 128;
constexpr std::size_t kMaxNodes = 1'000'000;

SourceLoc loc_from(const std::string& file, const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0) return {file, 0, 0};
  return {file, mark.line + 1, mark.column + 1};
}

// Finds the first NUL byte or invalid UTF-8 sequence; returns its line:col.
std::optional<SourceLoc> find_non_text(const std::string& file, const std::string& text) {
  int line = 1, column = 1;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = c != 0 && len != 0 && i + len <= text.size();
    for (std::size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(text[i + k]) >> 6) == 0x2;
    if (ok && len == 2) ok = c >= 0xC2;  // no overlong two-byte forms
    if (!ok) return SourceLoc{file, line, column};
    if (c == '\n') { ++line; column = 1; } else { ++column; }
    i += len;
  }
  return std::nullopt;
}

// YAML 1.2 core schema resolution of a plain scalar; quoted scalars are always strings.
nlohmann::ordered_json resolve_scalar(const YAML::Node& node) {
  const std::string& s = node.Scalar();
  if (node.Tag() == "!") return s;
  static const std::regex null_re("~|null|Null|NULL|");
  static const std::regex true_re("true|True|TRUE");
  static const std::regex false_re("false|False|FALSE");
  static const std::regex int_re("[-+]?[0-9]+");
  static const std::regex float_re(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  if (std::regex_match(s, null_re)) return nullptr;
  if (std::regex_match(s, true_re)) return true;
  if (std::regex_match(s, false_re)) return false;
  if (std::regex_match(s, int_re)) {
    errno = 0;
    const long long v = std::strtoll(s.c_str(), nullptr, 10);
    if (errno == 0) return static_cast<std::int64_t>(v);
    return std::strtod(s.c_str(), nullptr);
  }
  if (std::regex_match(s, float_re)) return std::strtod(s.c_str(), nullptr);
  return s;
}

// yaml-cpp accepts a quoted scalar that is never closed and lets it run to the end of the file,
// silently swallowing everything after the quote; such a scalar is a syntax error.
bool quote_is_closed(const std::string& text, std::size_t open) {
  const char quote = text[open];
  for (std::size_t i = open + 1; i < text.size(); ++i) {
    if (quote == '"' && text[i] == '\\') {
      ++i;
    } else if (text[i] == quote) {
      if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;  // '' is an escaped single quote
        continue;
      }
      return true;
    }
  }
  return false;
}

class Converter {
 public:
  Converter(Document& doc, const std::string& text, DiagnosticSink& sink) : doc_(doc), text_(text), sink_(sink) {}

  bool convert(const YAML::Node& node, const std::string& pointer, const SourceLoc& key_loc,
               nlohmann::ordered_json& out, int depth) {
    if (++nodes_ > kMaxNodes) return fail(key_loc, "the document has more than 1,000,000 nodes (alias expansion?)");
    if (depth > kMaxDepth) return fail(key_loc, fmt::format("nesting deeper than {} levels", kMaxDepth));
    SourceLoc value_loc = loc_from(doc_.file, node.Mark());
    // An empty value has no mark of its own (yaml-cpp gives the next token's): use its key's.
    if (value_loc.line == 0 || node.IsNull()) value_loc = key_loc;
    const bool quoted = node.IsScalar() && node.Tag() == "!";
    doc_.marks[pointer] = {key_loc, value_loc, quoted};
    if (quoted && !node.Mark().is_null()) {
      const auto pos = static_cast<std::size_t>(node.Mark().pos);
      if (pos < text_.size() && (text_[pos] == '"' || text_[pos] == '\'') && !quote_is_closed(text_, pos)) {
        return fail(value_loc, "invalid YAML: this quoted string is never closed");
      }
    }
    switch (node.Type()) {
      case YAML::NodeType::Map: return convert_map(node, pointer, out, depth);
      case YAML::NodeType::Sequence: return convert_sequence(node, pointer, out, depth);
      case YAML::NodeType::Scalar: out = resolve_scalar(node); return true;
      default: out = nullptr; return true;
    }
  }

 private:
  bool convert_map(const YAML::Node& node, const std::string& pointer, nlohmann::ordered_json& out, int depth) {
    out = nlohmann::ordered_json::object();
    std::map<std::string, SourceLoc> seen;
    for (const auto& item : node) {
      const SourceLoc key_loc = loc_from(doc_.file, item.first.Mark());
      if (!item.first.IsScalar()) {
        sink_.error(code::kInvalidValue, key_loc, "mapping keys must be plain strings");
        continue;
      }
      const std::string& name = item.first.Scalar();
      if (auto [it, inserted] = seen.emplace(name, key_loc); !inserted) {
        sink_.error(code::kDuplicateKey, key_loc, fmt::format("duplicate key '{}'", name),
                    {{it->second, "first declared here"}});
        continue;
      }
      if (!convert(item.second, pointer_append(pointer, name), key_loc, out[name], depth + 1)) return false;
    }
    return true;
  }

  bool convert_sequence(const YAML::Node& node, const std::string& pointer, nlohmann::ordered_json& out, int depth) {
    out = nlohmann::ordered_json::array();
    std::size_t index = 0;
    for (const auto& item : node) {
      const SourceLoc loc = loc_from(doc_.file, item.Mark());
      out.push_back(nullptr);
      if (!convert(item, pointer_append(pointer, std::to_string(index++)), loc, out.back(), depth + 1)) return false;
    }
    return true;
  }

  bool fail(const SourceLoc& loc, std::string message) {
    sink_.error(code::kYamlSyntax, loc, std::move(message));
    return false;
  }

  Document& doc_;
  const std::string& text_;
  DiagnosticSink& sink_;
  std::size_t nodes_ = 0;
};

}  // namespace

std::string pointer_append(const std::string& pointer, const std::string& token) {
  std::string out = pointer + "/";
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

const NodeMarks& Document::marks_of(const std::string& pointer) const {
  static const NodeMarks kNone;
  std::string p = pointer;
  for (;;) {
    if (auto it = marks.find(p); it != marks.end()) return it->second;
    if (p.empty()) return kNone;
    p.erase(p.rfind('/'));
  }
}

std::optional<Document> parse_document(const std::string& path, const std::string& text, DiagnosticSink& sink) {
  if (auto bad = find_non_text(path, text)) {
    sink.error(code::kNotText, *bad, "the file is not UTF-8 text (NUL byte or invalid UTF-8 sequence)");
    return std::nullopt;
  }
  YAML::Node root;
  try {
    const std::vector<YAML::Node> documents = YAML::LoadAll(text);
    if (documents.size() > 1) {
      sink.error(code::kYamlSyntax, loc_from(path, documents[1].Mark()),
                 "a schema file holds one YAML document; this is a second one");
      return std::nullopt;
    }
    if (!documents.empty()) root = documents[0];
  } catch (const YAML::Exception& e) {
    sink.error(code::kYamlSyntax, loc_from(path, e.mark), fmt::format("invalid YAML: {}", e.msg));
    return std::nullopt;
  }
  if (!root.IsDefined() || root.IsNull()) {
    sink.error(code::kEmptyDocument, {path, 1, 1}, "the schema is empty");
    return std::nullopt;
  }
  Document doc;
  doc.file = path;
  Converter converter(doc, text, sink);
  if (!converter.convert(root, "", loc_from(path, root.Mark()), doc.root, 0)) return std::nullopt;
  return doc;
}

std::optional<Document> load_document(const std::string& path, DiagnosticSink& sink) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    sink.error(code::kCannotRead, {path, 0, 0}, "is a directory, not a schema file");
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    sink.error(code::kCannotRead, {path, 0, 0}, fmt::format("cannot read the schema: {}", std::strerror(errno)));
    return std::nullopt;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return parse_document(path, buffer.str(), sink);
}

}  // namespace keyspace::gen
