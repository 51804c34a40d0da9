#include "emit/cpp/read_only.hpp"

#include <set>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace keyspace::gen {
namespace {

// Write operations per kind, as anchored regular expressions over the operation name.
const char* write_pattern(Kind kind) {
  switch (kind) {
    case Kind::value: return "set|set_if_absent|del";
    case Kind::counter: return "incr|decr|reset";
    case Kind::flag: return "set|clear";
    case Kind::cache: return "set|invalidate|get_or_load";
    case Kind::channel: return "publish";
    case Kind::hash: return "set|set_.*|erase|del|incr_.*";
    case Kind::list: return "push_back|push_front|pop_front|pop_back|del";
    case Kind::lock: return "try_acquire|acquire";
    case Kind::queue: return "push|pop|requeue_stale|clear";
    case Kind::rate_limit: return "hit|reset";
    case Kind::session: return "create|update|touch|destroy|destroy_all";
    case Kind::set: return "add|add_many|remove|del";
    case Kind::sorted_set: return "add|incr|remove|del";
    case Kind::stream: return "add|create_group|read_group|ack|del";
  }
  return "";
}

bool starts_with(const std::string& line, const char* prefix) { return line.rfind(prefix, 0) == 0; }

// The rendered declarations as blocks: leading comment lines, an optional `template <...>` line,
// then a declaration that ends on its own line (`...;`, `... }`) or, when the line opens a body
// (a template's, a struct's), at the closing `  }` / `  };` line.
std::vector<std::vector<std::string>> blocks_of(const std::string& text) {
  std::vector<std::vector<std::string>> blocks;
  std::vector<std::string> current;
  bool declared = false, in_body = false;
  auto flush = [&] {
    if (!current.empty()) blocks.push_back(std::move(current));
    current.clear();
    declared = false;
  };
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    if (in_body) {
      current.push_back(line);
      if (line == "  }" || line == "  };") in_body = false, declared = true;
      continue;
    }
    if (line.empty()) {
      flush();
      blocks.push_back({line});
      continue;
    }
    if (declared) flush();
    current.push_back(line);
    if (starts_with(line, "  //") || starts_with(line, "  template <")) continue;
    if (line.back() == '{') in_body = true;
    else declared = true;
  }
  flush();
  return blocks;
}

// [a-z0-9_], the characters the operation names below consist of.
bool is_name_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

// The end of the name [a-z_][a-z0-9_]* starting at `at` when a '(' follows it, else npos.
std::size_t called_name_end(const std::string& line, std::size_t at) {
  if (at >= line.size() || !is_name_char(line[at]) || (line[at] >= '0' && line[at] <= '9')) return std::string::npos;
  std::size_t end = at;
  while (end < line.size() && is_name_char(line[end])) ++end;
  return end < line.size() && line[end] == '(' ? end : std::string::npos;
}

// The first name in `line` that a '(' follows (the regex ([a-z_][a-z0-9_]*)\( searched for,
// scanned by hand: matching a std::regex per line was most of a service view's cost).
std::string first_called_name(const std::string& line) {
  for (std::size_t run = 0; run < line.size();) {
    if (!is_name_char(line[run])) {
      ++run;
      continue;
    }
    std::size_t start = run;
    while (start < line.size() && line[start] >= '0' && line[start] <= '9') ++start;  // a name starts with no digit
    const std::size_t end = called_name_end(line, start);
    if (end != std::string::npos) return line.substr(start, end - start);
    while (run < line.size() && is_name_char(line[run])) ++run;
  }
  return "";
}

// The operation a block declares: the name before the first '(' of its declaration line.
std::string operation_of(const std::vector<std::string>& block) {
  for (const std::string& line : block) {
    if (starts_with(line, "  //") || starts_with(line, "  template <") || starts_with(line, "  using ")) continue;
    return first_called_name(line);
  }
  return "";
}

// Whether `op`, an operation of `kind`, writes (or, like a queue's pop, consumes) data: whether it
// is one of the pattern's alternatives, of which `x.*` stands for every name starting with x.
bool is_write_operation(Kind kind, const std::string& op) {
  const std::string_view pattern = write_pattern(kind);
  for (std::size_t start = 0; start < pattern.size();) {
    std::size_t end = pattern.find('|', start);
    if (end == std::string_view::npos) end = pattern.size();
    std::string_view alternative = pattern.substr(start, end - start);
    start = end + 1;
    const bool prefix = alternative.size() >= 2 && alternative.substr(alternative.size() - 2) == ".*";
    if (prefix) alternative.remove_suffix(2);
    if (prefix ? op.compare(0, alternative.size(), alternative) == 0 : op == alternative) return true;
  }
  return false;
}

// The member function a definition of keyspace.cpp defines: on its first line, the name after
// the first `<Class>::` that a '(' follows; empty for a free function (operator==).
std::string defined_operation(const std::string& definition) {
  const std::string first_line = definition.substr(0, definition.find('\n'));
  for (std::size_t colons = first_line.find("::", 1); colons != std::string::npos;
       colons = first_line.find("::", colons + 1)) {
    const char before = first_line[colons - 1];
    if (!is_name_char(before) && !(before >= 'A' && before <= 'Z')) continue;
    const std::size_t end = called_name_end(first_line, colons + 2);
    if (end != std::string::npos) return first_line.substr(colons + 2, end - colons - 2);
  }
  return "";
}

}  // namespace

std::string read_only_operations(const std::string& operations, const Key& key, const std::string& service) {
  std::string out;
  std::set<std::string> removed;
  std::vector<std::string> order;
  for (const std::vector<std::string>& block : blocks_of(operations)) {
    const std::string op = operation_of(block);
    if (!op.empty() && is_write_operation(key.kind, op)) {
      if (removed.insert(op).second) order.push_back(op);
      continue;
    }
    for (const std::string& line : block) out += line + "\n";
  }
  const std::string writer = key.owner.empty() ? "no service (the key has no owner)" : "service " + key.owner;
  out += fmt::format("\n  // Read-only in the view of service {}: {}.{} is written by {}.\n", service,
                     key.namespace_name, key.name, writer);
  for (const std::string& op : order) {
    out += fmt::format(
        "  template <class... Args>\n  void {}(Args&&...) const {{ static_assert(::keyspace::always_false<Args...>, "
        "\"keyspace: {}.{} is read-only for service {}; its writer is {}\"); }}\n",
        op, key.namespace_name, key.name, service, writer);
  }
  // Removed blocks leave their blank separators behind: keep one blank line at most.
  for (std::size_t at; (at = out.find("\n\n\n")) != std::string::npos;) out.erase(at, 1);
  while (!out.empty() && out.front() == '\n') out.erase(0, 1);
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

std::string read_only_definitions(const std::string& definitions, const Key& key) {
  std::string out;
  std::size_t at = 0;
  while (at < definitions.size()) {
    std::size_t end = definitions.find("\n\n", at);
    if (end == std::string::npos) end = definitions.size();
    const std::string definition = definitions.substr(at, end - at);
    at = end + 2;
    if (definition.empty() || is_write_operation(key.kind, defined_operation(definition))) continue;
    out += (out.empty() ? "" : "\n\n") + definition;
  }
  return out;
}

}  // namespace keyspace::gen
