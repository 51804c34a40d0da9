#include "load/document.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <yaml-cpp/exceptions.h>

#include "diag/codes.hpp"
#include "load/yaml_tree.hpp"

namespace keyspace::gen {
namespace {

// Bounds that keep hostile input from exhausting the stack, memory or time; docs/input-limits.md
// explains each. The whole file is held as a parse tree and then as JSON, so the file size bounds
// memory; the node count bounds alias expansion ("billion laughs").
constexpr int kMaxDepth = 128;
constexpr std::size_t kMaxNodes = 300'000;
constexpr std::size_t kMaxFileBytes = 3 * 1024 * 1024;

Position position_of(const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0) return {0, 0};
  return {mark.line + 1, mark.column + 1};
}

SourceLoc loc_from(const std::string& file, const YAML::Mark& mark) {
  const Position pos = position_of(mark);
  return {file, pos.line, pos.column};
}

// Finds the first NUL byte or invalid UTF-8 sequence; returns its line:col.
std::optional<SourceLoc> find_non_text(const std::string& file, const std::string& text) {
  int line = 1, column = 1;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = c != 0 && len != 0 && i + len <= text.size();
    for (std::size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(text[i + k]) >> 6) == 0x2;
    // RFC 3629 exactly (the JSON library refuses anything else later, with an exception): no
    // overlong forms, no UTF-16 surrogates (ED A0..BF), nothing above U+10FFFF (F4 90.., F5..F7).
    const auto second = len > 1 && ok ? static_cast<unsigned char>(text[i + 1]) : 0;
    if (ok && len == 2) ok = c >= 0xC2;
    if (ok && len == 3) ok = !(c == 0xE0 && second < 0xA0) && !(c == 0xED && second > 0x9F);
    if (ok && len == 4) ok = c <= 0xF4 && !(c == 0xF0 && second < 0x90) && !(c == 0xF4 && second > 0x8F);
    if (!ok) return SourceLoc{file, line, column};
    if (c == '\n') { ++line; column = 1; } else { ++column; }
    i += len;
  }
  return std::nullopt;
}

bool is_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string_view without_sign(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  return s;
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool is_float(std::string_view s) {
  s = without_sign(s);
  if (const auto e = s.find_first_of("eE"); e != std::string_view::npos) {
    if (!is_digits(without_sign(s.substr(e + 1)))) return false;
    s = s.substr(0, e);
  }
  const auto dot = s.find('.');
  if (dot == std::string_view::npos) return is_digits(s);
  const std::string_view whole = s.substr(0, dot), fraction = s.substr(dot + 1);
  if (whole.empty()) return is_digits(fraction);
  return is_digits(whole) && (fraction.empty() || is_digits(fraction));
}

// YAML 1.2 core schema resolution of a plain scalar; quoted scalars are always strings. Written
// out rather than with std::regex, which costs microseconds per scalar (seconds per document
// near the node limit).
nlohmann::ordered_json resolve_scalar(const YamlNode& node) {
  const std::string& s = node.scalar;
  if (node.non_specific_tag) return s;
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  if (is_digits(without_sign(s))) {
    errno = 0;
    const long long v = std::strtoll(s.c_str(), nullptr, 10);
    if (errno == 0) return static_cast<std::int64_t>(v);
    return std::strtod(s.c_str(), nullptr);
  }
  if (is_float(s)) return std::strtod(s.c_str(), nullptr);
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

// yaml-cpp parses nesting recursively and stops only at its own guard (500 levels, reported as
// "bad file" at a place unrelated to the nesting), so the text is scanned for depth first. The
// scan is a lower bound of the real depth: it counts only what certainly opens a collection — a
// flow `[` or `{`, a block entry indented deeper than the open ones, compact entries like `- - x`
// — and skips quoted text, comments and block scalars. It therefore never rejects a document the
// parser nests less deeply; the converter enforces the exact limit on the tree afterwards.
class NestingScan {
 public:
  // `limit` is the number of nested collections allowed, `node_limit` the number of nodes.
  NestingScan(const std::string& text, std::size_t limit, std::size_t node_limit)
      : text_(text), limit_(limit), node_limit_(node_limit) {}

  struct Finding {
    std::size_t offset;  // of the collection opened beyond the depth limit, or of the node beyond the node limit
    bool too_many_nodes;
  };

  std::optional<Finding> run() {
    std::size_t start = 0;
    while (start < text_.size() && !found_) {  // each round consumes one line
      std::size_t end = text_.find('\n', start);
      if (end == std::string::npos) end = text_.size();
      scan_line(start, end);
      start = end + 1;
    }
    if (!found_) return std::nullopt;
    return Finding{*found_, too_many_nodes_};
  }

 private:
  static bool blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
  bool ends_token(std::size_t i, std::size_t end) const { return i >= end || blank(text_[i]); }

  void scan_line(std::size_t start, std::size_t end) {
    line_start_ = start;
    std::size_t p = start;
    while (p < end && text_[p] == ' ') ++p;
    indent_ = p - start;
    const bool empty = p == end || blank(text_[p]) || text_[p] == '#';
    if (block_scalar_indent_ >= 0) {
      if (empty || static_cast<long>(indent_) > block_scalar_indent_) return;  // block scalar text
      block_scalar_indent_ = -1;
    }
    if (quote_ != 0 || flow_ > 0) return scan_inline(start, end, false);
    if (empty || (p == start && text_[p] == '%')) return;  // comment, blank line, directive
    if (p == start && end - start >= 3 && (text_.compare(start, 3, "---") == 0 || text_.compare(start, 3, "...") == 0) &&
        ends_token(start + 3, end)) {
      stack_.clear();  // a document marker; what follows it on the line is a node
      p = start + 3;
    } else {
      p = scan_block_entries(p, end);
    }
    while (p < end && blank(text_[p])) ++p;
    scan_inline(p, end, true);
  }

  // `- `, `? ` (each opening a collection when compact) and `key:`; returns where the value starts.
  std::size_t scan_block_entries(std::size_t p, std::size_t end) {
    while (p < end && !found_ && (text_[p] == '-' || text_[p] == '?' || text_[p] == ':') && ends_token(p + 1, end)) {
      if (text_[p] != ':') enter(p - line_start_);
      ++p;
      while (p < end && blank(text_[p])) ++p;
    }
    if (found_ || p >= end) return end;
    if (const auto colon = key_colon(p, end)) {
      enter(p - line_start_);
      return *colon + 1;
    }
    return p;
  }

  // The `:` ending a block mapping key that starts at p (plain or quoted on one line).
  std::optional<std::size_t> key_colon(std::size_t p, std::size_t end) const {
    if (text_[p] == '[' || text_[p] == '{' || text_[p] == '#') return std::nullopt;
    if (text_[p] == '"' || text_[p] == '\'') {
      const char quote = text_[p];
      for (++p; p < end && text_[p] != quote; ++p) {
        if (quote == '"' && text_[p] == '\\') ++p;
      }
      ++p;
    }
    for (; p < end; ++p) {
      if (text_[p] == ':' && ends_token(p + 1, end)) return p;
      if (text_[p] == '#' && p > 0 && blank(text_[p - 1])) return std::nullopt;
    }
    return std::nullopt;
  }

  // Nodes are counted where they certainly are: one per block entry (`- x`, `key: ...`) and one
  // per `,` of a flow collection. The real count is higher (a `key:` entry is two nodes), so the
  // guard never refuses a document within the limit; what the parser would read for a document
  // far beyond it is refused before it is built.
  void count_node(std::size_t at) {
    if (++nodes_ > node_limit_ && !found_) {
      found_ = at;
      too_many_nodes_ = true;
    }
  }

  // A block entry at `column`: entries at deeper columns are closed, a deeper one opens a level.
  void enter(std::size_t column) {
    count_node(line_start_ + column);
    while (!stack_.empty() && stack_.back() > column) stack_.pop_back();
    if (stack_.empty() || stack_.back() < column) {
      stack_.push_back(column);
      if (stack_.size() > limit_) found_ = line_start_ + column;
    }
  }

  void open_flow(std::size_t at) {
    ++flow_;
    if (stack_.size() + flow_ > limit_) found_ = at;
  }

  // Flow collections and quoted scalars from p on. In block context only the value's first token
  // matters (`at_value`): a flow collection, a quoted scalar, a block scalar header, or else plain
  // text, which holds no structure.
  void scan_inline(std::size_t p, std::size_t end, bool at_value) {
    for (; p < end && !found_; ++p) {
      const char c = text_[p];
      const char before = p > line_start_ ? text_[p - 1] : ' ';
      if (quote_ != 0) {
        if (quote_ == '"' && c == '\\') ++p;
        else if (c == quote_ && quote_ == '\'' && p + 1 < end && text_[p + 1] == '\'') ++p;
        else if (c == quote_) quote_ = 0;
        continue;
      }
      if (c == '#' && blank(before)) return;
      if (flow_ == 0) {
        if (!at_value) return;
        if (c == '&' || c == '!') {  // an anchor or a tag before the value
          while (p + 1 < end && !blank(text_[p + 1])) ++p;
        } else if (c == '|' || c == '>') {
          block_scalar_indent_ = static_cast<long>(indent_);
          return;
        } else if (c == '"' || c == '\'') {
          quote_ = c;
          at_value = false;
        } else if (c == '[' || c == '{') {
          open_flow(p);
        } else if (!blank(c)) {
          return;
        }
      } else if (c == '[' || c == '{') {
        open_flow(p);
      } else if (c == ']' || c == '}') {
        at_value = --flow_ > 0;
      } else if (c == ',') {
        count_node(p);
      } else if ((c == '"' || c == '\'') && (blank(before) || before == '[' || before == '{' || before == ',' || before == ':')) {
        quote_ = c;
      }
    }
  }

  const std::string& text_;
  const std::size_t limit_;
  const std::size_t node_limit_;
  std::size_t nodes_ = 0;
  bool too_many_nodes_ = false;
  std::vector<std::size_t> stack_;  // columns of the open block entries, increasing
  std::size_t flow_ = 0;            // open flow collections
  char quote_ = 0;                  // inside a quoted scalar
  long block_scalar_indent_ = -1;   // inside a block scalar introduced on a line so indented
  std::size_t line_start_ = 0, indent_ = 0;
  std::optional<std::size_t> found_;
};

// The line:col of a byte offset, counting a multi-byte UTF-8 character as one column.
SourceLoc loc_of_offset(const std::string& file, const std::string& text, std::size_t offset) {
  int line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return {file, line, column};
}

// A schema is one YAML document. The parser reads at most two documents, instead of
// YAML::LoadAll: on a document that starts with `,` outside a flow collection, yaml-cpp 0.7 never
// consumes the token and LoadAll appends empty documents forever (a hang that ends when memory
// does). Here that shows as a second "document" starting at that `,`.
bool check_single_document(const std::string& path, const std::string& text, const YamlTree& tree, DiagnosticSink& sink) {
  if (tree.document_starts.size() < 2) return true;
  const YAML::Mark& second = tree.document_starts[1];
  const auto at = static_cast<std::size_t>(second.pos);
  if (second.pos == tree.document_starts[0].pos || (at < text.size() && text[at] == ',')) {
    sink.error(code::kYamlSyntax, loc_from(path, second),
               fmt::format("invalid YAML: unexpected '{}'", at < text.size() ? text.substr(at, 1) : std::string()));
  } else {
    sink.error(code::kYamlSyntax, loc_from(path, second), "a schema file holds one YAML document; this is a second one");
  }
  return false;
}

// The tree becomes JSON plus the marks of every node, by JSON pointer. An alias is expanded
// where it is used (its nodes keep the anchored nodes' marks), so the node limit counts nodes
// after expansion.
class Converter {
 public:
  Converter(Document& doc, const YamlTree& tree, const std::string& text, DiagnosticSink& sink)
      : doc_(doc), tree_(tree), text_(text), sink_(sink) {}

  bool convert(std::uint32_t index, const std::string& pointer, Position key_pos, nlohmann::ordered_json& out, int depth) {
    if (++nodes_ > kMaxNodes) {
      return fail(code::kInputLimit, key_pos,
                  fmt::format("the document has more than {} nodes after alias expansion", kMaxNodes));
    }
    if (depth > kMaxDepth) return fail(code::kInputLimit, key_pos, fmt::format("nesting deeper than {} levels", kMaxDepth));
    const YamlNode& node = tree_.nodes[index];
    Position value_pos = position_of(node.mark);
    // An empty value has no mark of its own (yaml-cpp gives the next token's): use its key's.
    if (value_pos.line == 0 || node.type == YamlNode::Type::null) value_pos = key_pos;
    const bool quoted = node.type == YamlNode::Type::scalar && node.non_specific_tag;
    doc_.marks[pointer] = {key_pos, value_pos, quoted};
    if (quoted && !node.mark.is_null()) {
      const auto pos = static_cast<std::size_t>(node.mark.pos);
      if (pos < text_.size() && (text_[pos] == '"' || text_[pos] == '\'') && !quote_is_closed(text_, pos)) {
        return fail(code::kYamlSyntax, value_pos, "invalid YAML: this quoted string is never closed");
      }
    }
    switch (node.type) {
      case YamlNode::Type::map: return convert_map(node, pointer, out, depth);
      case YamlNode::Type::sequence: return convert_sequence(node, pointer, out, depth);
      case YamlNode::Type::scalar: out = resolve_scalar(node); return true;
      default: out = nullptr; return true;
    }
  }

 private:
  bool convert_map(const YamlNode& node, const std::string& pointer, nlohmann::ordered_json& out, int depth) {
    out = nlohmann::ordered_json::object();
    // Reserved: the members' keys are const, so a growing vector copies every member it moves.
    out.get_ref<nlohmann::ordered_json::object_t&>().reserve(node.children.size() / 2);
    std::unordered_map<std::string, Position> seen;
    seen.reserve(node.children.size() / 2);
    for (std::size_t i = 0; i + 1 < node.children.size(); i += 2) {
      const YamlNode& key = tree_.nodes[node.children[i]];
      const Position key_pos = position_of(key.mark);
      if (key.type != YamlNode::Type::scalar) {
        sink_.error(code::kInvalidValue, loc(key_pos), "mapping keys must be plain strings");
        continue;
      }
      const std::string& name = key.scalar;
      if (auto [it, inserted] = seen.emplace(name, key_pos); !inserted) {
        sink_.error(code::kDuplicateKey, loc(key_pos), fmt::format("duplicate key '{}'", name),
                    {{loc(it->second), "first declared here"}});
        continue;
      }
      // Appended directly: ordered_json's operator[] searches linearly, quadratic over a large
      // mapping, and `seen` has already ruled out a duplicate.
      auto& members = out.get_ref<nlohmann::ordered_json::object_t&>();
      members.Container::emplace_back(name, nullptr);
      if (!convert(node.children[i + 1], pointer_append(pointer, name), key_pos, members.back().second, depth + 1)) {
        return false;
      }
      i += 2 * rejoin_split_type(node, i, members.back().second);
    }
    return true;
  }

  // In a flow mapping a comma ends an entry, so `{data: map<string,string>}` reaches us as the
  // entries `data: map<string` and `string>:` (no value). A plain value with an unclosed `<`
  // followed by such empty keys that close it is that split: one error saying how to write it,
  // and the value rejoined so that the rest of the schema is checked as meant. Returns how many
  // entries after `i` were taken back into the value.
  std::size_t rejoin_split_type(const YamlNode& map, std::size_t i, nlohmann::ordered_json& value) {
    const YamlNode& first = tree_.nodes[map.children[i + 1]];
    if (first.type != YamlNode::Type::scalar || first.non_specific_tag) return 0;
    auto open = [](const std::string& text) {
      return std::count(text.begin(), text.end(), '<') - std::count(text.begin(), text.end(), '>');
    };
    std::string joined = first.scalar;
    std::size_t taken = 0;
    for (std::size_t j = i + 2; open(joined) > 0 && j + 1 < map.children.size(); j += 2, ++taken) {
      const YamlNode& piece = tree_.nodes[map.children[j]];
      const bool empty_value = tree_.nodes[map.children[j + 1]].type == YamlNode::Type::null;
      if (piece.type != YamlNode::Type::scalar || piece.non_specific_tag || !empty_value) return 0;
      joined += "," + piece.scalar;
    }
    if (taken == 0 || open(joined) != 0) return 0;
    const Position second = position_of(tree_.nodes[map.children[i + 2]].mark);
    sink_.error(code::kBadValueType, loc(position_of(first.mark)),
                fmt::format("YAML split the type '{0}' at its comma: in a flow mapping `{{...}}` a comma ends an "
                            "entry; quote it (\"{0}\") or write the mapping in block style",
                            joined),
                {{loc(second), fmt::format("'{}' was read as a key of its own", tree_.nodes[map.children[i + 2]].scalar)}});
    value = joined;
    return taken;
  }

  bool convert_sequence(const YamlNode& node, const std::string& pointer, nlohmann::ordered_json& out, int depth) {
    out = nlohmann::ordered_json::array();
    out.get_ref<nlohmann::ordered_json::array_t&>().reserve(node.children.size());
    std::size_t index = 0;
    for (const std::uint32_t item : node.children) {
      out.push_back(nullptr);
      if (!convert(item, pointer_append(pointer, std::to_string(index++)), position_of(tree_.nodes[item].mark), out.back(),
                   depth + 1)) {
        return false;
      }
    }
    return true;
  }

  SourceLoc loc(Position pos) const { return {doc_.file, pos.line, pos.column}; }

  bool fail(const char* code, Position pos, std::string message) {
    sink_.error(code, loc(pos), std::move(message));
    return false;
  }

  Document& doc_;
  const YamlTree& tree_;
  const std::string& text_;
  DiagnosticSink& sink_;
  std::size_t nodes_ = 0;
};

// Closes a file descriptor on every way out of read_schema_file.
struct FdCloser {
  int fd;
  ~FdCloser() { ::close(fd); }
};

// Why a file of this type is not a schema to read, if it is not: only regular files are. A FIFO
// or a device could block or never end (/dev/zero).
std::optional<std::string> file_type_problem(const struct stat& st) {
  if (S_ISDIR(st.st_mode)) return "is a directory, not a schema file";
  if (S_ISREG(st.st_mode)) return std::nullopt;
  const char* kind = S_ISFIFO(st.st_mode)   ? "a FIFO"
                     : S_ISCHR(st.st_mode)  ? "a character device"
                     : S_ISBLK(st.st_mode)  ? "a block device"
                     : S_ISSOCK(st.st_mode) ? "a socket"
                                            : "a special file";
  return fmt::format("is {}, not a schema file (only regular files are read)", kind);
}

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
  if (auto it = marks.find(pointer); it != marks.end()) return it->second;
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
  // The root is collection 1, so a node at depth kMaxDepth + 1 is collection kMaxDepth + 2.
  if (auto limit = NestingScan(text, kMaxDepth + 1, kMaxNodes).run()) {
    sink.error(code::kInputLimit, loc_of_offset(path, text, limit->offset),
               limit->too_many_nodes ? fmt::format("the document has more than {} nodes", kMaxNodes)
                                     : fmt::format("nesting deeper than {} levels", kMaxDepth));
    return std::nullopt;
  }
  YamlTree tree;
  try {
    tree = parse_yaml_tree(text);
  } catch (const YAML::Exception& e) {
    sink.error(code::kYamlSyntax, loc_from(path, e.mark), fmt::format("invalid YAML: {}", e.msg));
    return std::nullopt;
  }
  if (!check_single_document(path, text, tree, sink)) return std::nullopt;
  if (!tree.root || tree.nodes[*tree.root].type == YamlNode::Type::null) {
    sink.error(code::kEmptyDocument, {path, 1, 1}, "the schema is empty");
    return std::nullopt;
  }
  Document doc;
  doc.file = path;
  Converter converter(doc, tree, text, sink);
  if (!converter.convert(*tree.root, "", position_of(tree.nodes[*tree.root].mark), doc.root, 0)) return std::nullopt;
  return doc;
}

std::optional<std::string> read_schema_file(const std::string& path, DiagnosticSink& sink) {
  const SourceLoc at_path{path, 0, 0};
  // O_NONBLOCK: opening a FIFO that has no writer would wait forever; the file type is checked
  // right after, and the flag does not change how a regular file is read.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    sink.error(code::kCannotRead, at_path, fmt::format("cannot read the schema: {}", std::strerror(errno)));
    return std::nullopt;
  }
  const FdCloser closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    sink.error(code::kCannotRead, at_path, fmt::format("cannot read the schema: {}", std::strerror(errno)));
    return std::nullopt;
  }
  if (const std::optional<std::string> problem = file_type_problem(st)) {
    sink.error(code::kCannotRead, at_path, *problem);
    return std::nullopt;
  }
  // Refused before reading anything: a 50 MB file costs no more than a small one.
  if (static_cast<std::uintmax_t>(st.st_size) > kMaxFileBytes) {
    sink.error(code::kInputLimit, at_path, fmt::format("file too large ({} bytes; limit {})", st.st_size, kMaxFileBytes));
    return std::nullopt;
  }
  // Read at most one byte past the limit: the size from fstat can be stale (a growing file) or
  // zero (files under /proc), so the bytes actually read decide.
  std::string text;
  char chunk[65536];
  while (text.size() <= kMaxFileBytes) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      sink.error(code::kCannotRead, at_path, fmt::format("cannot read the schema: {}", std::strerror(errno)));
      return std::nullopt;
    }
    if (n == 0) break;
    text.append(chunk, static_cast<std::size_t>(n));
  }
  if (text.size() > kMaxFileBytes) {
    sink.error(code::kInputLimit, at_path, fmt::format("file too large (more than {} bytes; limit {})", kMaxFileBytes, kMaxFileBytes));
    return std::nullopt;
  }
  return text;
}

std::optional<Document> load_document(const std::string& path, DiagnosticSink& sink) {
  const std::optional<std::string> text = read_schema_file(path, sink);
  if (!text) return std::nullopt;
  return parse_document(path, *text, sink);
}

}  // namespace keyspace::gen
