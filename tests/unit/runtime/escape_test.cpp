// Escaping of parameter values into key segments (DESIGN.md, "Keys at runtime: escaping").

#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "keyspace/detail/escape.hpp"

namespace {

using keyspace::escape_segment;
using keyspace::unescape_segment;

// Random byte strings of every length up to 40, over all 256 byte values.
std::vector<std::string> random_inputs(std::size_t count) {
  std::mt19937 generator(20240601);
  std::uniform_int_distribution<int> length(0, 40);
  std::uniform_int_distribution<int> byte(0, 255);
  std::vector<std::string> inputs;
  for (std::size_t i = 0; i < count; ++i) {
    std::string value(static_cast<std::size_t>(length(generator)), '\0');
    for (char& c : value) c = static_cast<char>(byte(generator));
    inputs.push_back(std::move(value));
  }
  return inputs;
}

// Inputs built from the characters escaping cares about, so that near-collisions
// ("a:b" vs "a%3Ab" vs "a%253Ab") are all present.
std::vector<std::string> tricky_inputs() {
  const std::vector<std::string> pieces{"",   "a",  ":",    "%",    "%3A", "3A", "*",
                                        "?",  "{",  "}",    "[",    "]",   "\\", " ",
                                        "\t", "\n", "\x7f", "\x01", "é",   "%25"};
  std::vector<std::string> inputs;
  for (const auto& first : pieces) {
    for (const auto& second : pieces) {
      for (const auto& third : pieces) inputs.push_back(first + second + third);
    }
  }
  return inputs;
}

std::vector<std::string> all_inputs() {
  std::vector<std::string> inputs = random_inputs(5000);
  const std::vector<std::string> tricky = tricky_inputs();
  inputs.insert(inputs.end(), tricky.begin(), tricky.end());
  for (int b = 0; b < 256; ++b) inputs.emplace_back(1, static_cast<char>(b));
  return inputs;
}

bool is_forbidden_in_segment(unsigned char c) {
  const std::string forbidden = ":*?{}[]";
  return c <= 0x20 || c == 0x7f || forbidden.find(static_cast<char>(c)) != std::string::npos;
}

TEST(Escape, KeepsOrdinaryTextAndUtf8Readable) {
  EXPECT_EQ(escape_segment("alice"), "alice");
  EXPECT_EQ(escape_segment("user-42_x.y@example.com"), "user-42_x.y@example.com");
  EXPECT_EQ(escape_segment("Zoë"), "Zoë");
  EXPECT_EQ(escape_segment(""), "");
}

TEST(Escape, PercentEncodesSeparatorGlobHashTagAndWhitespaceInUpperCaseHex) {
  EXPECT_EQ(escape_segment("a:b"), "a%3Ab");
  EXPECT_EQ(escape_segment("*?[]"), "%2A%3F%5B%5D");
  EXPECT_EQ(escape_segment("{tag}"), "%7Btag%7D");
  EXPECT_EQ(escape_segment("100%"), "100%25");
  EXPECT_EQ(escape_segment("a\\b"), "a%5Cb");
  EXPECT_EQ(escape_segment("a b\tc\nd"), "a%20b%09c%0Ad");
  EXPECT_EQ(escape_segment(std::string("\0\x1f\x7f", 3)), "%00%1F%7F");
}

TEST(Escape, AppendEscapedAppendsToExistingText) {
  std::string key = "cache:user:";
  keyspace::append_escaped(key, "a:b");
  EXPECT_EQ(key, "cache:user:a%3Ab");
}

TEST(Escape, EveryInputRoundTrips) {
  for (const std::string& input : all_inputs()) {
    const std::optional<std::string> back = unescape_segment(escape_segment(input));
    ASSERT_TRUE(back.has_value()) << escape_segment(input);
    EXPECT_EQ(*back, input);
  }
}

TEST(Escape, DistinctInputsGiveDistinctSegments) {
  std::set<std::string> inputs;
  std::set<std::string> outputs;
  for (const std::string& input : all_inputs()) {
    if (inputs.insert(input).second) outputs.insert(escape_segment(input));
  }
  EXPECT_EQ(inputs.size(), outputs.size());
}

TEST(Escape, OutputNeverContainsSeparatorGlobBraceWhitespaceOrControlBytes) {
  for (const std::string& input : all_inputs()) {
    const std::string output = escape_segment(input);
    for (char c : output) {
      ASSERT_FALSE(is_forbidden_in_segment(static_cast<unsigned char>(c)))
          << "byte " << static_cast<int>(static_cast<unsigned char>(c)) << " in " << output;
    }
  }
}

TEST(Unescape, DecodesEscapedBytes) {
  EXPECT_EQ(unescape_segment("a%3Ab%25"), std::optional<std::string>("a:b%"));
  EXPECT_EQ(unescape_segment(""), std::optional<std::string>(""));
  EXPECT_EQ(unescape_segment("%00"), std::optional<std::string>(std::string(1, '\0')));
}

TEST(Unescape, RejectsTruncatedOrNonHexEscapes) {
  for (const char* malformed : {"%", "%3", "a%", "a%3", "%G0", "%0G", "%%", "%-1", "%3a", "%7b"}) {
    EXPECT_FALSE(unescape_segment(malformed).has_value()) << malformed;
  }
}

TEST(Unescape, RejectsEscapesOfBytesThatAreNeverEscaped) {
  // "%41" would be a second spelling of "A"; accepting it would let two keys mean one value.
  for (const char* non_canonical : {"%41", "%61", "%2D", "%C3%A9"}) {
    EXPECT_FALSE(unescape_segment(non_canonical).has_value()) << non_canonical;
  }
}

TEST(Unescape, RejectsRawBytesThatShouldHaveBeenEscaped) {
  for (const std::string raw : {"a:b", "a*", "?", "{x}", "[", "]", "a b", "\\", "\t", "\x7f"}) {
    EXPECT_FALSE(unescape_segment(raw).has_value()) << raw;
  }
  EXPECT_FALSE(unescape_segment(std::string(1, '\0')).has_value());
}

}  // namespace
