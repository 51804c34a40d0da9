#pragma once
// What one key segment can spell, as a finite automaton over bytes. Built from a string
// parameter's pattern (the part of RE2 syntax that describes a language of bytes), from the
// canonical decimal spelling of an integer type, from literals; bounded in length and escaped the
// way the runtime escapes parameter values. KS0310 reads the longest spelling from it, KS0309
// intersects two of them.

#include <bitset>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace keyspace::gen {

using ByteSet = std::bitset<256>;

// An automaton without empty moves; state 0 is the start.
struct Automaton {
  struct Edge {
    ByteSet bytes;
    std::size_t to;
  };
  std::vector<std::vector<Edge>> edges;  // per state
  std::vector<bool> accepting;           // per state
};

// Automata larger than this are not built: callers fall back to a cautious answer.
inline constexpr std::size_t kMaxAutomatonStates = 10000;

// The language of `pattern` under RE2 full-match semantics over Latin-1 bytes; nullopt for what
// the reader does not follow (flags, Unicode classes, word boundaries, anchors inside the
// pattern) and for automata above kMaxAutomatonStates.
std::optional<Automaton> pattern_automaton(const std::string& pattern);
// Exactly the given texts.
Automaton texts_automaton(const std::vector<std::string>& texts);
// Strings of `a` with at least `min` and (if `max` is set) at most `max` bytes.
std::optional<Automaton> length_bounded(const Automaton& a, std::size_t min, std::optional<std::size_t> max);
// What `a` spells once every byte is escaped as the runtime does (see keyspace/detail/escape.hpp);
// nullopt above kMaxAutomatonStates (an escaped byte takes up to 17 states of its own).
std::optional<Automaton> escaped(const Automaton& a);
// Whether `a` accepts `text`.
bool accepts(const Automaton& a, const std::string& text);
// The length of the longest string `a` accepts; nullopt when it accepts arbitrarily long ones
// (or none).
std::optional<std::size_t> longest(const Automaton& a);

// Whether two automata accept a common string, and a short one if so.
struct Intersection {
  bool decided = true;                 // false when the search hit its bound
  std::optional<std::string> example;  // a common string, when there is one
};
Intersection intersect(const Automaton& a, const Automaton& b);

}  // namespace keyspace::gen
