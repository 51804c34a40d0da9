#pragma once
// What a parameter can write into its key segment, as an automaton: the values the runtime
// accepts (never empty; within max_length; matching the pattern; an integer's canonical decimal;
// an enum's names), escaped as the runtime escapes them.

#include <optional>

#include "lint/pattern_automaton.hpp"
#include "model/model.hpp"

namespace keyspace::gen {

struct ParamLanguage {
  Automaton automaton;
  // Nonzero when the automaton could not also count max_length (a long bound over a pattern
  // with `+` or `*`): it then holds longer values too, and a spelling of more than this many
  // bytes is not known to be one the parameter renders.
  std::size_t unchecked_max_length = 0;
};

// nullopt when the pattern is outside what pattern_automaton() reads, or the automaton would be
// too large; the callers then answer cautiously.
std::optional<ParamLanguage> rendered_language(const Param& param, const Schema& schema);

// Whether escaping makes some value of the pattern longer (it holds a byte written %XY); true
// when the pattern cannot be read.
bool pattern_may_expand(const std::string& pattern);

}  // namespace keyspace::gen
