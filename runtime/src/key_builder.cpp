#include "keyspace/kinds/key_builder.hpp"

#include <array>
#include <charconv>

#include <fmt/format.h>
#include <re2/re2.h>

#include "keyspace/detail/escape.hpp"
#include "keyspace/errors.hpp"

namespace keyspace {

// Kept out of the header so that generated code does not pull RE2 into every TU. RE2 matches in
// time linear in the value and without recursion, so no value can exhaust the stack or the CPU.
struct StringRule::Pattern {
  explicit Pattern(std::string_view pattern) : regex(pattern, options()) {}
  // Values are bytes, not necessarily UTF-8: the pattern is read as Latin-1, so that `.` and a
  // class match one byte each (as the generator's analysis of patterns assumes).
  static RE2::Options options() {
    RE2::Options o(RE2::Quiet);
    o.set_encoding(RE2::Options::EncodingLatin1);
    return o;
  }
  RE2 regex;
};

StringRule::StringRule(std::string_view param, std::string_view pattern, std::size_t max_length)
    : param_(param), max_length_(max_length) {
  if (pattern.empty()) return;
  pattern_ = std::make_unique<Pattern>(pattern);
  if (!pattern_->regex.ok()) {
    // The generator validates patterns with RE2 too; failing here names the parameter instead of
    // matching nothing.
    throw ConfigError(fmt::format("pattern '{}' of parameter '{}' is not a valid RE2 regular expression: {}",
                                  pattern, param, pattern_->regex.error()));
  }
}

StringRule::~StringRule() = default;

// Messages never include the value itself: parameter values are user data (see errors.hpp).
void StringRule::check(std::string_view value, const KeySpec& spec) const {
  if (value.empty()) {
    throw InvalidKey(fmt::format("parameter '{}' of {} must not be empty", param_, spec.name),
                     spec.key_template);
  }
  if (max_length_ != 0 && value.size() > max_length_) {
    throw InvalidKey(fmt::format("parameter '{}' of {} is {} bytes long, more than its "
                                 "max_length {}",
                                 param_, spec.name, value.size(), max_length_),
                     spec.key_template);
  }
  if (pattern_ && !RE2::FullMatch(re2::StringPiece(value.data(), value.size()), pattern_->regex)) {
    throw InvalidKey(
        fmt::format("parameter '{}' of {} does not match its pattern", param_, spec.name),
        spec.key_template);
  }
}

// No reserve: a short key stays in the string's inline buffer (15 bytes with libstdc++), where
// reserving for the template's length would always allocate; a long one grows geometrically.
KeyBuilder::KeyBuilder(const Client& client, const KeySpec& spec) : spec_(spec), key_(client.key_prefix()) {}

KeyBuilder& KeyBuilder::literal(std::string_view text) {
  key_.append(text);
  return *this;
}

namespace {

template <class Int>
void append_decimal(std::string& out, Int value) {
  std::array<char, 24> digits;
  const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), value).ptr;
  out.append(digits.data(), static_cast<std::size_t>(end - digits.data()));
}

}  // namespace

// Decimal digits and '-' never need escaping, so integers are appended directly.
KeyBuilder& KeyBuilder::param(std::int64_t value) {
  append_decimal(key_, value);
  return *this;
}

KeyBuilder& KeyBuilder::param(std::uint64_t value) {
  append_decimal(key_, value);
  return *this;
}

KeyBuilder& KeyBuilder::param(std::string_view value, const StringRule& rule) {
  rule.check(value, spec_);
  append_escaped(key_, value);
  return *this;
}

KeyBuilder& KeyBuilder::param_name(std::string_view enum_value) {
  key_.append(enum_value);
  return *this;
}

}  // namespace keyspace
