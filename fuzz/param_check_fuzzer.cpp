// libFuzzer entry point for string parameters on their way into a key (runtime/src/key_builder.cpp
// and escape.cpp): parameter values come from HTTP requests, so every value must end in a key or
// an InvalidKey, in time linear in its length, and a key it renders must hold it as exactly one
// segment. The first byte picks a rule (a pattern and a max_length, among them the catastrophic
// patterns of backtracking engines); the rest is split in two values. A crash, a sanitizer report,
// a hang, an exception of another type, or one of these broken is a bug:
//   - a value the rule takes is non-empty and within max_length, and its key is
//     "<environment>:<literal>:<escaped value>:<literal>" with no separator, glob, hash-tag,
//     whitespace or control byte raw in the escaped segment;
//   - the segment unescapes to the value, and two distinct values never render one key;
//   - a segment unescape_segment takes is the one escape_segment writes for what it returns.
// Built in a fuzz build (fuzz/CMakeLists.txt); `scripts/fuzz params` runs it.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "keyspace/client.hpp"
#include "keyspace/detail/escape.hpp"
#include "keyspace/errors.hpp"
#include "keyspace/key_spec.hpp"
#include "keyspace/kinds/key_builder.hpp"
#include "keyspace/options.hpp"

namespace {

constexpr keyspace::KeySpec kSpec{"fuzz.param", "fuzz:{value}:x", std::chrono::milliseconds(0)};
constexpr std::string_view kPrefix = "dev:fuzz:";
constexpr std::string_view kSuffix = ":x";

struct RuleSpec {
  const char* pattern;
  std::size_t max_length;
};

constexpr std::array<RuleSpec, 10> kRules{{
    {"", 0},
    {"", 8},
    {"[a-z]+", 0},
    {"[a-z0-9_-]{1,64}", 64},
    {".*", 0},
    {"(a+)+$", 0},
    {"(a|aa)*b", 0},
    {"[^:]{1,16}", 16},
    {"\\d+(\\.\\d+)?", 0},
    {"(x+x+)+y", 200},
}};

void require(bool holds) {
  if (!holds) std::abort();
}

const keyspace::Client& client() {
  static const keyspace::Client instance([] {
    keyspace::Options options;  // connects on first command only: none is sent here
    options.environment = "dev";
    return options;
  }());
  return instance;
}

const keyspace::StringRule& rule(std::size_t index) {
  static const auto rules = [] {
    std::array<std::unique_ptr<const keyspace::StringRule>, kRules.size()> made;
    for (std::size_t i = 0; i < kRules.size(); ++i) {
      made[i] = std::make_unique<const keyspace::StringRule>("value", kRules[i].pattern, kRules[i].max_length);
    }
    return made;
  }();
  return *rules[index];
}

bool raw_forbidden(unsigned char c) {
  return std::string_view("%:{}*?[]\\").find(static_cast<char>(c)) != std::string_view::npos || c <= 0x20 ||
         c == 0x7f;
}

// The key of `value` under rule `index`, nullopt when the rule refuses it.
std::optional<std::string> render(std::size_t index, std::string_view value) {
  try {
    return keyspace::KeyBuilder(client(), kSpec).literal("fuzz:").param(value, rule(index)).literal(kSuffix).build();
  } catch (const keyspace::InvalidKey&) {
    return std::nullopt;
  }
}

void check_key(std::size_t index, std::string_view value, const std::string& key) {
  const RuleSpec& spec = kRules[index];
  require(!value.empty() && (spec.max_length == 0 || value.size() <= spec.max_length));
  require(key.size() >= kPrefix.size() + kSuffix.size());
  require(key.compare(0, kPrefix.size(), kPrefix) == 0);
  require(key.compare(key.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0);
  const std::string_view segment =
      std::string_view(key).substr(kPrefix.size(), key.size() - kPrefix.size() - kSuffix.size());
  for (const char c : segment) {
    require(c == '%' || !raw_forbidden(static_cast<unsigned char>(c)));
  }
  const std::optional<std::string> back = keyspace::unescape_segment(segment);
  require(back && *back == value);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t index = data[0] % kRules.size();
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string_view first = rest.substr(0, rest.size() / 2);
  const std::string_view second = rest.substr(rest.size() / 2);

  const std::optional<std::string> a = render(index, first);
  const std::optional<std::string> b = render(index, second);
  if (a) check_key(index, first, *a);
  if (b) check_key(index, second, *b);
  if (a && b) require((*a == *b) == (first == second));

  // Any byte string as a segment found in Redis: taken only in the one spelling escaping writes.
  if (const std::optional<std::string> value = keyspace::unescape_segment(rest)) {
    require(keyspace::escape_segment(*value) == rest);
  }
  return 0;
}
