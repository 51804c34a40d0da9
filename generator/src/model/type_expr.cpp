#include "model/type_expr.hpp"

#include <cctype>
#include <map>

namespace keyspace::gen {
namespace {

const std::map<std::string, TypeRef::Tag>& scalar_tags() {
  static const std::map<std::string, TypeRef::Tag> tags{
      {"string", TypeRef::Tag::string}, {"bytes", TypeRef::Tag::bytes},   {"int64", TypeRef::Tag::int64},
      {"uint64", TypeRef::Tag::uint64}, {"double", TypeRef::Tag::double_}, {"bool", TypeRef::Tag::bool_},
      {"timestamp", TypeRef::Tag::timestamp}};
  return tags;
}

class Parser {
 public:
  Parser(const std::string& text, const SourceLoc& loc) : text_(text), loc_(loc) {}

  std::optional<TypeRef> parse_all() {
    std::optional<TypeRef> t = parse();
    skip_space();
    if (!t || pos_ != text_.size()) return std::nullopt;
    return t;
  }

 private:
  std::optional<TypeRef> parse() {
    const std::string word = identifier();
    if (word.empty()) return std::nullopt;
    TypeRef t;
    t.loc = loc_;
    if (word == "list" || word == "map") {
      t.tag = word == "list" ? TypeRef::Tag::list : TypeRef::Tag::map;
      if (!expect('<')) return std::nullopt;
      if (t.tag == TypeRef::Tag::map && (identifier() != "string" || !expect(','))) return std::nullopt;
      std::optional<TypeRef> element = parse();
      if (!element || !expect('>')) return std::nullopt;
      t.args.push_back(std::move(*element));
      return t;
    }
    if (auto it = scalar_tags().find(word); it != scalar_tags().end()) {
      t.tag = it->second;
      return t;
    }
    t.tag = TypeRef::Tag::named;
    t.name = word;
    return t;
  }

  std::string identifier() {
    skip_space();
    const std::size_t start = pos_;
    while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  bool expect(char c) {
    skip_space();
    if (pos_ >= text_.size() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  void skip_space() {
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
  }

  const std::string& text_;
  SourceLoc loc_;
  std::size_t pos_ = 0;
};

}  // namespace

std::optional<TypeRef> parse_type_expr(const std::string& text, const SourceLoc& loc) {
  return Parser(text, loc).parse_all();
}

std::string type_expr_text(const TypeRef& type) {
  switch (type.tag) {
    case TypeRef::Tag::named: return type.name;
    case TypeRef::Tag::list: return "list<" + type_expr_text(type.args.at(0)) + ">";
    case TypeRef::Tag::map: return "map<string," + type_expr_text(type.args.at(0)) + ">";
    default: break;
  }
  for (const auto& [name, tag] : scalar_tags()) {
    if (tag == type.tag) return name;
  }
  return "?";
}

}  // namespace keyspace::gen
