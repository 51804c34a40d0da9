#include "model/names.hpp"

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

bool is_lower_snake(const std::string& name) {
  if (name.empty() || !is_lower(name.front()) || name.back() == '_') return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '_' && name[i + 1] == '_') return false;
    if (!is_lower(c) && !is_digit(c) && c != '_') return false;
  }
  return true;
}

bool is_upper_camel(const std::string& name) {
  if (name.empty() || !is_upper(name.front())) return false;
  for (char c : name) {
    if (!is_lower(c) && !is_upper(c) && !is_digit(c)) return false;
  }
  return true;
}

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

}  // namespace keyspace::gen
