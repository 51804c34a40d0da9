#include "emit/cpp/names.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace keyspace::gen {
namespace {

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

const std::set<std::string>& cpp_keywords() {
  static const std::set<std::string> words{
      "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch",
      "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept", "const", "consteval", "constexpr",
      "constinit", "const_cast", "continue", "co_await", "co_return", "co_yield", "decltype", "default", "delete",
      "do", "double", "dynamic_cast", "else", "enum", "explicit", "export", "extern", "false", "float", "for",
      "friend", "goto", "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
      "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register", "reinterpret_cast",
      "requires", "return", "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct",
      "switch", "template", "this", "thread_local", "throw", "true", "try", "typedef", "typeid", "typename",
      "union", "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq",
      // Namespaces generated code refers to.
      "std", "keyspace", "nlohmann"};
  return words;
}

// Names of generated members and method arguments that a schema name must not shadow.
const std::set<std::string>& generated_names() {
  static const std::set<std::string> words{"client", "client_", "key", "value", "value_type", "by", "spec", "codec"};
  return words;
}

}  // namespace

std::string upper_camel(const std::string& lower_snake) {
  std::string out;
  bool up = true;
  for (char c : lower_snake) {
    if (c == '_') {
      up = true;
      continue;
    }
    out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    up = false;
  }
  return out;
}

std::string cpp_identifier(const std::string& name) {
  return cpp_keywords().count(name) != 0 || generated_names().count(name) != 0 ? name + "_" : name;
}

bool is_cpp_namespace(const std::string& path) {
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = path.find("::", start);
    const std::string part = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (part.empty() || cpp_keywords().count(part) != 0 || is_digit(part[0])) return false;
    for (char c : part) {
      if (!is_lower(c) && !is_upper(c) && !is_digit(c) && c != '_') return false;
    }
    if (end == std::string::npos) return true;
    start = end + 2;
  }
}

std::string accessor_class_name(const Key& key) {
  const std::string name = upper_camel(key.name);
  return name == "Keys" ? "Keys_" : name;
}

std::string tag_function_name(const KeyTemplate& tag) {
  std::string words, params;
  for (const Segment& seg : tag.segments) {
    std::string& out = seg.is_param ? params : words;
    out += (out.empty() ? "" : "_") + seg.text;
  }
  std::string name = "invalidate_" + (words.empty() ? params : words);
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

}  // namespace keyspace::gen
