#include "cpp_read_only.hpp"

#include <regex>
#include <set>
#include <sstream>
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

// The rendered operations as blocks: leading comment lines, an optional `template <...>` line,
// then a declaration that ends on its own line (`... }`) or at a closing `  }` line.
std::vector<std::vector<std::string>> blocks_of(const std::string& text) {
  std::vector<std::vector<std::string>> blocks;
  std::vector<std::string> current;
  bool declared = false, in_body = false;
  auto flush = [&] {
    if (!current.empty()) blocks.push_back(std::move(current));
    current.clear();
    declared = false;
  };
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (in_body) {
      current.push_back(line);
      if (line == "  }") in_body = false, declared = true;
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

// The operation a block declares: the name before the first '(' of its declaration line.
std::string operation_of(const std::vector<std::string>& block) {
  static const std::regex name(R"(([a-z_][a-z0-9_]*)\()");
  for (const std::string& line : block) {
    if (starts_with(line, "  //") || starts_with(line, "  template <") || starts_with(line, "  using ")) continue;
    std::smatch m;
    if (std::regex_search(line, m, name)) return m[1];
    return "";
  }
  return "";
}

// Whether `op`, an operation of `kind`, writes (or, like a queue's pop, consumes) data.
bool is_write_operation(Kind kind, const std::string& op) {
  return std::regex_match(op, std::regex(write_pattern(kind)));
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

}  // namespace keyspace::gen
