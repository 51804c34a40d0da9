// Parameter values come from HTTP requests: no value, however long, and no pattern, however
// prone to backtracking elsewhere, may crash the process or hold its CPU. RE2 matches in time
// linear in the value without recursion. Nothing here is timed (timings belong in bench/): a
// backtracking matcher would need about 2^27 steps for the 28-byte value and would never finish
// the 10 MB ones, which the ctest timeout of these tests (tests/unit/runtime/CMakeLists.txt) turns
// into a failure; a recursive one would overflow the stack.

#include <chrono>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "keyspace/errors.hpp"
#include "keyspace/kinds/key_builder.hpp"

namespace {

using namespace std::chrono_literals;

constexpr keyspace::KeySpec kSpec{"users.profile", "user:{handle}", 5min};
constexpr std::size_t kTenMegabytes = 10 * 1024 * 1024;

enum class Outcome { accepted, invalid_key };

// Checks `value` and returns how it went.
Outcome check(const keyspace::StringRule& rule, std::string_view value) {
  try {
    rule.check(value, kSpec);
  } catch (const keyspace::InvalidKey&) {
    return Outcome::invalid_key;
  }
  return Outcome::accepted;
}

TEST(HostileParamValues, TenMegabytesAgainstAGreedyClassMatchWithoutCrashing) {
  const keyspace::StringRule rule("handle", "[a-z]+", 0);
  EXPECT_EQ(check(rule, std::string(kTenMegabytes, 'a')), Outcome::accepted);
  EXPECT_EQ(check(rule, std::string(kTenMegabytes, 'a') + "!"), Outcome::invalid_key);
}

TEST(HostileParamValues, TenMegabytesAgainstDotStarMatchWithoutCrashing) {
  const keyspace::StringRule rule("handle", ".*", 0);
  EXPECT_EQ(check(rule, std::string(kTenMegabytes, 'x')), Outcome::accepted);
}

TEST(HostileParamValues, NestedQuantifiersTakeLinearTime) {
  const keyspace::StringRule rule("handle", "(a+)+$", 0);
  EXPECT_EQ(check(rule, std::string(27, 'a') + "!"), Outcome::invalid_key);
  EXPECT_EQ(check(rule, std::string(kTenMegabytes, 'a') + "!"), Outcome::invalid_key);
  EXPECT_EQ(check(rule, std::string(kTenMegabytes, 'a')), Outcome::accepted);
}

TEST(HostileParamValues, AlternationBlowupTakesLinearTime) {
  const keyspace::StringRule rule("handle", "(a|a)*b", 0);
  EXPECT_EQ(check(rule, std::string(kTenMegabytes, 'a')), Outcome::invalid_key);
  const keyspace::StringRule counted("handle", "(a|aa){1,100}(b|bb){1,100}", 0);
  EXPECT_EQ(check(counted, std::string(kTenMegabytes, 'a')), Outcome::invalid_key);
}

TEST(HostileParamValues, LengthIsCheckedBeforeThePattern) {
  const keyspace::StringRule rule("handle", "(x+x+)+y", 64);
  EXPECT_EQ(check(rule, std::string(kTenMegabytes, 'x')), Outcome::invalid_key);
}

TEST(HostileParamValues, EveryByteValueIsCheckedWithoutCrashing) {
  const keyspace::StringRule rule("handle", "[^:]+", 0);
  std::string all_bytes;
  for (int b = 0; b < 256; ++b) all_bytes.push_back(static_cast<char>(b));
  EXPECT_EQ(check(rule, all_bytes), Outcome::invalid_key);  // holds ':'
  all_bytes.erase(all_bytes.find(':'), 1);
  EXPECT_EQ(check(rule, all_bytes), Outcome::accepted);  // invalid UTF-8 is still bytes
}

}  // namespace
