#pragma once
// For generated code: the operations generated accessors call (keyspace/kinds/). Service code
// uses them through its accessors and needs no header of this folder.
// Renders a key from its template: the client's environment prefix, literal segments as
// generated, and parameter values escaped into single segments. String parameters are checked
// against their rule (non-empty, max_length, pattern) before any command is sent.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "keyspace/client.hpp"
#include "keyspace/key_spec.hpp"

namespace keyspace {

// Constraints of a string parameter. Construct once (e.g. as a function-local static): the
// pattern is compiled in the constructor and matched against the whole value.
class StringRule {
 public:
  StringRule(std::string_view param, std::string_view pattern, std::size_t max_length);
  ~StringRule();
  StringRule(const StringRule&) = delete;
  StringRule& operator=(const StringRule&) = delete;

  // Throws InvalidKey naming the parameter and the key template when `value` breaks the rule.
  void check(std::string_view value, const KeySpec& spec) const;

 private:
  struct Pattern;
  std::string param_;
  std::size_t max_length_;  // 0: unbounded
  std::unique_ptr<Pattern> pattern_;
};

class KeyBuilder {
 public:
  KeyBuilder(const Client& client, const KeySpec& spec);

  KeyBuilder& literal(std::string_view text);  // appended verbatim (template text, incl. ':')
  KeyBuilder& param(std::int64_t value);
  KeyBuilder& param(std::uint64_t value);
  KeyBuilder& param(std::string_view value, const StringRule& rule);
  KeyBuilder& param_name(std::string_view enum_value);  // enum values are valid literals

  // Hands over the rendered key; the builder is spent afterwards. The lvalue overload exists
  // because a chain such as KeyBuilder(c, spec).literal("a:").param(1).build() calls build()
  // on the KeyBuilder& the chain returns (still the temporary, which dies with the expression).
  std::string build() && { return std::move(key_); }
  std::string build() & { return std::move(key_); }

 private:
  const KeySpec& spec_;
  std::string key_;
};

}  // namespace keyspace
