#include "keyspace/key_builder.hpp"

#include <array>
#include <charconv>
#include <regex>

#include <fmt/format.h>

#include "keyspace/errors.hpp"
#include "keyspace/escape.hpp"

namespace keyspace {

// Kept out of the header so that generated code does not pull <regex> into every TU.
struct StringRule::Pattern {
  std::regex regex;
};

StringRule::StringRule(std::string_view param, std::string_view pattern, std::size_t max_length)
    : param_(param), max_length_(max_length) {
  if (pattern.empty()) return;
  try {
    pattern_ = std::make_unique<Pattern>(
        Pattern{std::regex(pattern.begin(), pattern.end(), std::regex::ECMAScript)});
  } catch (const std::regex_error& e) {
    // The generator validates patterns, but its regex dialect may accept what std::regex does
    // not; failing here names the parameter instead of surfacing a bare regex_error.
    throw ConfigError(
        fmt::format("pattern '{}' of parameter '{}' is not a valid ECMAScript "
                    "regular expression: {}",
                    pattern, param, e.what()));
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
  if (pattern_ && !std::regex_match(value.begin(), value.end(), pattern_->regex)) {
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
