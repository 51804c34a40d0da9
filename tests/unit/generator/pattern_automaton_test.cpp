// The automaton read from a pattern accepts exactly what RE2 full-matches (byte by byte), and the
// operations KS0309/KS0310 use on it (length bounds, escaping, longest, intersection) are exact.
#include "lint/pattern_automaton.hpp"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <re2/re2.h>

namespace keyspace::gen {
namespace {

bool re2_full_match(const std::string& pattern, const std::string& text) {
  RE2::Options o(RE2::Quiet);
  o.set_encoding(RE2::Options::EncodingLatin1);
  const RE2 re(pattern, o);
  EXPECT_TRUE(re.ok()) << pattern << ": " << re.error();
  return RE2::FullMatch(text, re);
}

const std::vector<std::string> kPatterns = {
    "[a-z]+", "[0-9a-f]{16}", "[0-9a-f.:]{3,45}", "^[A-Z][a-z]*$", "(ab|cd)*e?", "a{2,}b{0,3}",
    "[^a-z]", "\\d+-\\w{2}\\s?", "[[:alpha:]_][[:alnum:]_]*", "[]a-]+", "x\\x41\\x{42}\\.\\*", "(?:a|)b",
    "(?P<year>[0-9]{4})-(?P<m>[0-9]{2})", "a.c", "[\\d\\-]{1,3}", "a{,3}", "a??b+?", "[[:^digit:]]{2}",
    "\\C\\C", "", "é+", "[\\x00-\\x1f%:]+", "(a+)+$", "(x|y|)(z?)",
};

std::string random_text(std::mt19937& rng, const std::string& alphabet) {
  std::uniform_int_distribution<std::size_t> length(0, 8), pick(0, alphabet.size() - 1);
  std::string s(length(rng), ' ');
  for (char& c : s) c = alphabet[pick(rng)];
  return s;
}

TEST(pattern_automaton, accepts_exactly_what_re2_full_matches) {
  std::mt19937 rng(12);
  const std::string alphabet = std::string("aAbBcdeyxz09-_.*:% \n\t\x01\xe9{}][5f4B") + std::string(1, '\0');
  for (const std::string& pattern : kPatterns) {
    const std::optional<Automaton> a = pattern_automaton(pattern);
    ASSERT_TRUE(a) << pattern;
    for (int k = 0; k < 4000; ++k) {
      const std::string text = random_text(rng, alphabet);
      ASSERT_EQ(accepts(*a, text), re2_full_match(pattern, text)) << "pattern /" << pattern << "/ text '" << text << "'";
    }
  }
}

TEST(pattern_automaton, constructs_it_does_not_follow_are_not_guessed) {
  for (const std::string pattern : {"(?i)abc", "\\bword", "a^b", "\\pL+", "a$b", "\\Qa*\\E"}) {
    EXPECT_FALSE(pattern_automaton(pattern)) << pattern;
  }
}

TEST(pattern_automaton, longest_of_a_bounded_pattern_counts_escaped_bytes) {
  EXPECT_EQ(longest(*escaped(*pattern_automaton("[0-9a-f]{16}"))), 16u);
  EXPECT_EQ(longest(*escaped(*pattern_automaton("[0-9a-f]{64}"))), 64u);
  EXPECT_EQ(longest(*escaped(*pattern_automaton("[0-9a-f.:]{3,45}"))), 45u * 3);  // ':' is %3A
  EXPECT_EQ(longest(*escaped(*pattern_automaton("(ab|c)d?"))), 3u);
  EXPECT_FALSE(longest(*pattern_automaton("[a-z]+")));
  EXPECT_FALSE(longest(*pattern_automaton("a{2,}")));
}

TEST(pattern_automaton, length_bounds_cut_an_unbounded_pattern) {
  const auto a = length_bounded(*pattern_automaton("[a-z ]+"), 1, 10);
  ASSERT_TRUE(a);
  EXPECT_EQ(longest(*escaped(*a)), 30u);  // ten spaces, each %20
  EXPECT_FALSE(accepts(*a, ""));
  EXPECT_TRUE(accepts(*a, "abcdefghij"));
  EXPECT_FALSE(accepts(*a, "abcdefghijk"));
  EXPECT_FALSE(accepts(*length_bounded(texts_automaton({""}), 1, std::nullopt), ""));
}

TEST(pattern_automaton, escaping_spells_what_the_runtime_writes) {
  const Automaton a = *escaped(*pattern_automaton("[a:%]{2}"));
  EXPECT_TRUE(accepts(a, "a%3A"));
  EXPECT_TRUE(accepts(a, "%25%3A"));
  EXPECT_FALSE(accepts(a, "a:"));
  EXPECT_FALSE(accepts(a, "a%3a"));
}

TEST(pattern_automaton, intersection_finds_a_shortest_common_string_or_proves_none) {
  const Automaton decimal = *pattern_automaton("0|-?[1-9][0-9]{0,18}");
  const Intersection five = intersect(decimal, *pattern_automaton("[0-9]{5}"));
  ASSERT_TRUE(five.example);
  EXPECT_EQ(five.example->size(), 5u);
  EXPECT_TRUE(accepts(decimal, *five.example));
  const Intersection none = intersect(decimal, *pattern_automaton("[a-z]+"));
  EXPECT_TRUE(none.decided);
  EXPECT_FALSE(none.example);
  EXPECT_FALSE(intersect(decimal, *pattern_automaton("0[0-9]+")).example);  // no leading zeros
  EXPECT_EQ(intersect(texts_automaton({"gold", "silver"}), *pattern_automaton("[a-z]{6}")).example, "silver");
}

}  // namespace
}  // namespace keyspace::gen
