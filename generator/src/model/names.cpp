#include "model/names.hpp"

namespace keyspace::gen {
namespace {

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

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

}  // namespace keyspace::gen
